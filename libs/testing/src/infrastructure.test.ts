import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { uniqueDatabaseName } from "./database-name.js";
import { startFerretDb } from "./ferretdb-process.js";
import { startInfrastructure } from "./infrastructure.js";
import { startNatsServer } from "./nats-server-process.js";

/** A JetStream API call over the core connection; throws the API's error. */
async function jetStreamApi<T>(nats: NatsConnection, call: string, body: unknown = {}): Promise<T> {
  const answer = (await nats.request(`$JS.API.${call}`, JSON.stringify(body))).json<
    T & { error?: unknown }
  >();
  if (answer.error) throw new Error(`${call}: ${JSON.stringify(answer.error)}`);
  return answer;
}

async function publishToNewStream(nats: NatsConnection, stream: string, text: string): Promise<void> {
  await jetStreamApi(nats, `STREAM.CREATE.${stream}`, { name: stream, subjects: [`${stream}.>`] });
  const ack = (await nats.request(`${stream}.one`, text)).json<{ stream?: string; seq?: number }>();
  expect(ack).toMatchObject({ stream, seq: 1 });
}

async function readFirstMessage(nats: NatsConnection, stream: string): Promise<string> {
  const { message } = await jetStreamApi<{ message: { data: string } }>(nats, `STREAM.MSG.GET.${stream}`, {
    seq: 1,
  });
  return Buffer.from(message.data, "base64").toString();
}

describe("the provided infrastructure", () => {
  it("has a MongoDB-wire database", async () => {
    const client = await MongoClient.connect(inject("mongoUri"));
    const db = client.db(uniqueDatabaseName("infra"));
    try {
      await db.collection("things").insertOne({ name: "lamp post" });
      expect(await db.collection("things").findOne({}, { projection: { _id: 0 } })).toEqual({
        name: "lamp post",
      });
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });

  it("has NATS with JetStream", async () => {
    const nats = await connect({ servers: inject("natsUrl") });
    const stream = uniqueDatabaseName("infra").toUpperCase();
    try {
      await publishToNewStream(nats, stream, "hello");
      expect(await readFirstMessage(nats, stream)).toBe("hello");
    } finally {
      await jetStreamApi(nats, `STREAM.DELETE.${stream}`).catch(() => undefined);
      await nats.close();
    }
  });
});

describe("startInfrastructure", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("uses MONGODB_URI and NATS_URL when both are set, and starts nothing", async () => {
    vi.stubEnv("MONGODB_URI", "mongodb://db.example:27017/");
    vi.stubEnv("NATS_URL", "nats://nats.example:4222");
    const infrastructure = await startInfrastructure();
    expect(infrastructure).toMatchObject({
      provider: "environment",
      mongoUri: "mongodb://db.example:27017/",
      natsUrl: "nats://nats.example:4222",
    });
    await infrastructure.stop();
  });

  it("starts only what the environment does not name", async () => {
    vi.stubEnv("MONGODB_URI", inject("mongoUri"));
    vi.stubEnv("NATS_URL", undefined);
    const infrastructure = await startInfrastructure();
    try {
      expect(infrastructure.provider).not.toBe("environment");
      expect(infrastructure.mongoUri).toBe(inject("mongoUri"));
      expect(infrastructure.natsUrl).not.toBe(inject("natsUrl"));
      const nats = await connect({ servers: infrastructure.natsUrl });
      await jetStreamApi(nats, "INFO");
      await nats.close();
    } finally {
      await infrastructure.stop();
    }
  });
});

describe("local processes", () => {
  it("a stopped nats-server comes back on the same port with its JetStream data", async () => {
    const logDir = mkdtempSync(join(tmpdir(), "civic-nats-log-"));
    const logFile = join(logDir, "nats-server.log");
    const server = await startNatsServer({ logFile });
    try {
      let nats = await connect({ servers: server.url });
      await publishToNewStream(nats, "KEEP", "kept");
      await nats.close();

      await server.stop();
      expect(server.isRunning()).toBe(false);
      await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow();

      await server.restart();
      expect(server.isRunning()).toBe(true);
      nats = await connect({ servers: server.url });
      expect(await readFirstMessage(nats, "KEEP")).toBe("kept");
      await nats.close();
      expect(readFileSync(logFile, "utf8").match(/Server is ready/g)).toHaveLength(2);
    } finally {
      await server.dispose();
      rmSync(logDir, { recursive: true, force: true });
    }
    expect(existsSync(server.storeDir)).toBe(false);
  });

  it("FerretDB with a data directory keeps documents across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "civic-ferretdb-test-"));
    const ferretdb = await startFerretDb({ dataDir });
    const cases = (client: MongoClient) =>
      client.db("keep").collection<{ _id: string; title: string }>("cases");
    try {
      let client = await MongoClient.connect(ferretdb.uri);
      await cases(client).insertOne({ _id: "c-1", title: "kept" });
      await client.close();

      await ferretdb.stop();
      await ferretdb.restart();

      client = await MongoClient.connect(ferretdb.uri);
      expect(await cases(client).findOne({ _id: "c-1" })).toEqual({ _id: "c-1", title: "kept" });
      await client.close();
    } finally {
      await ferretdb.dispose();
      expect(existsSync(dataDir)).toBe(true);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("uniqueDatabaseName", () => {
  it("names databases uniquely and validly", () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueDatabaseName("Some Prefix-With.Dots")));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^[a-z0-9_]{1,63}$/);
    expect(uniqueDatabaseName("x".repeat(200)).length).toBeLessThanOrEqual(63);
  });
});
