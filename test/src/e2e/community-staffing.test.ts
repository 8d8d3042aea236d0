import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const community = "440402001002";

describe("community staffing standards through the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  let nats: NatsConnection;
  const admin = bearer("admin-1", { roles: ["platform_admin"] });
  const commandCentre = bearer("cc-1", { roles: ["command_centre"] });
  const communityStaff = bearer("cs-7", { roles: ["community_staff"], areas: [community] });

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
    await seedGeography(platform().gatewayUrl);
    // Nancun: 9,000 residents in 3,150 households (2.86 persons each).
    const figures = await api.put(
      `/api/v1/areas/${community}/figures`,
      { population: 9_000, households: 3_150 },
      admin,
    );
    expect(figures.status, JSON.stringify(figures.body)).toBe(200);
  });
  afterAll(() => nats.drain());

  function follow(type: string, count: number) {
    const subscription: Subscription = nats.subscribe(
      `${platform().namespace}.grid-cases.community_staffing.${type}`,
      {
        max: count,
        timeout: 10_000,
      },
    );
    return async () => {
      const events: { data: Record<string, unknown> }[] = [];
      for await (const message of subscription) events.push(JSON.parse(message.string()));
      return events;
    };
  }
  const startWorker = (n: number, token = communityStaff) =>
    api.post(
      `/api/v1/communities/${community}/workers`,
      { personId: `worker-${n}`, name: `社工${n}`, startDate: "2020-01-06" },
      token,
    );
  const flagged = async (areaId: string) =>
    (await api.get(`/api/v1/flagged-communities?areaId=${areaId}`, commandCentre)).body.communities.map(
      (staffing: { communityId: string }) => staffing.communityId,
    );

  it("flags a community below the standards, publishes what it newly breaks, and unflags it once staffed", async () => {
    const broken = follow("standard_broken", 1);
    const first = await startWorker(1);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.assessment).toMatchObject({
      residents: 9_000,
      households: 3_150,
      workers: 1,
      householdsPerWorker: 3_150,
      quota: 6,
      breaches: ["households_per_worker", "workers_per_10k_residents", "worker_quota"],
    });
    const [event] = await broken();
    expect(event?.data).toMatchObject({
      communityId: community,
      newlyBroken: ["households_per_worker", "workers_per_10k_residents", "worker_quota"],
    });
    expect(await flagged("440402")).toEqual([community]);

    const restored = follow("standards_restored", 3);
    let last = first;
    for (let n = 2; n <= 17; n++) {
      last = await startWorker(n);
      expect(last.status, JSON.stringify(last.body)).toBe(200);
    }
    // 17 workers: 185 households each, 18.9 per 10,000 residents, above the quota of 6.
    expect(last.body.assessment).toMatchObject({ workers: 17, workersPer10kResidents: 18.89, breaches: [] });
    // Mended one by one: the quota at 6 workers, households per worker at 8, the ratio at 17.
    expect((await restored()).map((event) => event.data.restored)).toEqual([
      ["worker_quota"],
      ["households_per_worker"],
      ["workers_per_10k_residents"],
    ]);
    expect(await flagged("440402")).toEqual([]);
  });

  it("a worker's end newly breaks the ratio; lower figures of the area mend it", async () => {
    const broken = follow("standard_broken", 1);
    const ended = await api.post(
      `/api/v1/communities/${community}/workers/worker-17/end`,
      { endDate: "2021-01-01" },
      communityStaff,
    );
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.assessment).toMatchObject({ workers: 16, breaches: ["workers_per_10k_residents"] });
    expect((await broken())[0]?.data).toMatchObject({ newlyBroken: ["workers_per_10k_residents"] });
    expect(await flagged("440402001")).toEqual([community]);
    expect(await flagged("440403")).toEqual([]);

    await api.put(`/api/v1/areas/${community}/figures`, { population: 8_000, households: 2_800 }, admin);
    expect(await flagged("440402")).toEqual([]);
    const street = await api.get("/api/v1/streets/440402001/staffing", communityStaff);
    expect(street.status, JSON.stringify(street.body)).toBe(403);
    const streetByCentre = await api.get("/api/v1/streets/440402001/staffing", commandCentre);
    expect(streetByCentre.body).toMatchObject({
      streetId: "440402001",
      communities: 1,
      flaggedCommunities: 0,
      assessment: { residents: 8_000, workers: 16, workersPer10kResidents: 20, breaches: [] },
    });
  });

  it("moves the quota with land and economy", async () => {
    const profiled = await api.put(
      `/api/v1/communities/${community}/profile`,
      { areaKm2: 4.5, economy: "developed" },
      communityStaff,
    );
    expect(profiled.status, JSON.stringify(profiled.body)).toBe(200);
    expect(profiled.body).toMatchObject({ areaKm2: 4.5, economy: "developed", assessment: { quota: 8 } });
  });

  it("refuses other communities' staff (403) and bad input field by field (400), storing nothing", async () => {
    const other = bearer("cs-9", { roles: ["community_staff"], areas: ["440402001009"] });
    expect((await startWorker(99, other)).status).toBe(403);
    expect((await api.get(`/api/v1/communities/${community}/staffing`, other)).status).toBe(403);
    const bad = await api.post(
      `/api/v1/communities/${community}/workers`,
      { personId: "worker 100", name: " ", startDate: "2020-02-30" },
      communityStaff,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((violation: { field: string }) => violation.field)).toEqual([
      "personId",
      "name",
      "startDate",
    ]);
    const badProfile = await api.put(
      `/api/v1/communities/${community}/profile`,
      { areaKm2: -1, economy: "booming" },
      communityStaff,
    );
    expect(badProfile.body.errors.map((violation: { field: string }) => violation.field)).toEqual([
      "areaKm2",
      "economy",
    ]);
    const read = await api.get(`/api/v1/communities/${community}/staffing`, communityStaff);
    expect(read.body).toMatchObject({ areaKm2: 4.5, economy: "developed", assessment: { workers: 16 } });
    expect(read.body.workers).toHaveLength(17);
  });
});
