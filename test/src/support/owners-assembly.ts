import { expect } from "vitest";
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
  const created = await api.post(
    "/api/v1/councils",
    {
      kind: "owners_assembly",
      areaId: compound,
      name: "某小区业主大会",
      seatCount: areas.length,
      termStart: "2026-01-01",
      termEnd: "2030-12-31",
    },
    staff,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const councilId = created.body.councilId as string;
  for (const [index, area] of areas.entries()) {
    const added = await api.post(
      `/api/v1/councils/${councilId}/members`,
      {
        memberId: `owner-${index}`,
        name: `业主${index}`,
        role: "owner",
        unitId: `1-${index}`,
        building: "1",
        floorAreaCentiM2: area,
      },
      staff,
    );
    expect(added.status, JSON.stringify(added.body)).toBe(200);
  }
  return councilId;
}
