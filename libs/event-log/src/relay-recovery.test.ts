import { startNatsServer, uniqueDatabaseName } from "@civic/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AggregateRepository } from "./aggregate-repository.js";
import { parseCloudEvent } from "./cloud-event.js";
import { EventLog } from "./event-log.js";
import { SnapshotStore } from "./snapshot-store.js";
import {
  added,
  type CounterState,
  counterAggregate,
  eventually,
  openTestBed,
  silentLogger,
  type TestBed,
} from "./testing/fixtures.js";

/** A clock the test moves: the sweeper leaves events younger than its grace period alone. */
function testClock(start = Date.now()) {
  let current = start;
  return { now: () => new Date(current), advance: (ms: number) => (current += ms) };
}

async function streamMessages(log: EventLog) {
  const info = await log.jsm.streams.info(log.streamName);
  const messages = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await log.jsm.streams.getMessage(log.streamName, { seq });
    if (!message) continue;
    messages.push({
      event: parseCloudEvent(message.string()),
      traceparent: message.header.get("traceparent"),
    });
  }
  return messages;
}

describe("relay recovery after a crash", () => {
  let bed: TestBed;
  const clock = testClock();
  let log: EventLog;

  beforeAll(async () => {
    bed = await openTestBed(inject("mongoUri"), inject("natsUrl"), "relay");
    log = await EventLog.open({
      db: bed.db,
      nats: bed.nats,
      domain: `relay-${uniqueDatabaseName("t").slice(-8).toLowerCase()}`,
      logger: silentLogger,
      now: clock.now,
    });
  });
  afterAll(async () => {
    await log.close();
    await bed.close();
  });

  it("a crash between the append and the snapshot loses nothing: the sweeper publishes and repairs", async () => {
    const counters = await log.repository(counterAggregate);
    await counters.create("a", () => added(2));
    await log.relay.flush();
    // The process dies right after committing version 2: no snapshot, no publish.
    const committed = await log.store.append(
      "counter-a",
      2,
      added(3),
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    );
    expect((await new SnapshotStore<CounterState>(bed.db, "counters").get("a"))?.version).toBe(1);

    clock.advance(5_000);
    const report = await log.sweeper.sweepOnce();
    expect(report).toMatchObject({ published: 1, repairedSnapshots: 1, unpublished: 0 });
    expect(await new SnapshotStore<CounterState>(bed.db, "counters").get("a")).toMatchObject({
      version: 2,
      state: { total: 5 },
    });
    await log.sweeper.sweepOnce();
    const published = (await streamMessages(log)).filter((message) => message.event.id === committed._id);
    expect(published).toHaveLength(1);
    expect(published[0]?.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(published[0]?.event).toMatchObject({ stream: "counter-a", streamversion: 2, data: { amount: 3 } });
  });

  it("a crash between the snapshot and the publish loses nothing: the sweeper publishes once", async () => {
    const droppingPublisher = { publish: () => undefined };
    const counters = new AggregateRepository({
      kind: "crashy",
      store: log.store,
      snapshots: new SnapshotStore<CounterState>(bed.db, "crashies"),
      evolver: counterAggregate,
      publisher: droppingPublisher,
      logger: silentLogger,
    });
    const { event } = await counters.create("b", () => added(7));
    clock.advance(5_000);
    expect((await log.sweeper.sweepOnce()).published).toBe(1);
    expect((await log.sweeper.sweepOnce()).published).toBe(0);
    const published = (await streamMessages(log)).filter((message) => message.event.id === event._id);
    expect(published).toHaveLength(1);
  });

  it("leaves events younger than the grace period to their writer", async () => {
    await log.store.append("counter-young", 1, added(1));
    expect((await log.sweeper.sweepOnce()).unpublished).toBe(0);
    clock.advance(5_000);
    expect((await log.sweeper.sweepOnce()).published).toBe(1);
  });
});

describe("relay while NATS is down", () => {
  it("accepts the change, and once NATS is back its event is on the stream exactly once", async () => {
    const nats = await startNatsServer();
    const mongo = await MongoClient.connect(inject("mongoUri"));
    const db = mongo.db(uniqueDatabaseName("outage"));
    const connection = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const clock = testClock();
    const backlog: number[] = [];
    const log = await EventLog.open({
      db,
      nats: connection,
      domain: "outage-test",
      logger: silentLogger,
      now: clock.now,
      onBacklog: ({ unpublished }) => backlog.push(unpublished),
    });
    const counters = await log.repository(counterAggregate);
    try {
      await nats.stop();
      const started = Date.now();
      const { event } = await counters.create("during-outage", () => added(1));
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await counters.load("during-outage")).toEqual({ state: { total: 1 }, version: 1 });
      await log.relay.flush();
      clock.advance(5_000);
      expect((await log.sweeper.sweepOnce()).unpublished).toBe(1);
      expect(backlog.at(-1)).toBe(1);

      await nats.restart();
      const report = await eventually(
        () => log.sweeper.sweepOnce(),
        (sweep) => sweep.unpublished === 0,
        15_000,
      );
      expect(report.unpublished).toBe(0);
      const jsm = await jetstreamManager(connection);
      const info = await jsm.streams.info(log.streamName);
      expect(info.state.messages).toBe(1);
      const message = await jsm.streams.getMessage(log.streamName, { seq: info.state.last_seq });
      expect(parseCloudEvent(message?.string() ?? "").id).toBe(event._id);
    } finally {
      await log.close();
      await connection.close();
      await nats.dispose();
      await db.dropDatabase();
      await mongo.close();
    }
  }, 60_000);
});
