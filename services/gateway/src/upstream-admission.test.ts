import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gridCasesV1 } from "@civic/contracts";
import { inProcessCallerTokens } from "@civic/service-kit";
import * as grpc from "@grpc/grpc-js";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Options } from "express-rate-limit";
import { SignJWT } from "jose";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createGatewayApp } from "./app.js";
import { IdempotencyRecords } from "./idempotency.js";
import { SharedRateLimitCounts } from "./rate-limit-counts.js";
import { UpstreamAdmission } from "./upstream-admission.js";
import { upstreamClients } from "./upstreams.js";

describe("a bound on the requests in flight to one service", () => {
  it("gives out `max` places, refuses the next, and takes each place back once", () => {
    const admission = new UpstreamAdmission(2);
    const first = admission.tryEnter();
    const second = admission.tryEnter();
    expect(admission.tryEnter()).toBeUndefined();
    expect(admission.requestsInFlight()).toBe(2);
    first?.leave();
    first?.leave();
    expect(admission.requestsInFlight()).toBe(1);
    expect(admission.tryEnter()).toBeDefined();
    expect(admission.tryEnter()).toBeUndefined();
    second?.leave();
    expect(admission.requestsInFlight()).toBe(1);
  });
});

// A gateway with real rate-limit counts and Idempotency-Key records (NATS KV) in front of a
// grid-cases that holds every SubmitCase until the test lets it answer.
describe("the gateway at a saturated service", () => {
  const secret = "a-test-secret-that-is-long-enough-for-hs256";
  const prefix = `door_${Date.now().toString(36)}`;
  // Counts are kept per window: a day's window does not roll over during the test.
  const day = 86_400_000;
  const grpcServer = new grpc.Server();
  const held: (() => void)[] = [];
  let submissions = 0;
  let nats: NatsConnection;
  let server: Server;
  let url: string;
  let rateLimitCounts: SharedRateLimitCounts;

  const token = (subject: string) =>
    new SignJWT({ roles: ["resident"] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(subject)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(secret));
  const submit = async (subject: string, idempotencyKey: string) =>
    fetch(`${url}/api/v1/cases`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await token(subject)}`,
        "idempotency-key": idempotencyKey,
      },
      body: JSON.stringify({
        channel: "hotline_12345",
        requestType: "complaint",
        categoryCode: "noise-nuisance",
        title: "Construction noise after 22:00",
        areaId: "440402001002001",
      }),
    });
  /** The hits one limiter counted for `key` in the shared bucket. */
  const hits = async (limiter: "per-ip" | "per-caller", key: string) => {
    const store = rateLimitCounts.store(limiter);
    await store.init?.({ windowMs: day } as Options);
    return (await store.get?.(key))?.totalHits ?? 0;
  };

  beforeAll(async () => {
    grpcServer.addService(gridCasesV1.CaseServiceService, {
      submitCase: (_call: unknown, callback: grpc.sendUnaryData<gridCasesV1.SubmitCaseResponse>) => {
        submissions += 1;
        held.push(() => callback(null, gridCasesV1.SubmitCaseResponse.fromPartial({})));
      },
    });
    const port = await new Promise<number>((done, fail) =>
      grpcServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? fail(error) : done(bound),
      ),
    );
    const gridCases = `127.0.0.1:${port}`;
    const nowhere = "127.0.0.1:1";
    nats = await connect({ servers: inject("natsUrl") });
    rateLimitCounts = await SharedRateLimitCounts.open(nats, {
      bucket: `${prefix}_rate_limits`,
      windowMs: day,
    });
    const app = createGatewayApp({
      upstreams: upstreamClients({ "grid-cases": gridCases, "volunteer-stations": nowhere }),
      upstreamMaxInFlight: 1,
      deadlineMs: 10_000,
      callerTokens: (await inProcessCallerTokens()).issuer,
      logger: pino({ level: "silent" }),
      jwtSecret: secret,
      rateLimits: { windowMs: day, perIp: 1_000, perCaller: 1_000, counts: rateLimitCounts },
      idempotency: await IdempotencyRecords.open(nats, {
        bucket: `${prefix}_idempotency`,
        ttlMs: 60_000,
        staleAfterMs: 20_000,
      }),
    });
    server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    grpcServer.forceShutdown();
    await nats?.drain();
  });

  it("refuses with 503 before counting a rate limit or claiming the Idempotency-Key, which a retry then uses", async () => {
    const first = submit("resident-first", "first-key");
    await expect.poll(() => submissions).toBe(1);
    expect(await hits("per-caller", "caller:resident-first")).toBe(1);
    const ipHitsWhileHeld = await hits("per-ip", "127.0.0.1");
    expect(ipHitsWhileHeld).toBe(1);

    const refused = await submit("resident-refused", "refused-key");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(await refused.json()).toMatchObject({
      status: 503,
      type: "urn:civic:problem:service-unavailable",
      title: "The service is at capacity",
    });
    expect(submissions).toBe(1);
    expect(await hits("per-caller", "caller:resident-refused")).toBe(0);
    expect(await hits("per-ip", "127.0.0.1")).toBe(ipHitsWhileHeld);

    // Another service's routes are not held up by this one's bound: the request goes on to
    // volunteer-stations (unreachable here: 503 "unavailable", not "at capacity").
    const elsewhere = await fetch(`${url}/api/v1/volunteer-stations`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token("staff")}` },
      body: JSON.stringify({ stationId: "hut", kind: "blue_sky_hut", name: "Hut", areaId: "440402001002" }),
    });
    expect(await elsewhere.json()).toMatchObject({ status: 503, title: "The service is unavailable" });

    held.splice(0)[0]?.();
    expect((await first).status).toBe(201);

    // The refused request left its key free: the retry runs (it is not a replay, nor a 409).
    const retry = submit("resident-refused", "refused-key");
    await expect.poll(() => submissions).toBe(2);
    held.splice(0)[0]?.();
    const retried = await retry;
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect(await hits("per-caller", "caller:resident-refused")).toBe(1);
  });
});
