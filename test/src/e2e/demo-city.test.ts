import { loadDemoCity } from "@civic/local-platform/demo-city";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { httpClient } from "../support/http-client.js";
import { bearer } from "../support/tokens.js";
import { startWholePlatform, type WholePlatform } from "../support/whole-platform.js";

/** The demo city at 1% (every rate the seeds'), loaded through the public API like `pnpm demo`. */
describe("the demo city", () => {
  let platform: WholePlatform;
  let admin: string;
  let http: ReturnType<typeof httpClient>;
  const phases: string[] = [];

  beforeAll(async () => {
    platform = await startWholePlatform(inject("mongoUri"), inject("natsUrl"));
    http = httpClient(platform.gatewayUrl);
    admin = await bearer("demo-city-test", { roles: ["platform_admin"] });
    const report = await loadDemoCity(platform.gatewayUrl, {
      scale: 0.01,
      authorizationFor: (caller) => bearer(caller.subject, caller),
      onProgress: (phase, done, total) => {
        if (done === total) phases.push(`${phase} ${total}`);
      },
    });
    expect(report.skipped).toEqual([]);
  }, 600_000);

  afterAll(() => platform?.stop());

  it("reports each phase's progress to its end", () => {
    expect(phases).toEqual([
      "areas 19",
      "departments 14",
      "grid staff 16",
      "organisations 37",
      "party tree 14",
      "stations 8",
      "cases 134",
    ]);
  });

  it("has Zhuhai, Xiangzhou's streets with Tangjiawan, and grids staffed by a chief and three workers", async () => {
    const city = await http.get("/api/v1/areas/440400", admin);
    expect(city.body).toMatchObject({ name: "珠海市", level: "city" });
    const streets = await http.get("/api/v1/areas?parentId=440402&pageSize=50", admin);
    expect((streets.body as { areas: { name: string }[] }).areas.map((street) => street.name)).toContain(
      "唐家湾镇",
    );
    const grid = await http.get("/api/v1/areas/440402001001001", admin);
    const roles = (grid.body as { staff: { role: string }[] }).staff.map((member) => member.role).sort();
    expect(roles).toEqual(["chief", "worker", "worker", "worker"]);
  });

  it("shows the seed's 13.61 registered organisations per 10,000 residents for the city", async () => {
    const density = await http.get("/api/v1/density-metrics/440400", admin);
    expect(density.status).toBe(200);
    expect(density.body).toMatchObject({ organisations: { count: 35, per10k: 13.61 } });
  });

  it("has every department the shipped case catalogue dispatches to", async () => {
    const categories = await http.get("/api/v1/case-categories?pageSize=200", admin);
    const departments = await http.get("/api/v1/departments?pageSize=100", admin);
    const loaded = new Set(
      (departments.body as { departments: { departmentId: string }[] }).departments.map(
        (each) => each.departmentId,
      ),
    );
    const wanted = (categories.body as { categories: { defaultDepartmentId: string }[] }).categories
      .map((category) => category.defaultDepartmentId)
      .filter((departmentId) => departmentId !== "");
    expect(wanted.length).toBeGreaterThan(20);
    expect(wanted.filter((departmentId) => !loaded.has(departmentId))).toEqual([]);
  });

  it("founds the party tree by area and registers the stations", async () => {
    const district = await http.get("/api/v1/party-organisations?parentId=", admin);
    const committee = (
      district.body as { organisations: { organisationId: string; areaId: string; name: string }[] }
    ).organisations.find((organisation) => organisation.areaId === "440402");
    expect(committee).toMatchObject({ areaId: "440402", name: "中共香洲区委员会" });
    const subtree = await http.get(`/api/v1/party-organisations/${committee?.organisationId}/subtree`, admin);
    expect(JSON.stringify(subtree.body).match(/"areaId":"\d{12}"/g)).toHaveLength(2);
    const huts = await http.get("/api/v1/volunteer-stations?areaId=440402&pageSize=50", admin);
    expect(
      [
        ...new Set((huts.body as { stations: { kind: string }[] }).stations.map((station) => station.kind)),
      ].sort(),
    ).toEqual(["blue_sky_hut", "migrant_youth_home", "service_point", "youth_station"]);
  });

  it("has the year's cases, 88.8% of them resolved (the seed's 88.79% at full scale), in the district's statistics", {
    timeout: 300_000,
  }, async () => {
    // The statistics are a projection of the cases' events, which catches up after the load
    // (about a thousand events here: a minute or two on two cores).
    await vi.waitFor(
      async () => {
        const statistics = await http.get("/api/v1/case-statistics?scope=area&value=440402", admin);
        expect(statistics.body).toMatchObject({ collected: 134, resolved: 119, resolutionRate: 88.81 });
      },
      { timeout: 240_000, interval: 2_000 },
    );
  });

  it("adds nothing when loaded a second time", async () => {
    const before = await platform.storedDocuments({ settled: true });
    const again = await loadDemoCity(platform.gatewayUrl, {
      scale: 0.01,
      authorizationFor: (caller) => bearer(caller.subject, caller),
    });
    expect(again.skipped).toEqual([
      "areas",
      "departments",
      "grid staff",
      "organisations",
      "party tree",
      "stations",
      "cases",
    ]);
    expect(await platform.storedDocuments({ settled: true })).toEqual(before);
  });
});
