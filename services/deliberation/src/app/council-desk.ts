import { AreaCode, type Caller, InvalidArgumentError } from "@civic/domain-kit";
import { type AggregateRepository, pageOfSnapshots } from "@civic/event-log";
import { requireOrganiserOf } from "../domain/authorisation.js";
import type { Council, CouncilEvent, CouncilState } from "../domain/council.js";
import {
  type AddMember,
  type CreateCouncil,
  decideAddMember,
  decideCreateCouncil,
  decideRemoveMember,
  requireCouncil,
} from "../domain/council-decisions.js";
import type { AreaScope } from "./area-scope.js";

export interface CouncilView {
  council: Council;
  version: number;
}

/** Use cases of councils: constitute one, seat and unseat members, read them. */
export class CouncilDesk {
  constructor(
    private readonly councils: AggregateRepository<CouncilState, CouncilEvent>,
    private readonly areas: AreaScope,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: Omit<CreateCouncil, "councilId" | "by" | "at">, caller: Caller): Promise<CouncilView> {
    const councilId = this.newId();
    const areaId = input.areaId.trim();
    // Input first, so that a malformed area code is a field problem rather than "not your area".
    const created = decideCreateCouncil({ ...input, areaId, councilId, by: caller.subject, at: this.now() });
    await this.areas.requireCommunityOrCompound(areaId);
    requireOrganiserOf(caller, areaId, "constituting a council");
    const { state, version } = await this.councils.create(councilId, () => created);
    return { council: requireCouncil(state, councilId), version };
  }

  async addMember(
    councilId: string,
    input: Omit<AddMember, "by" | "at">,
    caller: Caller,
  ): Promise<CouncilView> {
    const { state, version } = await this.councils.execute(councilId, (current) => {
      const council = requireCouncil(current, councilId);
      requireOrganiserOf(caller, council.areaId, "seating council members");
      return decideAddMember({ ...input, by: caller.subject, at: this.now() }, council);
    });
    return { council: requireCouncil(state, councilId), version };
  }

  /**
   * Seats a representative a building elected (vote `voteId`), on a free seat; nothing when
   * they already sit on the council, so a repeated close event seats them once. A full
   * council is FailedPreconditionError NO_FREE_SEAT.
   */
  async seatElected(
    councilId: string,
    elected: { memberId: string; name: string; building: string; voteId: string },
  ): Promise<{ seated: boolean }> {
    const { event } = await this.councils.execute(councilId, (current) => {
      const council = requireCouncil(current, councilId);
      if (council.members.some((member) => member.memberId === elected.memberId)) return undefined;
      return decideAddMember(
        {
          memberId: elected.memberId,
          name: elected.name,
          role: "representative",
          unitId: "",
          building: elected.building,
          floorAreaCentiM2: 0,
          by: `election:${elected.voteId}`,
          at: this.now(),
        },
        council,
      );
    });
    return { seated: event !== undefined };
  }

  async removeMember(councilId: string, memberId: string, caller: Caller): Promise<CouncilView> {
    const { state, version } = await this.councils.execute(councilId, (current) => {
      const council = requireCouncil(current, councilId);
      requireOrganiserOf(caller, council.areaId, "unseating council members");
      return decideRemoveMember(memberId, council, caller.subject, this.now());
    });
    return { council: requireCouncil(state, councilId), version };
  }

  /** Councils are public: who represents a community is part of its disclosure. */
  async get(councilId: string): Promise<CouncilView> {
    const { state, version } = await this.councils.load(councilId);
    return { council: requireCouncil(state, councilId), version };
  }

  async list(areaId: string, page: { pageSize: number; pageToken: string }) {
    if (!AreaCode.isPrefix(areaId, { min: 0 })) {
      throw new InvalidArgumentError([
        { field: "areaId", description: "must be an area code prefix (digits)" },
      ]);
    }
    const filter = AreaCode.range("state.areaId", areaId);
    const found = await pageOfSnapshots(this.councils.snapshots, filter as never, page);
    return {
      councils: found.items.map((item) => ({
        council: requireCouncil(item.state, item._id),
        version: item.version,
      })),
      nextPageToken: found.nextPageToken,
    };
  }
}
