import { uniqueDatabaseName } from "@civic/testing";
import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isDuplicateKeyError } from "./duplicate-key.js";

/**
 * Every kind of database operation the event log uses, run against the backend in use
 * (FerretDB here, MongoDB in production) and checked against MongoDB's documented
 * result. A difference shows up here rather than as a data bug.
 */
describe("store conformance", () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await MongoClient.connect(inject("mongoUri"));
    db = client.db(uniqueDatabaseName("conformance"));
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it("a unique compound index refuses a second document with the same key (E11000)", async () => {
    const events = db.collection("events_unique");
    await events.createIndex({ stream: 1, version: 1 }, { unique: true });
    await events.insertOne({ _id: "a" as never, stream: "s", version: 1 });
    await events.insertOne({ _id: "b" as never, stream: "s", version: 2 });
    const duplicate = await events
      .insertOne({ _id: "c" as never, stream: "s", version: 1 })
      .catch((error) => error);
    expect(isDuplicateKeyError(duplicate)).toBe(true);
    const duplicateId = await events
      .insertOne({ _id: "a" as never, stream: "t", version: 1 })
      .catch((error) => error);
    expect(isDuplicateKeyError(duplicateId)).toBe(true);
    expect(await events.countDocuments()).toBe(2);
  });

  it("range filters with sort, limit and projection return documents in order", async () => {
    const events = db.collection("events_range");
    await events.insertMany(
      [3, 1, 2, 5, 4].map((version) => ({ stream: "s", version, data: { n: version } })),
    );
    await events.insertOne({ stream: "other", version: 9 });
    const after2 = await events
      .find({ stream: "s", version: { $gt: 2 } })
      .sort({ version: 1 })
      .toArray();
    expect(after2.map((event) => event.version)).toEqual([3, 4, 5]);
    const [latest] = await events
      .find({ stream: "s" }, { projection: { version: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    expect(latest).toEqual({ _id: expect.anything(), version: 5 });
  });

  it("dates round-trip and compare with $gte and $lt", async () => {
    const marks = db.collection("dates");
    const base = new Date("2026-11-23T08:00:00.000Z");
    await marks.insertMany(
      [0, 1, 2].map((minutes) => ({ time: new Date(base.getTime() + minutes * 60_000) })),
    );
    const fromOne = await marks.find({ time: { $gte: new Date(base.getTime() + 60_000) } }).toArray();
    expect(fromOne.map((mark) => mark.time.toISOString())).toEqual([
      "2026-11-23T08:01:00.000Z",
      "2026-11-23T08:02:00.000Z",
    ]);
    const deleted = await marks.deleteMany({ time: { $lt: new Date(base.getTime() + 60_000) } });
    expect(deleted.deletedCount).toBe(1);
  });

  it("$in on _id finds exactly the listed documents; arrays come back whole", async () => {
    const marks = db.collection<{ _id: string; eventIds: string[] }>("marks");
    await marks.insertMany([
      { _id: "m1", eventIds: ["e1", "e2"] },
      { _id: "m2", eventIds: ["e3"] },
      { _id: "m3", eventIds: [] },
    ]);
    const found = await marks
      .find({ _id: { $in: ["m1", "m3", "missing"] } })
      .sort({ _id: 1 })
      .toArray();
    expect(found).toEqual([
      { _id: "m1", eventIds: ["e1", "e2"] },
      { _id: "m3", eventIds: [] },
    ]);
    const projected = await marks.find({}, { projection: { eventIds: 1 } }).toArray();
    expect(projected.flatMap((mark) => mark.eventIds).sort()).toEqual(["e1", "e2", "e3"]);
  });

  it("a guarded updateOne matches only when the guard holds; $set replaces nested state", async () => {
    const snapshots = db.collection<{ _id: string; version: number; state: Record<string, unknown> }>(
      "snapshots",
    );
    await snapshots.insertOne({ _id: "x", version: 2, state: { a: 1, b: 2 } });
    const stale = await snapshots.updateOne(
      { _id: "x", version: { $lt: 2 } },
      { $set: { version: 2, state: { a: 9 } } },
    );
    expect(stale.matchedCount).toBe(0);
    const fresh = await snapshots.updateOne(
      { _id: "x", version: { $lt: 3 } },
      { $set: { version: 3, state: { a: 3 } } },
    );
    expect(fresh.matchedCount).toBe(1);
    expect(await snapshots.findOne({ _id: "x" })).toEqual({ _id: "x", version: 3, state: { a: 3 } });
    const missing = await snapshots.updateOne({ _id: "nope", version: { $lt: 1 } }, { $set: { version: 1 } });
    expect(missing.matchedCount).toBe(0);
    expect(await snapshots.countDocuments({ _id: "nope" })).toBe(0);
  });

  it("countDocuments with a limit answers existence", async () => {
    const processed = db.collection<{ _id: string }>("processed");
    await processed.insertOne({ _id: "consumer:e1" });
    expect(await processed.countDocuments({ _id: "consumer:e1" }, { limit: 1 })).toBe(1);
    expect(await processed.countDocuments({ _id: "consumer:e2" }, { limit: 1 })).toBe(0);
  });

  it("creating the same indexes again at the next start is a no-op, one index per command", async () => {
    const events = db.collection("events_indexes");
    const create = async () => [
      await events.createIndex({ stream: 1, version: 1 }, { name: "stream_version", unique: true }),
      await events.createIndex({ time: 1 }, { name: "time" }),
    ];
    expect(await create()).toEqual(["stream_version", "time"]);
    expect(await create()).toEqual(["stream_version", "time"]);
  });
});
