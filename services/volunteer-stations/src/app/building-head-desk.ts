import type { AreaDirectory } from "@civic/area-replica";
import { AreaCode, type Caller, NotFoundError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import { requireMayList } from "../domain/authority.js";
import {
  type AppointHead,
  type BuildingEvent,
  type BuildingState,
  buildingHeadRoles,
  decideAppointHead,
  decideRelieveHead,
} from "../domain/building-head.js";
import { StationFieldChecks } from "../domain/field-checks.js";

export type BuildingView = BuildingState & { version: number };

export interface HeadCoverage {
  communityId: string;
  communityName: string;
  /** Buildings of the community in grid-cases' tree (this service's replica of it). */
  buildings: number;
  withHead: number;
  /** withHead / buildings, 0 when the community has no buildings. */
  coverage: number;
  /** Of the heads, how many take on each of the five roles. */
  roles: Record<string, number>;
}

/** Building heads with their roles, checked against grid-cases' area tree; coverage by community. */
export class BuildingHeadDesk {
  constructor(
    private readonly buildings: AggregateRepository<BuildingState, BuildingEvent>,
    private readonly areas: Pick<AreaDirectory, "get" | "within">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async appoint(command: AppointHead, caller: Caller): Promise<BuildingView> {
    const area = AreaCode.is(command.buildingId, "building")
      ? await this.areas.get(command.buildingId)
      : undefined;
    const { state, version } = await this.buildings.execute(command.buildingId, (current) =>
      decideAppointHead(command, current, area?.level === "building", caller, this.now()),
    );
    return { ...state, version };
  }

  async relieve(buildingId: string, reason: string, caller: Caller): Promise<BuildingView> {
    const { state, version } = await this.buildings.execute(buildingId, (current) =>
      decideRelieveHead(current, buildingId, reason, caller, this.now()),
    );
    return { ...state, version };
  }

  async get(buildingId: string): Promise<BuildingView> {
    const { state, version } = await this.buildings.load(buildingId);
    if (state.status === "none") throw new NotFoundError("building head", buildingId);
    return { ...state, version };
  }

  /** Coverage of each community in an area (a street, a district, or one community): staff of it. */
  async coverage(areaPrefix: string, caller: Caller): Promise<HeadCoverage[]> {
    new StationFieldChecks()
      .check(
        "areaId",
        AreaCode.isPrefix(areaPrefix, { min: 6, max: 12 }),
        "must be a community code or one above it",
      )
      .throwIfAny();
    requireMayList(caller, areaPrefix);
    const [communities, buildings, headed] = await Promise.all([
      this.areas.within(areaPrefix, "community"),
      this.areas.within(areaPrefix, "building"),
      this.buildings.snapshots
        .find({ ...AreaCode.range("state.buildingId", areaPrefix), "state.status": "headed" })
        .toArray(),
    ]);
    return communities.map((community) => {
      const own = new Set(
        buildings.filter((building) => building.areaId.startsWith(community.areaId)).map((b) => b.areaId),
      );
      const heads = headed.filter((snapshot) => own.has(snapshot.state.buildingId));
      return {
        communityId: community.areaId,
        communityName: community.name,
        buildings: own.size,
        withHead: heads.length,
        coverage: own.size === 0 ? 0 : Math.round((heads.length / own.size) * 1_000) / 1_000,
        roles: Object.fromEntries(
          buildingHeadRoles.map((role) => [
            role,
            heads.filter((head) => head.state.roles.includes(role)).length,
          ]),
        ),
      };
    });
  }
}
