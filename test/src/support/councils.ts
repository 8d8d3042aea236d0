import { expect } from "vitest";
import type { httpClient } from "./http-client.js";

export interface CouncilMember {
  memberId: string;
  name: string;
  role: string;
  unitId?: string;
  building?: string;
  floorAreaCentiM2?: number;
}

/**
 * Constitutes a council through the gateway, for a term from 2026 to 2028 unless `termEnd` says
 * otherwise, and seats `members` on it. Answers the council's id.
 */
export async function constituteCouncil(
  api: ReturnType<typeof httpClient>,
  staff: string,
  council: { kind: string; areaId: string; name: string; seatCount: number; termEnd?: string },
  members: CouncilMember[],
): Promise<string> {
  const created = await api.post(
    "/api/v1/councils",
    { termStart: "2026-01-01", termEnd: "2028-12-31", ...council },
    staff,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const councilId = created.body.councilId as string;
  for (const member of members) {
    const seated = await api.post(`/api/v1/councils/${councilId}/members`, member, staff);
    expect(seated.status, JSON.stringify(seated.body)).toBe(200);
  }
  return councilId;
}
