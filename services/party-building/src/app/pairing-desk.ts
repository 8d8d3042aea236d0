import { AreaCode, type Caller, InvalidArgumentError, isIdentifier, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  decideEndPairing,
  decideFormPairing,
  decideVoidRegistration,
  type FormPairing,
  type Pairing,
  type PairingEvent,
  type PairingState,
  pairingIdOf,
  validatePairing,
} from "../domain/co-building-pairing.js";
import {
  decideRegisterPairing,
  decideReleasePairing,
  type JointMeetingEvent,
  type JointMeetingState,
  type PairingRegistration,
} from "../domain/joint-meeting.js";
import type { OrganisationEvent, OrganisationState } from "../domain/organisation.js";
import { communityKeepers, requireRoleIn } from "../domain/party-roles.js";
import { requireCommunityCode } from "./joint-meeting-desk.js";

export type PairingView = Pairing & { version: number };

/** `<organisationId>.<unitId>`, each an identifier. */
const isPairingId = (value: string) => {
  const parts = value.split(".");
  return parts.length === 2 && parts.every(isIdentifier);
};

/** Use cases of pairings (结对共建) between community party organisations and member units. */
export class PairingDesk {
  constructor(
    private readonly pairings: AggregateRepository<PairingState, PairingEvent>,
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly meetings: AggregateRepository<JointMeetingState, JointMeetingEvent>,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Of concurrent requests for the same pair, the first to append the pair's next version
   * forms it; the others are decided again and find it active (ALREADY_PAIRED). The pairing
   * is registered on the joint meeting first, so a leave of the unit decided at the same
   * moment sees it (see `settleForLeave`). A crash after the registration leaves it unformed;
   * the unit's next leave voids it.
   */
  async form(command: FormPairing, caller: Caller): Promise<PairingView> {
    validatePairing(command);
    const { state: organisation } = await this.organisations.load(command.organisationId);
    if (organisation.status === "none") throw new NotFoundError("party organisation", command.organisationId);
    requireRoleIn(caller, communityKeepers, organisation.areaId);
    const communityAreaId = AreaCode.communityOf(organisation.areaId);
    const pairingId = pairingIdOf(command.organisationId, command.unitId);
    const registrationId = this.newId();
    const decide = (meeting: JointMeetingState, current: PairingState) =>
      decideFormPairing(command, organisation, meeting, registrationId, current, caller.subject, this.now());
    // Refuses what can be refused before anything is registered.
    decide((await this.meetings.load(communityAreaId)).state, (await this.pairings.load(pairingId)).state);
    const meeting = await this.register(
      communityAreaId,
      { registrationId, pairingId, unitId: command.unitId },
      caller,
    );
    try {
      const { state, version } = await this.pairings.execute(pairingId, (current) =>
        decide(meeting, current),
      );
      return { ...paired(state, pairingId), version };
    } catch (error) {
      // A registration left behind is harmless (the unit's next leave voids it), so a failed
      // release must not hide why the pairing was refused.
      await this.release(communityAreaId, registrationId, caller).catch(() => undefined);
      throw error;
    }
  }

  /** Registers the pairing on the community's joint meeting stream (its repository retries often: see service.ts). */
  private async register(
    communityAreaId: string,
    registration: PairingRegistration,
    caller: Caller,
  ): Promise<JointMeetingState> {
    const { state } = await this.meetings.execute(communityAreaId, (current) =>
      decideRegisterPairing(current, communityAreaId, registration, caller.subject, this.now()),
    );
    return state;
  }

  /**
   * For a leave of the unit: the ids of its active pairings (those registered on the joint
   * meeting, and those formed before registrations existed). When there are none, every
   * registration is voided on its pairing's stream, so it is never formed after the leave;
   * a formation that wins that race is active, and named.
   */
  async settleForLeave(
    communityAreaId: string,
    unitId: string,
    registrations: readonly PairingRegistration[],
    caller: Caller,
  ): Promise<string[]> {
    const active = new Set(await this.activePairingIdsOf(communityAreaId, unitId));
    for (const { pairingId } of registrations) {
      if ((await this.pairings.load(pairingId)).state.status === "active") active.add(pairingId);
    }
    if (active.size === 0) {
      for (const registration of registrations) {
        const { state } = await this.pairings.execute(registration.pairingId, (current) =>
          decideVoidRegistration(current, communityAreaId, registration, caller.subject, this.now()),
        );
        if (state.status === "active") active.add(registration.pairingId);
      }
    }
    return [...active].sort();
  }

  async get(pairingId: string, caller: Caller): Promise<PairingView> {
    if (!isPairingId(pairingId))
      throw new InvalidArgumentError([
        { field: "pairingId", description: "must be <organisationId>.<unitId>" },
      ]);
    const { state, version } = await this.pairings.load(pairingId);
    const pairing = paired(state, pairingId);
    requireRoleIn(caller, communityKeepers, pairing.communityAreaId);
    return { ...pairing, version };
  }

  /** The pairing ends on its stream, then its registration is released on the joint meeting. */
  async end(pairingId: string, endedOn: string, note: string, caller: Caller): Promise<PairingView> {
    await this.get(pairingId, caller);
    const { state, version } = await this.pairings.execute(pairingId, (current) =>
      decideEndPairing(paired(current, pairingId), endedOn, note, caller.subject, this.now()),
    );
    const pairing = paired(state, pairingId);
    if (pairing.registrationId) await this.release(pairing.communityAreaId, pairing.registrationId, caller);
    return { ...pairing, version };
  }

  private async release(communityAreaId: string, registrationId: string, caller: Caller): Promise<void> {
    await this.meetings.execute(communityAreaId, (current) =>
      decideReleasePairing(current, registrationId, caller.subject, this.now()),
    );
  }

  /** Ids of the unit's active pairings with organisations of the community. */
  async activePairingIdsOf(communityAreaId: string, unitId: string): Promise<string[]> {
    const active = await this.pairings.snapshots
      .find(
        {
          "state.communityAreaId": communityAreaId,
          "state.status": "active",
          "state.unitId": unitId,
        },
        { projection: { _id: 1 } },
      )
      .sort({ _id: 1 })
      .toArray();
    return active.map((pairing) => pairing._id);
  }

  async list(communityAreaId: string, activeOnly: boolean, page: PageRequest, caller: Caller) {
    requireCommunityCode("communityAreaId", communityAreaId);
    requireRoleIn(caller, communityKeepers, communityAreaId);
    const query: Record<string, unknown> = { "state.communityAreaId": communityAreaId };
    query["state.status"] = activeOnly ? "active" : { $in: ["active", "ended"] };
    const found = await pageOfSnapshots(this.pairings.snapshots, query, page);
    return {
      pairings: found.items.map((item) => ({ ...paired(item.state, item._id), version: item.version })),
      nextPageToken: found.nextPageToken,
    };
  }
}

function paired(state: PairingState, pairingId: string): Pairing {
  if (state.status === "none") throw new NotFoundError("pairing", pairingId);
  return state;
}
