import { organisationCodeCheckCharacter, withCreditCodeCheck } from "@civic/social-registry";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { publishAreas } from "../support/published-areas.js";
import { bearer } from "../support/tokens.js";

const street = "440402001";
const nancun = "440402001002";
const shanchang = "440402001009";

describe("density metrics through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startTestPlatform(mongoUri, natsUrl, 5_000, undefined, { socialRegistry: true }),
  );
  const officer = bearer("civil-affairs-xz", { roles: ["civil_affairs"], areas: ["440402"] });
  const http = httpClient(() => platform().gatewayUrl);

  /** Files an organisation on `filedOn` and moves it along `changes` ([action, effectiveOn]). */
  const organisation = async (
    code: string,
    legalForm: string,
    areaId: string,
    filedOn: string,
    changes: [string, string][],
  ) => {
    const filed = await http.post(
      "/api/v1/organisations",
      {
        creditCode: code,
        name: `组织${code.slice(-4)}`,
        legalForm,
        category: "community_service",
        areaId,
        filedOn,
      },
      officer,
    );
    expect(filed.status).toBe(201);
    for (const [action, effectiveOn] of changes) {
      const changed = await http.post(
        `/api/v1/organisations/${code}/status-changes`,
        { action, effectiveOn, reason: "年检不合格" },
        officer,
      );
      expect(changed.status).toBe(200);
    }
  };
  const activeSince = (on: string): [string, string][] => [
    ["approve_registration", on],
    ["activate", on],
  ];

  beforeAll(async () => {
    const areas = [
      {
        areaId: "440400",
        level: "city",
        name: "珠海市",
        parentId: "",
        population: 2_581_829,
        households: 902_738,
      },
      {
        areaId: "440402",
        level: "district",
        name: "香洲区",
        parentId: "440400",
        population: 1_000_000,
        households: 350_000,
      },
      {
        areaId: street,
        level: "street",
        name: "拱北街道",
        parentId: "440402",
        population: 8_000,
        households: 2_800,
      },
      {
        areaId: nancun,
        level: "community",
        name: "南村社区",
        parentId: street,
        population: 5_000,
        households: 1_750,
      },
      {
        areaId: shanchang,
        level: "community",
        name: "山场社区",
        parentId: street,
        population: 3_000,
        households: 1_050,
      },
    ];
    const { namespace, socialRegistry } = platform();
    if (!socialRegistry) throw new Error("social-registry was not started");
    await publishAreas(inject("natsUrl"), namespace, areas, socialRegistry.areas);

    // Nancun: 5 social groups active since 2025-03-01 (one suspended 2025-09-01), and 5 filed
    // community organisations; Shanchang: one filed community organisation.
    for (const serial of [1, 2, 3, 4, 5]) {
      const code = xiangzhouCode("1", serial);
      const changes = activeSince("2025-03-01");
      if (serial === 5) changes.push(["suspend", "2025-09-01"]);
      await organisation(code, "social_group", nancun, "2025-02-01", changes);
    }
    for (const serial of [6, 7, 8, 9, 10])
      await organisation(xiangzhouCode("9", serial), "community_organisation", nancun, "2025-04-01", []);
    await organisation(xiangzhouCode("9", 11), "community_organisation", shanchang, "2025-04-01", []);
    for (const [licenceNumber, registeredOn] of [
      ["GD-SW-0001", "2025-01-01"],
      ["GD-SW-0002", "2025-06-01"],
      ["GD-SW-0003", "2026-01-01"],
    ] as const) {
      const registered = await http.post(
        "/api/v1/social-workers",
        { name: "社工", licenceLevel: "social_worker", licenceNumber, areaId: nancun, registeredOn },
        officer,
      );
      expect(registered.status).toBe(201);
    }
  });

  it("reports organisations and workers per 10,000 residents and per community on a date", async () => {
    const report = await http.get(`/api/v1/density-metrics/${street}?asOf=2025-12-31`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      areaId: street,
      asOf: "2025-12-31",
      population: 8_000,
      // 4 active of 8,000 residents (the fifth is suspended): 5 per 10k, below 6.5.
      organisations: { count: 4, per10k: 5, target: 6.5, meetsTarget: false },
      // Workers registered by then: 2 of 8,000 → 2.5; no target configured.
      socialWorkers: { count: 2, per10k: 2.5 },
      communities: [
        // 4 active and 5 filed; the suspended one does not count: 9 of 10.
        {
          areaId: nancun,
          name: "南村社区",
          settlement: "urban",
          communityOrganisations: 9,
          target: 10,
          meetsTarget: false,
        },
        {
          areaId: shanchang,
          name: "山场社区",
          settlement: "urban",
          communityOrganisations: 1,
          target: 10,
          meetsTarget: false,
        },
      ],
      communitiesMeetingTarget: 0,
    });
    // No target configured: neither a target nor a verdict (absent, as proto3 JSON leaves them).
    expect(report.body.socialWorkers).not.toHaveProperty("target");
    expect(report.body.socialWorkers).not.toHaveProperty("meetsTarget");
  });

  it("counts what was in force on an earlier date", async () => {
    const spring = await http.get(`/api/v1/density-metrics/${nancun}?asOf=2025-03-15`);
    // All 5 social groups active, the community organisations not yet filed; one worker.
    expect(spring.body.organisations).toEqual({ count: 5, per10k: 10, target: 6.5, meetsTarget: true });
    expect(spring.body.socialWorkers).toMatchObject({ count: 1, per10k: 2 });
    expect(spring.body.communities).toEqual([
      expect.objectContaining({ areaId: nancun, communityOrganisations: 5 }),
    ]);
    const today = await http.get(`/api/v1/density-metrics/${nancun}`);
    expect(today.body.socialWorkers.count).toBe(3);
    // The city counts its districts' organisations (codes sharing its first 4 digits).
    const city = await http.get("/api/v1/density-metrics/440400?asOf=2025-12-31");
    expect(city.body).toMatchObject({ population: 2_581_829, organisations: { count: 4, per10k: 0.02 } });
    expect(city.body.communities).toHaveLength(2);
  });

  it("refuses a bad or future date and an unknown area", async () => {
    const badDate = await http.get(`/api/v1/density-metrics/${street}?asOf=2025-02-30`);
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors).toEqual([{ field: "asOf", detail: "must be a date YYYY-MM-DD" }]);
    expect((await http.get(`/api/v1/density-metrics/${street}?asOf=2999-01-01`)).status).toBe(400);
    expect((await http.get("/api/v1/density-metrics/4404021")).status).toBe(400);
    expect((await http.get("/api/v1/density-metrics/440499")).status).toBe(404);
    expect((await http.get(`/api/v1/density-metrics/${street}?from=2025-01-01`)).status).toBe(400);
  });
});

/** A civil-affairs code of Xiangzhou (`5<category>440402`) for organisation code MJL<serial>. */
function xiangzhouCode(category: string, serial: number): string {
  const body = `MJL${String(serial).padStart(5, "0")}`;
  return withCreditCodeCheck(`5${category}440402${body}${organisationCodeCheckCharacter(body)}`);
}
