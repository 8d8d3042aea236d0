/**
 * A client that got 503 or 504 for a creating POST may retry it with the same
 * Idempotency-Key: the work happens at most once. The 504 here is real: the database is
 * frozen (SIGSTOP) while the request runs, so the gateway gives up first; once the database
 * thaws the service carries on, but commits nothing, the call's deadline having passed.
 */
import { configureGrpcServing, grpcServing, inFlightCalls } from "@civic/service-kit";
import { type FerretDbProcess, startFerretDb } from "@civic/testing";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { startTestPlatform, type TestPlatform } from "../support/platform.js";
import { descendants } from "../support/process-tree.js";

const deadlineMs = 1_500;

describe("retrying a creating POST after 503 or 504 with its Idempotency-Key", () => {
  // A database of this file's own: freezing the shared one would stall other test files.
  let database: FerretDbProcess;
  let platform: TestPlatform;
  let mongo: MongoClient;
  const casesTitled = (title: string) =>
    mongo.db(platform.databaseName).collection("cases").countDocuments({ "state.title": title });
  const submit = (key: string, title: string) =>
    fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({
        channel: "hotline_12345",
        requestType: "report",
        categoryCode: "manhole-cover-missing",
        title,
        description: "Outside No. 12 Jida Road",
        areaId: testGrid,
      }),
    });
  const databasePid = () => {
    const found = descendants(process.pid).find((info) =>
      info.command.includes(`--listen-addr=127.0.0.1:${database.port}`),
    );
    if (!found) throw new Error("the test's FerretDB process is not found");
    return found.pid;
  };

  beforeAll(async () => {
    database = await startFerretDb();
    platform = await startTestPlatform(database.uri, inject("natsUrl"), deadlineMs);
    await seedGeography(platform.gatewayUrl);
    mongo = await MongoClient.connect(database.uri);
  });
  afterAll(async () => {
    await mongo?.close();
    await platform?.stop();
    await database?.dispose();
  });

  it("after a 504, the service commits nothing past the deadline, and the retry replays the 504 and does nothing", async () => {
    const title = "Manhole cover missing (timed out)";
    const pid = databasePid();
    process.kill(pid, "SIGSTOP");
    let first: Response;
    try {
      first = await submit("timeout-1", title);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    expect(first.status).toBe(504);
    // The service carries on once the database answers, up to the append, which the passed
    // deadline stops: the client was told 504 and no case appears behind its back.
    await inFlightCalls.idle();
    expect(await casesTitled(title)).toBe(0);

    const retry = await submit("timeout-1", title);
    expect(retry.status).toBe(504);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    await inFlightCalls.idle();
    expect(await casesTitled(title)).toBe(0);
  });

  it("after a 503 from a service at capacity, the retry runs and creates exactly one case", async () => {
    const title = "Manhole cover missing (at capacity)";
    const bound = grpcServing().maxCallsInFlight;
    configureGrpcServing({ maxCallsInFlight: 0 });
    let refused: Response;
    try {
      refused = await submit("capacity-1", title);
    } finally {
      configureGrpcServing({ maxCallsInFlight: bound });
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await casesTitled(title)).toBe(0);

    const retry = await submit("capacity-1", title);
    expect(retry.status).toBe(201);
    const again = await submit("capacity-1", title);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await casesTitled(title)).toBe(1);
  });
});
