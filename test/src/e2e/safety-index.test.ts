import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography } from "../support/geography.js";
import { startTestPlatform, type TestPlatform } from "../support/platform.js";
import { bearer } from "../support/tokens.js";

describe("safety index through the gateway (four indicators)", () => {
  let platform: TestPlatform;
  let commandCentre: string;

  const send = async (method: string, path: string, body?: unknown, authorization = commandCentre) => {
    const response = await fetch(`${platform.gatewayUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    platform = await startTestPlatform(inject("mongoUri"), inject("natsUrl"));
    await seedGeography(platform.gatewayUrl);
    commandCentre = await bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] });
    // The seed's figures are Zhuhai's; give the test district that population.
    await send("PUT", "/api/v1/areas/440402/figures", { population: 2_581_829, households: 902_738 });
  });
  afterAll(() => platform.stop());

  it("reproduces the seed's rates and points from incident counts, then publishes the index", async () => {
    for (const [indicator, count] of Object.entries({
      crime: 235,
      fire: 0,
      traffic: 348,
      urban_management: 77,
    })) {
      expect(
        (await send("PUT", `/api/v1/safety-index/440402/2026-05/counts/${indicator}`, { count })).status,
      ).toBe(200);
    }
    const published = await send("POST", "/api/v1/safety-index/440402/2026-05/publication", {});
    expect(published.status).toBe(200);
    const index = published.body.published as {
      indicators: { key: string; ratePer10k: number; score: number }[];
      level: string;
    };
    expect(
      index.indicators.map((indicator) => [indicator.key, indicator.ratePer10k, indicator.score]),
    ).toEqual([
      ["crime", 0.91, 37],
      ["fire", 0, 30],
      ["traffic", 1.348, 14],
      ["urban_management", 0.298, 10],
    ]);
    expect(index.level).toBe("blue");
    expect((await send("GET", "/api/v1/safety-index/440402/2026-05")).body.published).toMatchObject({
      level: "blue",
    });
  });

  it("refuses a negative count, an unknown indicator, a grid, and callers who do not operate the index", async () => {
    expect(
      (await send("PUT", "/api/v1/safety-index/440402/2026-06/counts/crime", { count: -3 })).status,
    ).toBe(400);
    expect(
      (await send("PUT", "/api/v1/safety-index/440402/2026-06/counts/floods", { count: 3 })).status,
    ).toBe(400);
    expect((await send("PUT", "/api/v1/safety-index/440402/2026-13/counts/crime", { count: 3 })).status).toBe(
      400,
    );
    const grid = await send("PUT", "/api/v1/safety-index/440402001002003/2026-06/counts/crime", { count: 1 });
    expect(grid).toMatchObject({ status: 400, body: { reason: "NOT_DISTRICT_OR_STREET" } });
    const resident = await bearer("r-1", { roles: ["resident"] });
    expect(
      (await send("PUT", "/api/v1/safety-index/440402/2026-06/counts/crime", { count: 1 }, resident)).status,
    ).toBe(403);
    expect((await send("POST", "/api/v1/safety-index/440402/2026-07/publication", {})).body.reason).toBe(
      "NO_INCIDENT_COUNTS",
    );
  });
});
