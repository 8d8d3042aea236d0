import { pause } from "./retrying-client.js";
import { bearer } from "./tokens.js";

/**
 * POSTs until 201 and returns the body: right after the geography is seeded,
 * volunteer-stations may not have the areas yet (they come from grid-cases' events).
 */
async function created<Body>(
  gatewayUrl: string,
  path: string,
  authorization: string,
  body: unknown,
): Promise<Body> {
  for (let tries = 0; ; tries++) {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify(body),
    });
    if (response.status === 201) return (await response.json()) as Body;
    if (tries > 100) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await pause(200);
  }
}

/**
 * A station of `areaId` and one activity with a shift a day from tomorrow for each of
 * `capacities` (two hours, that many places each); the shifts' ids.
 */
export async function openShifts(
  gatewayUrl: string,
  staff: string,
  { stationId, areaId, capacities }: { stationId: string; areaId: string; capacities: number[] },
): Promise<string[]> {
  await created(gatewayUrl, "/api/v1/volunteer-stations", staff, {
    stationId,
    kind: "blue_sky_hut",
    name: `Station ${stationId}`,
    areaId,
  });
  const tomorrow = Date.now() + 86_400_000;
  const activity = await created<{ shifts?: { shiftId: string }[] }>(
    gatewayUrl,
    "/api/v1/volunteer-activities",
    staff,
    {
      stationId,
      title: `Shifts of ${stationId}`,
      shifts: capacities.map((capacity, day) => ({
        startsAt: new Date(tomorrow + day * 86_400_000).toISOString(),
        endsAt: new Date(tomorrow + day * 86_400_000 + 7_200_000).toISOString(),
        capacity,
      })),
    },
  );
  const shiftIds = (activity.shifts ?? []).map((shift) => shift.shiftId);
  if (shiftIds.length !== capacities.length) throw new Error(`the activity has ${shiftIds.length} shifts`);
  return shiftIds;
}

/** `count` volunteers of `areaId` (`<prefix>-0000`, …) registered, each with a token of their own; 20 at a time. */
export async function registeredVolunteers(
  gatewayUrl: string,
  { prefix, count, areaId }: { prefix: string; count: number; areaId: string },
): Promise<{ volunteerId: string; authorization: string }[]> {
  const volunteers = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const volunteerId = `${prefix}-${String(index).padStart(4, "0")}`;
      return { volunteerId, authorization: bearer(volunteerId, { roles: ["volunteer"] }) };
    }),
  );
  for (let batch = 0; batch < volunteers.length; batch += 20) {
    await Promise.all(
      volunteers.slice(batch, batch + 20).map(({ volunteerId, authorization }) =>
        created(gatewayUrl, "/api/v1/volunteers", authorization, {
          volunteerId,
          name: `志愿者${volunteerId}`,
          phone: "13812345678",
          areaId,
          skills: [],
          availability: [],
        }),
      ),
    );
  }
  return volunteers;
}
