import { loadDemoCity } from "@civic/local-platform/demo-city";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import { startWholePlatform } from "../support/whole-platform.js";

/** The demo city at 1% (every rate the seeds'), loaded through the public API like `pnpm demo`. */
describe("the demo city", () => {
  // Thousands of steps on a machine other test runs share: the gateway waits up to 20 s (a
  // scorecard reads eight projections, which a loaded FerretDB serves slowly).
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startWholePlatform(mongoUri, natsUrl, { GRPC_DEADLINE_MS: 20_000 }),
  );
  let admin: string;
  const http = httpClient(() => platform().gatewayUrl);
  const phases: string[] = [];

  beforeAll(async () => {
    const report = await loadDemoCity(platform().gatewayUrl, {
      scale: 0.01,
      authorizationFor: async (caller) => bearer(caller.subject, caller),
      onProgress: (phase, done, total) => {
        if (done === total) phases.push(`${phase} ${total}`);
      },
    });
    expect(report.skipped).toEqual([]);
  }, 900_000);

  // A token expires, and loading and the projections catching up take long: each test gets a fresh one.
  beforeEach(() => {
    admin = bearer("demo-city-test", { roles: ["platform_admin"] });
  });

  it("reports each phase's progress to its end", () => {
    expect(phases).toEqual([
      "areas 19",
      "departments 14",
      "grid staff 16",
      "organisations 37",
      "party tree 14",
      "stations 8",
      "volunteer activities 8",
      "cases 124",
      "liaison 20",
      "deliberation 1",
      "maintenance funds 1",
      "volunteer hours 8",
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

  it("has the year's cases, liaison problems' cases among them, 88.8% of them resolved (the seed's 88.79% at full scale), in the district's statistics", {
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

  it("has liaison problems solved in the seed's proportion (ten at this scale, nine solved), volunteer hours and maintenance deposits in the district's scorecard", {
    timeout: 480_000,
  }, async () => {
    const liaison = await http.get("/api/v1/liaison-statistics?areaId=440402", admin);
    expect(liaison.body).toMatchObject({ householdsReceived: 25, householdsVisited: 182 });
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    await vi.waitFor(
      async () => {
        const scorecard = await http.get(`/api/v1/scorecards/440402/${year}`, admin);
        expect(scorecard.body).toMatchObject({
          cases: { collected: 134, resolved: 119 },
          liaison: { problemsCollected: 10, problemsSolved: 9, solveRate: 90 },
          // Ten volunteers at each of the eight stations, serving its shift less up to half an hour.
          volunteering: { approvedMinutes: 20_425, hoursPerResident: 0.02 },
          // Building 1's 24 households, 120 yuan per m² of their floor area.
          maintenanceFunds: { depositedFen: 28_443_120, withdrawnFen: 0 },
        });
      },
      { timeout: 420_000, interval: 2_000 },
    );
  });

  it("has a residents' council that voted on its topic by show of hands, closed the vote and funded the playground from two funds", async () => {
    const councils = await http.get("/api/v1/councils?areaId=440402001001", admin);
    const council = (councils.body as { councils: { name: string; members: unknown[] }[] }).councils[0];
    expect(council).toMatchObject({ name: "拱北第1社区居民议事会" });
    expect(council?.members).toHaveLength(18);
    const topics = await http.get("/api/v1/topics?areaId=440402001001", admin);
    const topic = (
      topics.body as {
        topics: { title: string; status: string; steps: { step: string; reference: string }[] }[];
      }
    ).topics[0];
    expect(topic).toMatchObject({ title: "小区儿童游乐场建设", status: "completed" });
    const reference = (step: string) => topic?.steps.find((each) => each.step === step)?.reference ?? "";
    const vote = await http.get(`/api/v1/votes/${reference("decide")}`, admin);
    expect(vote.body).toMatchObject({
      status: "closed",
      method: "show_of_hands",
      result: {
        adopted: true,
        votesCast: 18,
        options: [
          { option: "yes", votes: 15 },
          { option: "no", votes: 1 },
          { option: "abstain", votes: 2 },
        ],
      },
    });
    const [happinessFund, compoundFund] = reference("implement").split(",");
    // 100,000 yuan credited, 20,000 allocated; 60,000 credited, 45,000 allocated (the seed's playground).
    expect((await http.get(`/api/v1/funds/${happinessFund}`, admin)).body).toMatchObject({
      kind: "community_happiness_fund",
      balanceFen: 8_000_000,
    });
    expect((await http.get(`/api/v1/funds/${compoundFund}`, admin)).body).toMatchObject({
      kind: "compound_public_fund",
      areaId: "440402001001001",
      balanceFen: 1_500_000,
    });
  });

  it("adds nothing when loaded a second time", { timeout: 300_000 }, async () => {
    const before = await platform().storedDocuments({ settled: true });
    const again = await loadDemoCity(platform().gatewayUrl, {
      scale: 0.01,
      authorizationFor: async (caller) => bearer(caller.subject, caller),
    });
    expect(again.skipped).toEqual([
      "areas",
      "departments",
      "grid staff",
      "organisations",
      "party tree",
      "stations",
      "volunteer activities",
      "cases",
      "liaison",
      "deliberation",
      "maintenance funds",
      "volunteer hours",
    ]);
    expect(await platform().storedDocuments({ settled: true })).toEqual(before);
  });
});
