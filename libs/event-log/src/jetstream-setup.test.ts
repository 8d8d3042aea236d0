import { uniqueDatabaseName } from "@civic/testing";
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyStreamLimits, domainStream, ensureDomainStream, ensureStream } from "./jetstream-setup.js";

// Replicas and retention are set by the producer (STREAM_* variables) and survive a
// consumer's ensureDomainStream, against a real NATS server (one server: one replica).
describe("stream replicas and retention", () => {
  let nats: NatsConnection;
  let jsm: JetStreamManager;
  const namespace = uniqueDatabaseName("limits").replaceAll(/[^a-z0-9_]/g, "_");

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
    jsm = await jetstreamManager(nats);
  });
  afterAll(async () => {
    await nats.drain();
  });

  it("creates the stream with the producer's limits, and a consumer's ensure keeps them", async () => {
    const stream = domainStream("grid-cases", namespace);
    await ensureStream(jsm, { ...stream, replicas: 1, maxAgeMs: 3_600_000, maxBytes: 8_388_608 });
    await ensureDomainStream(jsm, "grid-cases", namespace);
    const { config } = await jsm.streams.info(stream.name);
    expect(config.num_replicas).toBe(1);
    expect(config.max_age).toBe(nanos(3_600_000));
    expect(config.max_bytes).toBe(8_388_608);
  });

  it("a consumer that creates the stream first leaves the limits to the producer's start", async () => {
    await ensureDomainStream(jsm, "deliberation", namespace);
    const stream = domainStream("deliberation", namespace);
    expect((await jsm.streams.info(stream.name)).config.max_bytes).toBe(-1);
    await ensureStream(jsm, { ...stream, maxAgeMs: 86_400_000, maxBytes: 4_194_304 });
    const { config } = await jsm.streams.info(stream.name);
    expect(config.max_age).toBe(nanos(86_400_000));
    expect(config.max_bytes).toBe(4_194_304);
  });

  it("changes the limits and replicas of an existing stream", async () => {
    const stream = domainStream("party-building", namespace);
    await ensureStream(jsm, { ...stream, maxBytes: 2_097_152 });
    await applyStreamLimits(jsm, stream.name, { maxBytes: 3_145_728 });
    expect((await jsm.streams.info(stream.name)).config.max_bytes).toBe(3_145_728);
    // A single server records the number (and keeps one copy); a cluster moves the data.
    await applyStreamLimits(jsm, stream.name, { replicas: 3 });
    expect((await jsm.streams.info(stream.name)).config.num_replicas).toBe(3);
  });
});
