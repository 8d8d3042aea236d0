import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import express from "express";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { IdempotencyRecords, idempotentPosts } from "./idempotency.js";

// Two gateways share one Idempotency-Key bucket (real NATS). The first takes a request and
// stops without answering, as a gateway killed mid-call does: whether the service carried the
// request out is unknown, so a retry through the other gateway must not run it again.
describe("a request whose gateway stopped mid-call", () => {
  const staleAfterMs = 2_000;
  const bucket = `idempotency_takeover_${randomBytes(4).toString("hex")}`;
  let nats: NatsConnection;
  const servers: Server[] = [];
  let runs = 0;

  /** A gateway's idempotency layer in front of a creating route; `answer` false: it never answers. */
  async function gateway(answer: boolean): Promise<string> {
    const records = await IdempotencyRecords.open(nats, { bucket, ttlMs: 60_000, staleAfterMs });
    const app = express();
    app.use(express.json());
    app.use(idempotentPosts(records, { waitMs: 100, logger: pino({ level: "silent" }) }));
    app.post("/api/v1/cases", (_request, response) => {
      runs += 1;
      if (answer) response.status(201).json({ caseId: `case-${runs}` });
    });
    const server = app.listen(0, "127.0.0.1");
    servers.push(server);
    await once(server, "listening");
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const submit = (url: string, signal?: AbortSignal) =>
    fetch(`${url}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "case-from-the-hotline-1" },
      body: JSON.stringify({ title: "Manhole cover missing" }),
      ...(signal ? { signal } : {}),
    });

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
  });
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await nats.drain();
  });

  it("answers 504 (outcome unknown) once the record is stale, and never runs the request again", async () => {
    const stopped = await gateway(false);
    const other = await gateway(true);
    const firstAttempt = new AbortController();
    const lost = submit(stopped, firstAttempt.signal).catch(() => undefined);
    await expect.poll(() => runs, { timeout: 10_000 }).toBe(1);
    firstAttempt.abort();
    await lost;

    // While the record may still belong to a live gateway, a retry is told to wait.
    const early = await submit(other);
    expect(early.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, staleAfterMs));

    const retry = await submit(other);
    expect(retry.status).toBe(504);
    expect(await retry.json()).toMatchObject({
      type: "urn:civic:problem:timeout",
      title: "The gateway running this request stopped before answering",
    });
    const again = await submit(other);
    expect(again.status).toBe(504);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(1);
  });
});
