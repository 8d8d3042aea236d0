import type { AreaDirectory } from "@civic/area-replica";
import { AreaCode, type Caller, ConflictError, InvalidArgumentError, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type AgendaItem,
  type AgendaItemEvent,
  type AgendaItemState,
  type AgendaStage,
  agendaStages,
  decideAdvance,
  decidePropose,
  type ProposeItem,
  validateAdvance,
  validateItem,
} from "../domain/agenda-item.js";
import {
  decideJoinUnit,
  decideLeaveUnit,
  type JointMeeting,
  type JointMeetingEvent,
  type JointMeetingState,
  type JoinUnit,
  type PairingRegistration,
  PairingsUnsettledError,
  pairingRegistrationsOf,
  validateLeaveUnit,
  validateUnit,
} from "../domain/joint-meeting.js";
import {
  decideHoldSession,
  type HoldSession,
  type JointSession,
  type JointSessionEvent,
  type JointSessionState,
  validateSession,
} from "../domain/joint-session.js";
import { communityKeepers, requireRoleIn } from "../domain/party-roles.js";

export type JointMeetingView = JointMeeting & { version: number };

/**
 * The ids of a unit's active pairings in a community, given its registrations on the joint
 * meeting; when there are none, every registration is made void (`PairingDesk`).
 */
export type SettlePairingsForLeave = (
  communityAreaId: string,
  unitId: string,
  registrations: readonly PairingRegistration[],
  caller: Caller,
) => Promise<string[]>;
export type AgendaItemView = AgendaItem & { version: number };

const maxLeaveAttempts = 5;

export function requireCommunityCode(field: string, communityAreaId: string): void {
  if (!AreaCode.is(communityAreaId, "community"))
    throw new InvalidArgumentError([{ field, description: "must be a community code (12 digits)" }]);
}

/** Use cases of joint meetings: member units, meetings held and agenda items. */
export class JointMeetingDesk {
  constructor(
    private readonly meetings: AggregateRepository<JointMeetingState, JointMeetingEvent>,
    private readonly sessions: AggregateRepository<JointSessionState, JointSessionEvent>,
    private readonly items: AggregateRepository<AgendaItemState, AgendaItemEvent>,
    private readonly areas: Pick<AreaDirectory, "get">,
    private readonly settlePairingsForLeave: SettlePairingsForLeave,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The first unit convenes the community's joint meeting; the community must be known. */
  async joinUnit(communityAreaId: string, command: JoinUnit, caller: Caller): Promise<JointMeetingView> {
    requireCommunityCode("communityAreaId", communityAreaId);
    validateUnit(command);
    requireRoleIn(caller, communityKeepers, communityAreaId);
    const area = await this.areas.get(communityAreaId);
    if (area?.level !== "community")
      throw new InvalidArgumentError([
        { field: "communityAreaId", description: "is not a community of grid-cases' area tree" },
      ]);
    const { state, version } = await this.meetings.execute(communityAreaId, (current) =>
      decideJoinUnit(command, communityAreaId, current, caller.subject, this.now()),
    );
    return { ...convened(state, communityAreaId), version };
  }

  /**
   * The unit leaves once its pairings have ended. The leave is appended at the version whose
   * registrations were settled: a pairing registered meanwhile takes that version first, and
   * the leave looks again (up to a few times, then VERSION_CONFLICT as for any lost race).
   */
  async leaveUnit(
    communityAreaId: string,
    unitId: string,
    leftOn: string,
    caller: Caller,
  ): Promise<JointMeetingView> {
    await this.get(communityAreaId, caller);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.meetings.load(communityAreaId);
      const meeting = convened(loaded.state, communityAreaId);
      validateLeaveUnit(meeting, unitId, leftOn);
      const registrations = pairingRegistrationsOf(meeting, unitId);
      const activePairings = await this.settlePairingsForLeave(
        communityAreaId,
        unitId,
        registrations,
        caller,
      );
      const settled = registrations.map((registration) => registration.registrationId);
      try {
        const { state, version } = await this.meetings.executeOn(communityAreaId, loaded, (current) =>
          decideLeaveUnit(
            convened(current, communityAreaId),
            unitId,
            leftOn,
            activePairings,
            settled,
            caller.subject,
            this.now(),
          ),
        );
        return { ...convened(state, communityAreaId), version };
      } catch (error) {
        if (!(error instanceof PairingsUnsettledError)) throw error;
        if (attempt >= maxLeaveAttempts)
          throw new ConflictError(
            `joint meeting of ${communityAreaId} kept changing while unit ${unitId} was leaving`,
            { currentVersion: (await this.meetings.load(communityAreaId)).version },
          );
      }
    }
  }

