import { beforeAll, describe, expect, it } from "vitest";
import { burst } from "../support/burst.js";
import { seedGeography, testGrid } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const gridCode = testGrid;

describe("a case through its lifecycle via the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const tokens: Record<string, string> = {
    communityStaff: bearer("cs-7", { roles: ["community_staff"], areas: ["440402001002"] }),
    otherCommunity: bearer("cs-9", { roles: ["community_staff"], areas: ["440402001009"] }),
    commandCentre: bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] }),
    water: bearer("w-3", { roles: ["department_staff"], department: "water-affairs" }),
  };

  // Answers are checked against the OpenAPI document (support/response-contract.ts).
  const post = (path: string, body: unknown, authorization?: string) =>
    httpClient(platform().gatewayUrl).post(path, body, authorization);
  const get = (path: string, authorization?: string) =>
    httpClient(platform().gatewayUrl).get(path, authorization);
  const step = (caseId: string, who: string, body: Record<string, unknown>) =>
    post(`/api/v1/cases/${caseId}/transitions`, body, tokens[who]);

  const submitCase = async () => {
    const response = await post("/api/v1/cases", {
      channel: "grid_patrol",
      requestType: "report",
      categoryCode: "sewage-discharge",
      title: "Sewage running into the street",
      description: "Restaurant drain at No. 8 overflows every evening",
      areaId: gridCode,
    });
    return (response.body as { caseId: string }).caseId;
  };

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
  });

  it("goes from submitted to closed, each step by its role, with a timeline", async () => {
    const caseId = await submitCase();
    const steps: [string, Record<string, unknown>][] = [
      ["communityStaff", { accept: {} }],
      ["commandCentre", { dispatch: { departmentId: "water-affairs" } }],
      ["water", { signFor: {} }],
      ["water", { startWork: {} }],
      ["water", { resolve: { result: "Drain cleared; restaurant ordered to fit a grease trap" } }],
      ["communityStaff", { recordReturnVisit: { satisfaction: "dissatisfied", comment: "Smell is back" } }],
      ["commandCentre", { reopen: { reason: "Resident dissatisfied" } }],
      ["water", { resolve: { result: "Grease trap fitted and inspected" } }],
      ["communityStaff", { recordReturnVisit: { satisfaction: "satisfied" } }],
      ["commandCentre", { close: {} }],
    ];
    let last: Record<string, unknown> = {};
    for (const [who, body] of steps) {
      const response = await step(caseId, who, body);
      last = response.body as Record<string, unknown>;
      expect(response.status, JSON.stringify(last)).toBe(200);
    }
    expect(last).toMatchObject({ status: "closed", version: 11, reopenCount: 1, satisfaction: "satisfied" });
    expect((last.timeline as { type: string; by: string }[]).map((entry) => entry.type)).toEqual([
      "case.submitted",
      "case.accepted",
      "case.dispatched",
      "case.signed_for",
      "case.work_started",
      "case.resolved",
      "case.return_visited",
      "case.reopened",
      "case.resolved",
      "case.return_visited",
      "case.closed",
    ]);
  });

  it("two dispatchers at once: one wins, the other gets 409 naming the current version", async () => {
    const caseId = await submitCase();
    expect((await step(caseId, "communityStaff", { expectedVersion: 1, accept: {} })).status).toBe(200);
    const [first, second] = await Promise.all([
      step(caseId, "commandCentre", { expectedVersion: 2, dispatch: { departmentId: "water-affairs" } }),
      step(caseId, "commandCentre", { expectedVersion: 2, dispatch: { departmentId: "urban-management" } }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body).toMatchObject({
      status: 409,
      reason: "VERSION_CONFLICT",
      currentVersion: "3",
    });
  });

  it("30 dispatches at once without an expected version: one wins, 29 learn they lost a race (409)", async () => {
    const caseId = await submitCase();
    expect((await step(caseId, "communityStaff", { accept: {} })).status).toBe(200);
    const answers = await burst({
      url: platform().gatewayUrl,
      method: "POST",
      path: `/api/v1/cases/${caseId}/transitions`,
      headers: { "content-type": "application/json", authorization: tokens.commandCentre ?? "" },
      body: { dispatch: { departmentId: "water-affairs" } },
      copies: 30,
    });
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array(29).fill(409)]);
    for (const loser of answers.filter((answer) => answer.status === 409)) {
      expect(loser.body).toMatchObject({ reason: "VERSION_CONFLICT", currentVersion: "3" });
      expect((loser.body as { detail: string }).detail).toContain(
        "cannot dispatch a case in state dispatched",
      );
    }
    const again = await step(caseId, "commandCentre", { dispatch: { departmentId: "water-affairs" } });
    expect(again.status).toBe(400);
  });

  it("a step the state does not allow is 400 naming the state; nothing changes", async () => {
    const caseId = await submitCase();
    const response = await step(caseId, "water", { signFor: {} });
    expect(response.status).toBe(400);
    const problem = response.body as { reason: string; detail: string };
    expect(problem.reason).toBe("INVALID_CASE_TRANSITION");
    expect(problem.detail).toContain("in state submitted");
    const read = (await get(`/api/v1/cases/${caseId}`)).body as { version: number };
    expect(read.version).toBe(1);
  });

  it("staff of another community may not act (403); a bad token is 401; a bad body is 400 naming the fields", async () => {
    const caseId = await submitCase();
    expect((await step(caseId, "otherCommunity", { accept: {} })).status).toBe(403);
    expect((await post(`/api/v1/cases/${caseId}/transitions`, { accept: {} }, "Bearer a.b.c")).status).toBe(
      401,
    );
    const anonymous = await post(`/api/v1/cases/${caseId}/transitions`, { accept: {} });
    expect(anonymous.status).toBe(403);
    const fieldsOf = (problem: { errors: { field: string }[] }) =>
      problem.errors.map((error) => error.field).sort();
    // The gateway refuses what is not the request message; the service what breaks its rules.
    const mistyped = await step(caseId, "commandCentre", {
      dispatch: { departmentId: 7 },
      accept: {},
      colour: 1,
    });
    expect(mistyped.status).toBe(400);
    expect(fieldsOf(mistyped.body)).toEqual(["action", "colour", "dispatch.departmentId"]);
    const bad = await step(caseId, "commandCentre", {
      expectedVersion: -1,
      dispatch: { departmentId: "water-affairs" },
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(["expectedVersion"]);
    const noStep = await step(caseId, "commandCentre", { expectedVersion: 1 });
    expect(noStep.status).toBe(400);
    expect(fieldsOf(noStep.body)).toEqual(["action"]);
    expect((await step(caseId, "communityStaff", { accept: {} })).status).toBe(200);
    const unknownDepartment = await step(caseId, "commandCentre", {
      dispatch: { departmentId: "ministry-of-magic" },
    });
    expect(unknownDepartment.status).toBe(400);
    expect(fieldsOf(unknownDepartment.body)).toEqual(["dispatch.departmentId"]);
    expect((await get(`/api/v1/cases/${caseId}`)).body).toMatchObject({ status: "accepted", version: 2 });
  });

  it("whistle and report: the community summons two departments, one reports, the other is shown missing", async () => {
    const caseId = await submitCase();
    expect((await step(caseId, "communityStaff", { accept: {} })).status).toBe(200);
    const blown = await step(caseId, "communityStaff", {
      blowWhistle: {
        departmentIds: ["water-affairs", "urban-management"],
        reason: "Sewage from an illegal food stall",
        reportWithinHours: 4,
      },
    });
    expect(blown.status).toBe(200);
    expect((await step(caseId, "water", { acknowledgeWhistle: {} })).status).toBe(200);
    const arrived = await step(caseId, "water", { reportArrival: {} });
    const body = arrived.body as {
      whistle: { reportBy: string; reports: { departmentId: string; arrivedAt?: string }[] };
    };
    expect(
      body.whistle.reports.map((report) => [report.departmentId, report.arrivedAt !== undefined]),
    ).toEqual([
      ["water-affairs", true],
      ["urban-management", false],
    ]);
    const empty = await step(caseId, "communityStaff", { blowWhistle: { departmentIds: [], reason: "x" } });
    expect(empty.status).toBe(400);
    const supervision = await step(caseId, "commandCentre", { issueSupervision: { note: "hurry" } });
    expect((supervision.body as { reason: string }).reason).toBe("NOT_OVERDUE");
  });

  it("shows a dispatcher the open cases that look like this one, and merges nothing", async () => {
    const first = await submitCase();
    const second = await submitCase();
    const response = await get(`/api/v1/cases/${second}/possible-duplicates`, tokens.commandCentre);
    expect(response.status).toBe(200);
    const { duplicates } = response.body as {
      duplicates: { caseId: string; similarity: number }[];
    };
    expect(duplicates.map((duplicate) => duplicate.caseId)).toContain(first);
    expect(duplicates.every((duplicate) => duplicate.similarity >= 0.5)).toBe(true);
    const anonymous = await get(`/api/v1/cases/${second}/possible-duplicates`);
    expect(anonymous.status).toBe(403);
    const read = (await get(`/api/v1/cases/${first}`)).body as { status: string };
    expect(read.status).toBe("submitted");
  });

  it("statistics follow the events: counts and rates for the grid and its district", async () => {
    const read = async (scope: string, value: string, who = "commandCentre") => {
      const response = await get(`/api/v1/case-statistics?scope=${scope}&value=${value}`, tokens[who]);
      return { status: response.status, body: response.body as Record<string, unknown> };
    };
    const expected = {
      collected: 8,
      resolved: 1,
      closed: 1,
      closedOnTime: 1,
      openOverdue: 0,
      returnVisits: 2,
      satisfiedVisits: 1,
      resolutionRate: 12.5,
      onTimeRate: 100,
      satisfactionRate: 50,
    };
    let latest = await read("area", gridCode);
    for (let attempt = 0; attempt < 100 && latest.body.collected !== 8; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      latest = await read("area", gridCode);
    }
    expect(latest).toMatchObject({ status: 200, body: { scope: "area", value: gridCode, ...expected } });
    expect((await read("area", "440402")).body).toMatchObject(expected);
    expect((await read("category", "sewage-discharge")).body).toMatchObject({ collected: 8 });
    const nobody = (await read("department", "nobody")).body;
    expect(nobody).toMatchObject({ collected: 0 });
    // A rate whose denominator is 0 is absent.
    expect(nobody).not.toHaveProperty("resolutionRate");
    // Water affairs resolved the first case (twice, counted once) and won the burst of 30; the
    // race of two dispatched one more case to water affairs or to urban management.
    const water = (await read("department", "water-affairs")).body;
    const urban = (await read("department", "urban-management")).body;
    expect(Number(water.collected) + Number(urban.collected)).toBe(3);
    expect(water).toMatchObject({
      resolved: 1,
      resolutionRate: Math.round(10_000 / Number(water.collected)) / 100,
    });
    expect((await read("planet", "mars")).status).toBe(400);
    expect((await read("area", gridCode, "communityStaff")).body).toMatchObject(expected);
    expect((await read("area", gridCode, "otherCommunity")).status).toBe(403);
    const anonymous = await get("/api/v1/case-statistics");
    expect(anonymous.status).toBe(403);
  });

  it("shows possible duplicates only to dispatchers of the case's own area", async () => {
    await submitCase();
    const second = await submitCase();
    const asCaller = (who: string) =>
      fetch(`${platform().gatewayUrl}/api/v1/cases/${second}/possible-duplicates`, {
        headers: { authorization: tokens[who] as string },
      });
    expect((await asCaller("communityStaff")).status).toBe(200);
    const otherCommunity = await asCaller("otherCommunity");
    expect(otherCommunity.status).toBe(403);
    expect(await otherCommunity.text()).not.toContain("similarity");
  });
});
