import { type AggregateRepository, type PageRequest, pageOfSnapshots, type Snapshot } from "@civic/event-log";
import { type Caller, InvalidArgumentError, NotFoundError } from "@civic/service-kit";
import type { Collection, Filter } from "mongodb";
import {
  decideEndPairing,
  decideFormPairing,
  type FormPairing,
  type Pairing,
  type PairingEvent,
  type PairingState,
  pairingIdOf,
  validatePairing,
} from "../domain/co-building-pairing.js";
import type { JointMeetingEvent, JointMeetingState } from "../domain/joint-meeting.js";
import type { OrganisationEvent, OrganisationState } from "../domain/organisation.js";
import { communityKeepers, requireRoleIn } from "../domain/party-roles.js";
import { requireCommunityCode } from "./joint-meetings.js";

export type PairingView = Pairing & { version: number };

const pairingIdPattern = /^[\w-]{1,64}\.[\w-]{1,64}$/;

/** Use cases of pairings (结对共建) between community party organisations and member units. */
export class CoBuildingPairings {
  constructor(
    private readonly pairings: AggregateRepository<PairingState, PairingEvent>,
    private readonly snapshots: Collection<Snapshot<PairingState>>,
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly meetings: AggregateRepository<JointMeetingState, JointMeetingEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async ensureIndexes(snapshots: Collection<Snapshot<PairingState>>): Promise<void> {
    await snapshots.createIndex(
      { "state.communityAreaId": 1, "state.status": 1 },
      { name: "community_status" },
    );
  }

  /**
   * Of concurrent requests for the same pair, the first to append the pair's next version
   * forms it; the others are decided again and find it active (ALREADY_PAIRED).
   */
  async form(command: FormPairing, caller: Caller): Promise<PairingView> {
    validatePairing(command);
    const { state: organisation } = await this.organisations.load(command.organisationId);
    if (organisation.status === "none") throw new NotFoundError("party organisation", command.organisationId);
    requireRoleIn(caller, communityKeepers, organisation.areaId);
    const { state: meeting } = await this.meetings.load(organisation.areaId.slice(0, 12));
    const pairingId = pairingIdOf(command.organisationId, command.unitId);
    const { state, version } = await this.pairings.execute(pairingId, (current) =>
      decideFormPairing(command, organisation, meeting, current, caller.subject, this.now()),
    );
    return { ...paired(state, pairingId), version };
  }

  async get(pairingId: string, caller: Caller): Promise<PairingView> {
    if (!pairingIdPattern.test(pairingId))
      throw new InvalidArgumentError([
        { field: "pairingId", description: "must be <organisationId>.<unitId>" },
      ]);
    const { state, version } = await this.pairings.load(pairingId);
    const pairing = paired(state, pairingId);
    requireRoleIn(caller, communityKeepers, pairing.communityAreaId);
    return { ...pairing, version };
  }

  async end(pairingId: string, endedOn: string, note: string, caller: Caller): Promise<PairingView> {
    await this.get(pairingId, caller);
    const { state, version } = await this.pairings.execute(pairingId, (current) =>
      decideEndPairing(paired(current, pairingId), endedOn, note, caller.subject, this.now()),
    );
    return { ...paired(state, pairingId), version };
  }

  /** Ids of the unit's active pairings with organisations of the community. */
  async activePairingIdsOf(communityAreaId: string, unitId: string): Promise<string[]> {
    const active = await this.snapshots
      .find(
        {
          "state.communityAreaId": communityAreaId,
          "state.status": "active",
          "state.unitId": unitId,
        } as Filter<Snapshot<PairingState>>,
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
    const found = await pageOfSnapshots(this.snapshots, query as Filter<Snapshot<PairingState>>, page);
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
