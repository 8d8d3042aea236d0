import type { ReplicatedArea } from "@civic/area-replica";
import { InvalidArgumentError } from "@civic/domain-kit";

/** Where deliberation reads grid-cases' areas: its own replica of them (`@civic/area-replica`). */
export interface AreaLookup {
  get(areaId: string): Promise<ReplicatedArea | undefined>;
}

/**
 * Councils, topics and funds belong to a community or a compound: an area of grid-cases'
 * tree at level `community`, or a `grid` (a residential compound, 小区, is a grid of its
 * community). An unknown code or another level is a field problem of the request.
 */
export const deliberationLevels = ["community", "grid"] as const;

export class AreaScope {
  constructor(private readonly areas: AreaLookup) {}

  /** Any area of grid-cases' tree (a renovation programme may be a city's, a district's, a street's). */
  async requireKnown(areaId: string, field = "areaId"): Promise<ReplicatedArea> {
    const area = await this.areas.get(areaId);
    if (!area) {
      throw new InvalidArgumentError([{ field, description: `${areaId} is not a known area of grid-cases` }]);
    }
    return area;
  }

  async requireCommunityOrCompound(areaId: string, field = "areaId"): Promise<ReplicatedArea> {
    const area = await this.areas.get(areaId);
    if (!area) {
      throw new InvalidArgumentError([
        { field, description: `${areaId} is not a known community or compound of grid-cases` },
      ]);
    }
    if (!(deliberationLevels as readonly string[]).includes(area.level)) {
      throw new InvalidArgumentError([
        {
          field,
          description: `${areaId} (${area.name}) is a ${area.level}: it must be a community or a compound (grid)`,
        },
      ]);
    }
    return area;
  }
}
