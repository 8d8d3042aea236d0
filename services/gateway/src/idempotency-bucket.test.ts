import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { IdempotencyRecords } from "./idempotency.js";

// The Idempotency-Key bucket gets the replicas, size cap and retention it is configured
// with, also when it exists already (against a real NATS server).
describe("idempotency bucket limits", () => {
  let nats: NatsConnection;
  const bucket = `idempotency_test_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
  });
  afterAll(async () => {
    await nats.drain();
  });

  it("creates the bucket with them, and brings an existing one to new ones", async () => {
    const stream = async () => (await (await jetstreamManager(nats)).streams.info(`KV_${bucket}`)).config;
    await IdempotencyRecords.open(nats, { bucket, ttlMs: 60_000, staleAfterMs: 10_000, maxBytes: 1_048_576 });
    expect(await stream()).toMatchObject({ num_replicas: 1, max_bytes: 1_048_576, max_age: nanos(60_000) });
    await IdempotencyRecords.open(nats, {
      bucket,
      ttlMs: 120_000,
      staleAfterMs: 10_000,
      replicas: 1,
      maxBytes: 2_097_152,
    });
    expect(await stream()).toMatchObject({ num_replicas: 1, max_bytes: 2_097_152, max_age: nanos(120_000) });
  });
});
