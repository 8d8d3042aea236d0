import { chinaMonth } from "@civic/domain-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { seedGeography } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { raceOutcome } from "../support/races.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const statisticsItem = {
  code: "population-statistics",
  name: "人口信息采集 Population statistics",
  taskKinds: ["population-statistics"],
  caseCategoryCodes: [],
  legalBasis: "《全国人口普查条例》第十二条",
};
const transfer = {
  amountFen: 300_000,
  payingDepartmentId: "urban-management",
  budgetItem: "2027 市容巡查专项经费",
  documentReference: "香城管〔2027〕8号",
};

describe("community duty lists (权责清单, 费随事转), through the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const commandCentre = bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] });
  const streetStaff = bearer("ss-gongbei", { roles: ["street_staff"], areas: ["440402001"] });
  const communityStaff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  const waterAffairs = bearer("ds-water", { roles: ["department_staff"], department: "water-affairs" });

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
  });

  const hand = (body: Record<string, unknown>, token = waterAffairs) =>
    api.post(
      `/api/v1/communities/${nancun}/tasks`,
      { title: "2027 年流动人口统计", description: "按户核对", taskKind: "population-statistics", ...body },
      token,
    );

  it("publishes a district's list that applies to its communities, and lets one of concurrent publishes win", async () => {
    expect((await api.get(`/api/v1/communities/${nancun}/duty-list`)).status).toBe(404);
    const forbidden = await api.put(
      "/api/v1/areas/440402/duty-list",
      { baseVersion: 0, items: [statisticsItem] },
      communityStaff,
    );
    expect(forbidden.status).toBe(403);
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        api.put(
          "/api/v1/areas/440402/duty-list",
          { baseVersion: 0, items: [{ ...statisticsItem, name: `${statisticsItem.name} (edit ${n})` }] },
          commandCentre,
        ),
      ),
    );
    expect(raceOutcome(answers, [])).toMatchObject({ won: 1, lost: 3, other: [] });
    const applicable = await api.get(`/api/v1/communities/${nancun}/duty-list`);
    expect(applicable.status).toBe(200);
    expect(applicable.body).toMatchObject({ areaId: "440402", version: 1, publishedBy: "cc-1" });
    expect(applicable.body.items).toHaveLength(1);
  });

  it("accepts a task within the list, refuses one outside it naming the rule, accepts it when its funds travel with it", async () => {
    const within = await hand({});
    expect(within.status, JSON.stringify(within.body)).toBe(201);
    const read = await api.get(`/api/v1/community-tasks/${within.body.taskId}`, waterAffairs);
    expect(read.body).toEqual(within.body);
    expect(within.body).toMatchObject({
      communityId: nancun,
      status: "accepted_within_list",
      dutyList: { areaId: "440402", version: 1 },
      dutyItemCode: "population-statistics",
      issuerKind: "department",
      issuerId: "water-affairs",
      handedBy: "ds-water",
    });

    const refused = await hand({ title: "沿街商铺消防检查", taskKind: "fire-inspection" }, streetStaff);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ reason: "OUTSIDE_DUTY_LIST", grpcCode: "FAILED_PRECONDITION" });
    expect(refused.body.detail).toContain(
      "no item of the duty list of 440402 (version 1) covers task kind fire-inspection",
    );
    const stored = await api.get(`/api/v1/community-tasks/${refused.body.taskId}`, communityStaff);
    expect(stored.body).toMatchObject({ status: "refused", issuerKind: "street", issuerId: "440402001" });

    const funded = await hand({
      title: "沿街商铺消防检查",
      taskKind: "fire-inspection",
      fundsTransfer: transfer,
    });
    expect(funded.status, JSON.stringify(funded.body)).toBe(201);
    expect(funded.body).toMatchObject({
      status: "accepted_with_funds",
      fundsTransfer: transfer,
      dutyItemCode: "",
    });

    const listed = await api.get(`/api/v1/communities/${nancun}/tasks`, communityStaff);
    expect(listed.body.tasks.map((task: { status: string }) => task.status)).toEqual([
      "accepted_within_list",
      "refused",
      "accepted_with_funds",
    ]);
  });

  it("refuses bad input field by field and stores nothing", async () => {
    const before = (await api.get(`/api/v1/communities/${nancun}/tasks`, communityStaff)).body.tasks.length;
    const bad = await hand({
      title: "",
      taskKind: "Fire Inspection",
      fundsTransfer: {
        ...transfer,
        amountFen: 0,
        payingDepartmentId: "no-such-department",
        documentReference: "",
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((violation: { field: string }) => violation.field)).toEqual([
      "title",
      "taskKind",
      "fundsTransfer.amountFen",
      "fundsTransfer.documentReference",
      "fundsTransfer.payingDepartmentId",
    ]);
    const badList = await api.put(
      "/api/v1/areas/440402001/duty-list",
      {
        baseVersion: 0,
        items: [{ ...statisticsItem, code: "Population", caseCategoryCodes: ["not-a-category"] }],
      },
      streetStaff,
    );
    expect(badList.status).toBe(400);
    expect(badList.body.errors.map((violation: { field: string }) => violation.field)).toEqual([
      "items[0].code",
      "items[0].caseCategoryCodes[0]",
    ]);
    expect((await api.get("/api/v1/areas/440402001/duty-list")).status).toBe(404);
    expect((await api.get(`/api/v1/communities/${nancun}/tasks`, communityStaff)).body.tasks).toHaveLength(
      before,
    );
  });

  it("reports the street's tasks by community for the month: within the list, with funds and their fen, refused", async () => {
    const month = chinaMonth(new Date());
    const expected = {
      acceptedWithinList: 1,
      acceptedWithFunds: 1,
      transferredFen: 300_000,
      refused: 1,
    };
    let report = await api.get(`/api/v1/areas/440402001/duty-report/${month}`, streetStaff);
    for (let waited = 0; waited < 15_000 && report.body.total?.refused !== 1; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      report = await api.get(`/api/v1/areas/440402001/duty-report/${month}`, streetStaff);
    }
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toEqual({
      areaId: "440402001",
      period: month,
      total: expected,
      byArea: [{ areaId: nancun, counts: expected }],
    });
    expect((await api.get(`/api/v1/areas/440402/duty-report/${month}`, communityStaff)).status).toBe(403);
  });
});
