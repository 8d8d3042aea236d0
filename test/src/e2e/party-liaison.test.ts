import { randomUUID } from "node:crypto";
import { domainStream } from "@civic/event-log";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayClient, startPartyBuildingPlatform } from "../support/party-building-platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
async function until<Value>(check: () => Promise<Value | undefined>, timeoutMs = 60_000): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("liaison visits, problems and their cases through the gateway", () => {
  const platform = platformForTheseTests(startPartyBuildingPlatform);
  let nats: NatsConnection;
  const send = gatewayClient(() => platform().gatewayUrl);
  const tokens: Record<string, string> = {};

  /** What grid-cases publishes when it resolves a case opened for one of our problems. */
  const publishCaseResolved = async (problemId: string, caseId = randomUUID()) => {
    const subject = `${platform().namespace}.grid-cases.case.resolved`;
    const event = {
      specversion: "1.0",
      id: randomUUID(),
      source: `${platform().namespace}/grid-cases`,
      type: subject,
      subject: `case-${caseId}`,
      time: new Date().toISOString(),
      datacontenttype: "application/json",
      data: {
        departmentId: "municipal",
        result: "Fixed",
        origin: { domain: "party-building", reference: problemId },
        taskProgress: { percent: 90, note: "resolved: Fixed" },
      },
      stream: `case-${caseId}`,
      streamversion: 7,
    };
    await jetstream(nats).publish(subject, JSON.stringify(event), { msgID: event.id });
    return caseId;
  };
  const statistics = async (areaId: string) =>
    (await send("GET", `/api/v1/liaison-statistics?areaId=${areaId}`, undefined, tokens.organiser)).body;

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
    tokens.organiser = bearer("po-1", { roles: ["party_organiser"], areas: ["440402"] });
    tokens.cadre = bearer("cadre-1", { roles: ["party_cadre"] });
    tokens.unassigned = bearer("cadre-2", { roles: ["party_cadre"] });
    tokens.seedCadre = bearer("cadre-3", { roles: ["party_cadre"] });
    const assignments = [
      { cadreId: "cadre-1", name: "李挂点", targetKind: "community", targetId: "440402001002" },
      {
        cadreId: "cadre-1",
        name: "李挂点",
        targetKind: "enterprise",
        targetId: "gree-zhuhai",
        areaId: "440402001003001",
      },
      { cadreId: "cadre-3", name: "王驻点", targetKind: "community", targetId: "440402001005" },
    ];
    const answers = [];
    for (const assignment of assignments) {
      const response = await send("POST", "/api/v1/liaison-assignments", assignment, tokens.organiser);
      answers.push({ status: response.status, location: response.location, cadre: response.body.cadreId });
    }
    // The answer is the cadre, read at /api/v1/liaison-cadres/{cadreId}: 201 when the call
    // created it, 200 when it added to an existing cadre's assignments (docs/api.md).
    expect(answers).toEqual([
      { status: 201, location: "/api/v1/liaison-cadres/cadre-1", cadre: "cadre-1" },
      { status: 200, location: null, cadre: "cadre-1" },
      { status: 201, location: "/api/v1/liaison-cadres/cadre-3", cadre: "cadre-3" },
    ]);
  });
  afterAll(() => nats.drain());

  it("keeps a cadre's assignments to communities and enterprises", async () => {
    const cadre = await send("GET", "/api/v1/liaison-cadres/cadre-1", undefined, tokens.cadre);
    expect(cadre.body.assignments).toEqual([
      expect.objectContaining({ targetKind: "community", targetId: "440402001002", areaId: "440402001002" }),
      expect.objectContaining({
        targetKind: "enterprise",
        targetId: "gree-zhuhai",
        areaId: "440402001003001",
      }),
    ]);
    const elsewhere = bearer("po-9", { roles: ["party_organiser"], areas: ["440403"] });
    const refused = await send(
      "POST",
      "/api/v1/liaison-assignments",
      { cadreId: "cadre-9", name: "x", targetKind: "community", targetId: "440402001002" },
      elsewhere,
    );
    expect(refused.status).toBe(403);
  });

  it("answers 200 with the cadre unchanged when an assignment is repeated", async () => {
    const repeated = await send(
      "POST",
      "/api/v1/liaison-assignments",
      { cadreId: "cadre-3", name: "王驻点", targetKind: "community", targetId: "440402001005" },
      tokens.organiser,
    );
    expect(repeated.status, JSON.stringify(repeated.body)).toBe(200);
    expect(repeated.location).toBeNull();
    expect(repeated.body.assignments.map((assignment: { targetId: string }) => assignment.targetId)).toEqual([
      "440402001005",
    ]);
  });

  it("refuses a visit by someone with no liaison assignment there, and records nothing", async () => {
    const visit = { kind: "household_visit", areaId: "440402001002003", households: 3 };
    const unassigned = await send("POST", "/api/v1/party-visits", visit, tokens.unassigned);
    expect(unassigned.status).toBe(400);
    expect(unassigned.contentType).toContain("application/problem+json");
    expect(unassigned.body.reason).toBe("NO_LIAISON_ASSIGNMENT");
    const outside = await send(
      "POST",
      "/api/v1/party-visits",
      { ...visit, areaId: "440402001009001" },
      tokens.cadre,
    );
    expect(outside.body.reason).toBe("NO_LIAISON_ASSIGNMENT");
    const otherEnterprise = await send(
      "POST",
      "/api/v1/party-visits",
      { ...visit, areaId: "440402001003001", enterpriseId: "other-co" },
      tokens.cadre,
    );
    expect(otherEnterprise.body.reason).toBe("NO_LIAISON_ASSIGNMENT");
    const invalid = await send(
      "POST",
      "/api/v1/party-visits",
      { kind: "reception", areaId: "44", households: 0 },
      tokens.cadre,
    );
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "areaId",
      "households",
    ]);
    expect(await statistics("440402001002")).toMatchObject({ householdVisits: 0, receptions: 0 });
  });

  it("publishes a collected problem for grid-cases and marks it solved when its case is resolved, once", async () => {
    const visit = await send(
      "POST",
      "/api/v1/party-visits",
      { kind: "household_visit", areaId: "440402001002", households: 12, note: "走访南村3号楼" },
      tokens.cadre,
    );
    expect(visit.status, JSON.stringify(visit.body)).toBe(200);
    const collected = await send(
      "POST",
      `/api/v1/party-visits/${visit.body.visitId}/problems`,
      {
        categoryCode: "manhole-cover-missing",
        title: "井盖缺失",
        description: "3号楼东侧井盖缺失，夜间危险",
        address: "南村3号楼东侧",
        areaId: "440402001002003",
      },
      tokens.cadre,
    );
    expect(collected.status, JSON.stringify(collected.body)).toBe(201);
    const problemId = collected.body.problemId as string;
    expect(collected.body).toMatchObject({ status: "collected", caseId: "" });

    const jsm = await jetstreamManager(nats);
    const published = await jsm.streams.getMessage(
      domainStream("party-building", platform().namespace).name,
      {
        last_by_subj: `${platform().namespace}.party-building.visit.problem_collected`,
      },
    );
    const event = published?.json<{ subject: string; data: Record<string, unknown> }>();
    expect(event?.subject).toBe(`problem-${problemId}`);
    expect(event?.data).toEqual({
      problemId,
      visitId: visit.body.visitId,
      areaId: "440402001002003",
      categoryCode: "manhole-cover-missing",
      title: "井盖缺失",
      description: "3号楼东侧井盖缺失，夜间危险",
      address: "南村3号楼东侧",
      collectedBy: "cadre-1",
      at: expect.any(String),
    });

    const caseId = await publishCaseResolved(problemId);
    const solved = await until(async () => {
      const problem = (await send("GET", `/api/v1/party-problems/${problemId}`, undefined, tokens.cadre))
        .body;
      return problem.status === "solved" ? problem : undefined;
    });
    expect(solved).toMatchObject({ caseId, solvedAt: expect.any(String) });
    // A second resolution (the case was reopened and resolved again) changes nothing.
    await publishCaseResolved(problemId, randomUUID());
    await until(async () => {
      const figures = await statistics("440402001002");
      return figures.problemsSolved === 1 ? figures : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = (await send("GET", `/api/v1/party-problems/${problemId}`, undefined, tokens.cadre)).body;
    expect(after.caseId).toBe(caseId);
    expect(await statistics("440402001002")).toMatchObject({
      householdVisits: 1,
      householdsVisited: 12,
      problemsCollected: 1,
      problemsSolved: 1,
      solveRate: 100,
    });
  });

  it("only the visit's cadre collects its problems", async () => {
    const visit = await send(
      "POST",
      "/api/v1/party-visits",
      { kind: "reception", areaId: "440402001003001", enterpriseId: "gree-zhuhai", households: 4 },
      tokens.cadre,
    );
    expect(visit.status).toBe(200);
    const problem = {
      categoryCode: "noise",
      title: "夜间施工噪音",
      description: "厂区外夜间施工",
    };
    const byOther = await send(
      "POST",
      `/api/v1/party-visits/${visit.body.visitId}/problems`,
      problem,
      tokens.seedCadre,
    );
    expect(byOther.status).toBe(403);
    const missingVisit = await send(
      "POST",
      "/api/v1/party-visits/no-such-visit/problems",
      problem,
      tokens.cadre,
    );
    expect(missingVisit.status).toBe(404);
  });
});
