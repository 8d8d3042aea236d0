import { initTelemetry } from "@civic/telemetry";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { startTestPlatform, type TestPlatform } from "../support/platform.js";
import { contractViolation } from "../support/response-contract.js";
import { bearer } from "../support/tokens.js";

const validCase = {
  channel: "hotline_12345",
  requestType: "complaint",
  categoryCode: "manhole-cover-missing",
  title: "Manhole cover missing on Jida Road",
  description: "The cover outside No. 12 is gone since this morning.",
  areaId: testGrid,
  address: "12 Jida Road, Xiangzhou",
  reporterName: "Ms Chen",
};

/** The case's event, once the relay has published it. */
async function publishedSubmission(nats: NatsConnection, namespace: string, caseId: string) {
  const jsm = await jetstreamManager(nats);
  for (let attempt = 0; attempt < 100; attempt++) {
    const message = await jsm.streams
      .getMessage(`${namespace.toUpperCase()}_GRID_CASES`, {
        last_by_subj: `${namespace}.grid-cases.case.submitted`,
      })
      .catch(() => null);
    if (message?.json<{ data: { caseId: string } }>().data.caseId === caseId) return message;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no case.submitted event for ${caseId} in namespace ${namespace}`);
}

describe("case intake through the gateway", () => {
  let platform: TestPlatform;
  let mongo: MongoClient;
  let nats: NatsConnection;
  const eventCount = () => mongo.db(platform.databaseName).collection("events").countDocuments();

  beforeAll(async () => {
    initTelemetry({ serviceName: "e2e" });
    platform = await startTestPlatform(inject("mongoUri"), inject("natsUrl"));
    await seedGeography(platform.gatewayUrl);
    mongo = await MongoClient.connect(inject("mongoUri"));
    nats = await connect({ servers: inject("natsUrl") });
  });
  afterAll(async () => {
    await platform.stop();
    await nats.drain();
    await mongo.db(platform.databaseName).dropDatabase();
    await mongo.close();
  });

  it("posts a case, reads it back, and its event on JetStream carries the request's trace id", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const posted = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify(validCase),
    });
    expect(posted.status).toBe(201);
    const created = (await posted.json()) as { caseId: string };
    expect(created).toMatchObject({
      ...validCase,
      status: "submitted",
      version: 1,
      submittedBy: "anonymous",
    });
    expect(posted.headers.get("location")).toBe(`/api/v1/cases/${created.caseId}`);
    expect(contractViolation("POST", "/api/v1/cases", 201, created)).toBeUndefined();

    const staff = bearer("cs-1", { roles: ["community_staff"], areas: ["440402001002"] });
    const read = await fetch(`${platform.gatewayUrl}/api/v1/cases/${created.caseId}`, {
      headers: { authorization: staff },
    });
    expect(read.status).toBe(200);
    const readBack = await read.json();
    expect(readBack).toEqual(created);
    expect(contractViolation("GET", `/api/v1/cases/${created.caseId}`, 200, readBack)).toBeUndefined();
    // Anyone else holding the id follows the case without what the resident wrote.
    const followed = await fetch(`${platform.gatewayUrl}/api/v1/cases/${created.caseId}`);
    expect(await followed.json()).toMatchObject({
      caseId: created.caseId,
      status: "submitted",
      title: validCase.title,
      description: "",
      submittedBy: "",
    });

    const message = await publishedSubmission(nats, platform.namespace, created.caseId);
    const event = message.json<{ id: string; type: string; subject: string; traceparent: string }>();
    expect(event.type).toBe(`${platform.namespace}.grid-cases.case.submitted`);
    expect(event.subject).toBe(`case-${created.caseId}`);
    expect(message.header.get("Nats-Msg-Id")).toBe(event.id);
    expect(message.header.get("traceparent").split("-")[1]).toBe(traceId);
    expect(event.traceparent.split("-")[1]).toBe(traceId);
  });

  it("keeps the reporter's phone sealed: absent for the public, masked for most staff, full for the command centre, every full read audited", async () => {
    const posted = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...validCase, reporterPhone: "13812345678" }),
    });
    const created = (await posted.json()) as { caseId: string; reporterPhone: string };
    expect(created.reporterPhone).toBe("138****5678");
    /** The reporter's phone as the case reads to `authorization` (the public without one). */
    const reporterPhoneAs = async (authorization?: string) => {
      const read = await fetch(`${platform.gatewayUrl}/api/v1/cases/${created.caseId}`, {
        headers: authorization ? { authorization } : {},
      });
      return ((await read.json()) as { reporterPhone: string }).reporterPhone;
    };
    expect(await reporterPhoneAs()).toBe("");
    const volunteerOfTheArea = bearer("v-1", { roles: ["volunteer"], areas: ["440402001002"] });
    expect(await reporterPhoneAs(volunteerOfTheArea)).toBe("");
    expect(await reporterPhoneAs(bearer("admin-1", { roles: ["platform_admin"] }))).toBe("138****5678");
    const commandCentre = bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] });
    expect(await reporterPhoneAs(commandCentre)).toBe("13812345678");
    const reads = await mongo
      .db(platform.databaseName)
      .collection("personal_data_reads")
      .find({ caseId: created.caseId })
      .toArray();
    expect(reads.map((read) => [read.by, read.field])).toEqual([["cc-1", "reporterPhone"]]);
    const stored = await mongo
      .db(platform.databaseName)
      .collection("events")
      .findOne({ stream: `case-${created.caseId}` });
    expect(JSON.stringify(stored)).not.toContain("13812345678");
  });

  it("malformed JSON gives 400 problem+json and stores nothing", async () => {
    const before = await eventCount();
    const response = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"channel": "app", ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 400, type: "urn:civic:problem:malformed-json" });
    expect(await eventCount()).toBe(before);
  });

  it("wrong field types give 400 naming each offending field, and store nothing", async () => {
    const before = await eventCount();
    const response = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...validCase, title: 42, channel: "fax", areaId: ["440402"], extra: true }),
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "areaId",
      "channel",
      "extra",
      "title",
    ]);
    const injected = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...validCase, areaId: { $ne: null } }),
    });
    expect(injected.status).toBe(400);
    expect(((await injected.json()) as { errors: unknown[] }).errors).toEqual([
      { field: "areaId.$ne", detail: "is named like a database operator" },
    ]);
    expect(await eventCount()).toBe(before);
  });

  it("values the service refuses come back as 400 with the service's field violations", async () => {
    const before = await eventCount();
    const response = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...validCase, title: "   ", categoryCode: "Bad Code" }),
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "categoryCode",
      "title",
    ]);
    for (const unknown of [{ categoryCode: "alien-landing" }, { areaId: "440402001002999" }]) {
      const refused = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...validCase, ...unknown }),
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
        Object.keys(unknown)[0],
      );
    }
    expect(await eventCount()).toBe(before);
  });

  it("an unknown case id gives 404 problem+json; an unknown route gives 404 problem+json", async () => {
    const missing = await fetch(`${platform.gatewayUrl}/api/v1/cases/0193f5a2-0000-7000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    const unknown = await fetch(`${platform.gatewayUrl}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 404, type: "urn:civic:problem:not-found" });
  });
});

describe("the gateway when grid-cases is down", () => {
  it("answers 503 problem+json within its deadline instead of hanging", async () => {
    const platform = await startTestPlatform(inject("mongoUri"), inject("natsUrl"), 1_500);
    try {
      await platform.stopGridCases();
      const started = Date.now();
      const response = await fetch(`${platform.gatewayUrl}/api/v1/cases`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(validCase),
      });
      expect(Date.now() - started).toBeLessThan(1_500 + 500);
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    } finally {
      await platform.stop();
    }
  });
});
