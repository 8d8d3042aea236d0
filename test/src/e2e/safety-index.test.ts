import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/domain-events.js";
import { seedGeography } from "../support/geography.js";
import { jsonCall } from "../support/in-process-gateway.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

describe("safety index through the gateway (four indicators)", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const commandCentre = bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] });

  const send = (method: string, path: string, body?: unknown, authorization = commandCentre) =>
    jsonCall(platform().gatewayUrl, method, path, authorization, body);

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
    // The seed's figures are Zhuhai's; give the test district that population.
    await send("PUT", "/api/v1/areas/440402/figures", { population: 2_581_829, households: 902_738 });
  });

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
    const resident = bearer("r-1", { roles: ["resident"] });
    expect(
      (await send("PUT", "/api/v1/safety-index/440402/2026-06/counts/crime", { count: 1 }, resident)).status,
    ).toBe(403);
    expect((await send("POST", "/api/v1/safety-index/440402/2026-07/publication", {})).body.reason).toBe(
      "NO_INCIDENT_COUNTS",
    );
  });

  describe("incident records", () => {
    const incident = (incidentId: string, fields: Record<string, unknown> = {}) =>
      send("POST", "/api/v1/safety-incidents", {
        source: "police-110",
        incidentId,
        indicator: "crime",
        areaId: "440402001002003",
        occurredAt: "2026-06-03T10:00:00+08:00",
        ...fields,
      });
    const monthOf = async (
      areaId: string,
      period: string,
      accept: (body: Record<string, unknown>) => boolean,
    ) => {
      for (let attempt = 0; ; attempt++) {
        const { body } = await send("GET", `/api/v1/safety-index/${areaId}/${period}`);
        if (accept(body) || attempt > 200) return body;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    beforeAll(async () => {
      const admin = bearer("admin-1", { roles: ["platform_admin"] });
      const street = {
        areaId: "440402002",
        level: "street",
        name: "吉大街道",
        population: 80_000,
        households: 28_000,
      };
      expect((await send("POST", "/api/v1/areas", street, admin)).status).toBe(201);
    });

    it("counts each incident once into its street's and district's month in China time", async () => {
      expect((await incident("A-1")).status).toBe(201);
      expect((await incident("A-2")).status).toBe(201);
      // 20:00 UTC on 31 May is 04:00 on 1 June in China.
      const lateNight = await incident("A-3", { occurredAt: "2026-05-31T20:00:00Z" });
      expect(lateNight).toMatchObject({
        status: 201,
        body: { period: "2026-06", streetId: "440402001", districtId: "440402" },
      });
      expect(
        (await incident("T-1", { source: "traffic-122", indicator: "traffic", areaId: "440402002" })).status,
      ).toBe(201);
      const again = await incident("A-1");
      expect(again).toMatchObject({ status: 200, body: { incidentId: "A-1", period: "2026-06" } });

      const district = await monthOf("440402", "2026-06", (body) => {
        const recorded = body.recordedIncidents as Record<string, number>;
        return recorded.crime === 3 && recorded.traffic === 1;
      });
      expect(district).toMatchObject({
        recordedIncidents: { crime: 3, traffic: 1 },
        counts: { crime: 3, traffic: 1 },
      });
      const streets = await send("GET", "/api/v1/safety-index/440402/2026-06/streets");
      expect(streets.status).toBe(200);
      const byStreet = Object.fromEntries(
        (streets.body.streets as { areaId: string; recordedIncidents: Record<string, number> }[]).map(
          (street) => [street.areaId, street.recordedIncidents],
        ),
      );
      expect(byStreet).toEqual({ "440402001": { crime: 3 }, "440402002": { traffic: 1 } });
      const jida = (
        streets.body.streets as {
          areaId: string;
          current: { indicators: { key: string; ratePer10k: number }[] };
        }[]
      ).find((street) => street.areaId === "440402002");
      expect(jida?.current.indicators.find((indicator) => indicator.key === "traffic")?.ratePer10k).toBe(
        0.125,
      );

      // A feed's monthly total stands over the records for its indicator.
      await send("PUT", "/api/v1/safety-index/440402/2026-06/counts/crime", { count: 10 });
      expect((await send("GET", "/api/v1/safety-index/440402/2026-06")).body).toMatchObject({
        counts: { crime: 10, traffic: 1 },
        recordedIncidents: { crime: 3, traffic: 1 },
      });
      const published = await send("POST", "/api/v1/safety-index/440402002/2026-06/publication", {});
      expect(published).toMatchObject({ status: 200, body: { published: { population: 80_000 } } });
    });

    it("refuses an incident that cannot be counted, and an id reused for another incident", async () => {
      expect((await incident("B-1")).status).toBe(201);
      const reused = await incident("B-1", { areaId: "440402002" });
      expect(reused.status).toBe(409);
      for (const [fields, field] of [
        [{ areaId: "440402" }, "areaId"],
        [{ areaId: "440402009" }, "areaId"],
        [{ occurredAt: "2099-01-01T00:00:00Z" }, "occurredAt"],
        [{ indicator: "floods" }, "indicator"],
        [{ source: "Police 110!" }, "source"],
      ] as const) {
        const refused = await incident(`C-${field}`, fields);
        expect(refused.status, JSON.stringify(refused.body)).toBe(400);
        expect((refused.body.errors as { field: string }[]).map((error) => error.field)).toContain(field);
      }
      expect((await send("POST", "/api/v1/safety-incidents", { source: "police-110" })).status).toBe(400);
      const resident = bearer("r-1", { roles: ["resident"] });
      expect(
        (
          await send(
            "POST",
            "/api/v1/safety-incidents",
            {
              source: "police-110",
              incidentId: "D-1",
              indicator: "crime",
              areaId: "440402001",
              occurredAt: "2026-06-03T10:00:00Z",
            },
            resident,
          )
        ).status,
      ).toBe(403);
      expect((await send("GET", "/api/v1/safety-index/440402001/2026-06/streets")).status).toBe(400);
    });
  });

  describe("follow-up of an orange or red street (六位一体)", () => {
    interface FollowUp {
      status: string;
      level: string;
      tasks: { kind: string; status: string; outcome: string; closedBy: string }[];
    }
    const followUpOf = async (path: string) =>
      (await send("GET", path)).body.followUp as FollowUp | undefined;

    it("opens analysis, supervision and accountability once, also when two publications race, and tracks them to closure", async () => {
      const month = "/api/v1/safety-index/440402002/2026-08";
      for (const indicator of ["crime", "fire", "traffic", "urban_management"]) {
        expect((await send("PUT", `${month}/counts/${indicator}`, { count: 800 })).status).toBe(200);
      }
      const [first, second] = await Promise.all([
        send("POST", `${month}/publication`, {}),
        send("POST", `${month}/publication`, {}),
      ]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect((first.body.published as { level: string }).level).toBe("red");
      const opened = await eventually(
        () => followUpOf(month),
        (followUp) => followUp !== undefined,
      );
      expect(opened).toMatchObject({ status: "open", level: "red" });
      expect(opened?.tasks.map((task) => [task.kind, task.status])).toEqual([
        ["analysis", "open"],
        ["supervision", "open"],
        ["accountability", "open"],
      ]);

      const staffOfJida = bearer("ss-jida", { roles: ["street_staff"], areas: ["440402002"] });
      const staffOfGongbei = bearer("ss-gongbei", { roles: ["street_staff"], areas: ["440402001"] });
      const close = (kind: string, outcome: string, token: string) =>
        send("POST", `${month}/follow-up/tasks/${kind}/closure`, { outcome }, token);
      expect((await close("analysis", "Night-time thefts near the port", staffOfGongbei)).status).toBe(403);
      const analysed = await close("analysis", "Night-time thefts near the port", staffOfJida);
      expect(analysed.status, JSON.stringify(analysed.body)).toBe(200);
      expect((await close("analysis", "again", staffOfJida)).body.reason).toBe("FOLLOW_UP_TASK_CLOSED");
      expect((await close("supervision", "", commandCentre)).status).toBe(400);
      await close("supervision", "Patrols doubled, checked twice", commandCentre);
      await close("accountability", "The station chief was talked to (约谈)", commandCentre);
      const closed = await followUpOf(month);
      expect(closed?.status).toBe("closed");
      expect(closed?.tasks[0]).toMatchObject({ status: "closed", closedBy: "ss-jida" });
      // The events were delivered once more by the second publication: still one follow-up.
      expect((await followUpOf(month))?.tasks).toHaveLength(3);
    });

    it("keeps the opening publication's score with its decimal", async () => {
      const month = "/api/v1/safety-index/440402002/2026-10";
      // 81 crimes for 80,000 residents: 40 × (1 − 10.125 ÷ 12) + 60 = 66.25, shown as 66.3 (orange).
      expect((await send("PUT", `${month}/counts/crime`, { count: 81 })).status).toBe(200);
      const published = await send("POST", `${month}/publication`, {});
      expect(published.body.published).toMatchObject({ score: 66.3, level: "orange" });
      const opened = await eventually(
        () => followUpOf(month),
        (followUp) => followUp !== undefined,
      );
      expect(opened).toMatchObject({ status: "open", level: "orange", indexScore: 66.3 });
      const streets = await send("GET", "/api/v1/safety-index/440402/2026-10/streets");
      expect(streets.status, JSON.stringify(streets.body)).toBe(200);
    });

    it("opens none for a street at blue or yellow, nor for a district", async () => {
      const month = "/api/v1/safety-index/440402002/2026-09";
      await send("PUT", `${month}/counts/crime`, { count: 0 });
      expect((await send("POST", `${month}/publication`, {})).status).toBe(200);
      const district = await send("GET", "/api/v1/safety-index/440402/2026-05");
      // Give the consumer time to have seen both publications.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await followUpOf(month)).toBeUndefined();
      expect(district.body.followUp).toBeUndefined();
      expect((await send("POST", `${month}/follow-up/tasks/analysis/closure`, { outcome: "x" })).status).toBe(
        404,
      );
    });
  });
});