  async get(communityAreaId: string, caller: Caller): Promise<JointMeetingView> {
    requireCommunityCode("communityAreaId", communityAreaId);
    requireRoleIn(caller, communityKeepers, communityAreaId);
    const { state, version } = await this.meetings.load(communityAreaId);
    return { ...convened(state, communityAreaId), version };
  }

  async recordSession(communityAreaId: string, command: HoldSession, caller: Caller): Promise<JointSession> {
    validateSession(command);
    const meeting = await this.get(communityAreaId, caller);
    const sessionId = this.newId();
    const { state } = await this.sessions.create(sessionId, (initial) =>
      decideHoldSession(command, sessionId, communityAreaId, meeting, initial, caller.subject, this.now()),
    );
    return state as JointSession;
  }

  async listSessions(communityAreaId: string, page: PageRequest, caller: Caller) {
    await this.get(communityAreaId, caller);
    const found = await pageOfSnapshots(
      this.sessions.snapshots,
      { "state.communityAreaId": communityAreaId },
      page,
    );
    return {
      sessions: found.items.map((item) => item.state as JointSession),
      nextPageToken: found.nextPageToken,
    };
  }

  async proposeItem(communityAreaId: string, command: ProposeItem, caller: Caller): Promise<AgendaItemView> {
    validateItem(command);
    const meeting = await this.get(communityAreaId, caller);
    const itemId = this.newId();
    const { state, version } = await this.items.create(itemId, (initial) =>
      decidePropose(command, itemId, communityAreaId, meeting, initial, caller.subject, this.now()),
    );
    return { ...proposed(state, itemId), version };
  }

  async getItem(itemId: string, caller: Caller): Promise<AgendaItemView> {
    const { state, version } = await this.items.load(itemId);
    const item = proposed(state, itemId);
    requireRoleIn(caller, communityKeepers, item.communityAreaId);
    return { ...item, version };
  }

  async listItems(communityAreaId: string, stage: string, page: PageRequest, caller: Caller) {
    if (stage !== "" && !(agendaStages as readonly string[]).includes(stage))
      throw new InvalidArgumentError([
        { field: "stage", description: `must be one of ${agendaStages.join(", ")} or empty` },
      ]);
    await this.get(communityAreaId, caller);
    const query: Record<string, unknown> = { "state.communityAreaId": communityAreaId };
    if (stage) query["state.stage"] = stage;
    const found = await pageOfSnapshots(this.items.snapshots, query, page);
    return {
      items: found.items.map((item) => ({ ...proposed(item.state, item._id), version: item.version })),
      nextPageToken: found.nextPageToken,
    };
  }

  /** One move along the stages; a move out of order is refused and nothing is recorded. */
  async advanceItem(
    itemId: string,
    to: string,
    note: string,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<AgendaItemView> {
    validateAdvance(to, note);
    await this.getItem(itemId, caller);
    const { state, version } = await this.items.execute(
      itemId,
      (current) =>
        decideAdvance(proposed(current, itemId), to as AgendaStage, note, caller.subject, this.now()),
      expectedVersion,
    );
    return { ...proposed(state, itemId), version };
  }
}

function convened(state: JointMeetingState, communityAreaId: string): JointMeeting {
  if (state.status === "none") throw new NotFoundError("joint meeting of community", communityAreaId);
  return state;
}

function proposed(state: AgendaItemState, itemId: string): AgendaItem {
  if (state.status === "none") throw new NotFoundError("agenda item", itemId);
  return state;
}
