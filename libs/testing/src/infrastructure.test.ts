import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { describe, expect, inject, it } from "vitest";
import { uniqueDatabaseName } from "./database-name.js";
import { startFerretDb } from "./ferretdb-process.js";
import { startNatsServer } from "./nats-server-process.js";

describe("test infrastructure", () => {
  it("provides a working MongoDB-wire database and NATS to every test file", async () => {
    const client = await MongoClient.connect(inject("mongoUri"));
    const db = client.db(uniqueDatabaseName("infra"));
    await db.collection("things").insertOne({ name: "lamp post" });
    expect(await db.collection("things").findOne({}, { projection: { _id: 0 } })).toEqual({
      name: "lamp post",
    });
    await db.dropDatabase();
    await client.close();

    const nats = await connect({ servers: inject("natsUrl") });
    const reply = await nats.request("$JS.API.INFO", "");
    expect(JSON.parse(reply.string()).error).toBeUndefined();
    await nats.close();
  });

  it("a stopped nats-server comes back on the same port with its JetStream data", async () => {
    const server = await startNatsServer();
    try {
      const publish = async () => {
        const nats = await connect({ servers: server.url });
        await nats.request(
          "$JS.API.STREAM.CREATE.KEEP",
          JSON.stringify({ name: "KEEP", subjects: ["keep.>"] }),
        );
        await nats.request("keep.one", "hello");
        await nats.close();
      };
      await publish();
      await server.stop();
      await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow();
      await server.restart();
      const nats = await connect({ servers: server.url });
      const info = JSON.parse((await nats.request("$JS.API.STREAM.INFO.KEEP", "")).string());
      expect(info.state.messages).toBe(1);
      await nats.close();
    } finally {
      await server.dispose();
    }
  });

  it("FerretDB with a data directory keeps documents across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "civic-ferretdb-test-"));
    const ferretdb = await startFerretDb({ dataDir });
    try {
      let client = await MongoClient.connect(ferretdb.uri);
      await client
        .db("keep")
        .collection("cases")
        .insertOne({ _id: "c-1" as never, title: "kept" });
      await client.close();
      await ferretdb.stop();
      await ferretdb.restart();
      client = await MongoClient.connect(ferretdb.uri);
      expect(
        await client
          .db("keep")
          .collection("cases")
          .findOne({ _id: "c-1" as never }),
      ).toEqual({ _id: "c-1", title: "kept" });
      await client.close();
    } finally {
      await ferretdb.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("names databases uniquely and validly", () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueDatabaseName("Some Prefix-With.Dots")));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^[a-z0-9_]{1,63}$/);
  });
});
