import { constituteCouncil } from "./councils.js";
import type { httpClient } from "./http-client.js";

/**
 * Constitutes an owners' assembly of `areas.length` units in `compound` through the gateway:
 * owner i (`owner-<i>`) has unit 1-<i> with areas[i] hundredths of m². Answers its council id.
 */
export async function ownersAssembly(
  api: ReturnType<typeof httpClient>,
  staff: string,
  compound: string,
  areas: number[],
): Promise<string> {
  return constituteCouncil(
    api,
    staff,
    {
      kind: "owners_assembly",
      areaId: compound,
      name: "某小区业主大会",
      seatCount: areas.length,
      termEnd: "2030-12-31",
    },
    areas.map((area, index) => ({
      memberId: `owner-${index}`,
      name: `业主${index}`,
      role: "owner",
      unitId: `1-${index}`,
      building: "1",
      floorAreaCentiM2: area,
    })),
  );
}
