import { withCallSignal } from "@civic/service-kit";
import { uniqueDatabaseName } from "@civic/testing";
import { type CommandStartedEvent, type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EventStore } from "./event-store.js";
import { pageOfSnapshots } from "./snapshot-pages.js";
import { SnapshotStore } from "./snapshot-store.js";

// The shared read helpers pass the call's remaining deadline to the database as maxTimeMS.
describe("reads made for a call", () => {
  let client: MongoClient;
  let db: Db;
  const finds: CommandStartedEvent[] = [];

  beforeAll(async () => {
    client = await MongoClient.connect(inject("mongoUri"), { monitorCommands: true });
    client.on("commandStarted", (event) => {
      if (event.commandName === "find") finds.push(event);
    });
    db = client.db(uniqueDatabaseName("read_deadline"));
    await db.collection("things").insertOne({ _id: "thing-1" as never, version: 1, state: {} });
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const reads = async () => {
    const snapshots = new SnapshotStore<object>(db, "things");
    const events = new EventStore(db, { subjectPrefix: "civic.read-deadline", source: "read-deadline-test" });
    return [
      (await pageOfSnapshots(snapshots.collection, {}, { pageSize: 0, pageToken: "" })).items.length,
      (await snapshots.get("thing-1"))?._id,
      (await events.readStream("thing-1")).length,
    ];
  };
  const maxTimes = () => finds.splice(0).map((event) => event.command.maxTimeMS as number | undefined);

  it("stop at the call's deadline: each find carries the time left as maxTimeMS", async () => {
    const deadline = new Date(Date.now() + 4_000);
    const results = await withCallSignal(new AbortController().signal, reads, deadline);
    expect(results).toEqual([1, "thing-1", 0]);
    const sent = maxTimes();
    expect(sent).toHaveLength(3);
    for (const maxTimeMS of sent) {
      expect(maxTimeMS).toBeGreaterThan(0);
      expect(maxTimeMS).toBeLessThanOrEqual(4_000);
    }
  });

  it("run without a limit outside a call, and in a call without a deadline", async () => {
    expect(await reads()).toEqual([1, "thing-1", 0]);
    expect(maxTimes()).toEqual([undefined, undefined, undefined]);
    await withCallSignal(new AbortController().signal, reads);
    expect(maxTimes()).toEqual([undefined, undefined, undefined]);
  });
});
