import { ConflictError, FailedPreconditionError, withCallArrival } from "@civic/service-kit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AggregateRepository } from "./aggregate-repository.js";
import { EventLog } from "./event-log.js";
import { EventIdTakenError, StreamVersionTakenError } from "./event-store.js";
import {
  added,
  type CounterEvent,
  type CounterState,
  counterAggregate,
  openTestBed,
  silentLogger,
  type TestBed,
} from "./testing/fixtures.js";

describe("appending under concurrency", () => {
  let bed: TestBed;
  let log: EventLog;
  let counters: AggregateRepository<CounterState, CounterEvent>;

  beforeAll(async () => {
    bed = await openTestBed(inject("mongoUri"), inject("natsUrl"), "concurrency");
    log = await EventLog.open({
      db: bed.db,
      nats: bed.nats,
      domain: "concurrency-test",
      logger: silentLogger,
    });
    counters = await log.repository(counterAggregate);
  });
  afterAll(async () => {
    await log.close();
    await bed.close();
  });

  it("the repository built from a descriptor keeps its snapshots, with their indexes, in the descriptor's collection", async () => {
    await counters.create("described", () => added(4));
    expect(counters.snapshots.collectionName).toBe("counters");
    expect(await counters.snapshots.findOne({ _id: "described" })).toMatchObject({
      version: 1,
      state: { total: 4 },
    });
    const indexes = await counters.snapshots.listIndexes().toArray();
    expect(indexes.find((index) => index.name === "total")?.key).toEqual({ "state.total": 1 });
  });

  it("30 appends of the same version: exactly one wins, 29 conflict, no gap and no duplicate", async () => {
    await log.store.append("counter-race", 1, added(1));
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) => log.store.append("counter-race", 2, added(index))),
    );
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(29);
    for (const failure of lost) {
      expect(failure.reason).toBeInstanceOf(StreamVersionTakenError);
      expect(failure.reason.currentVersion).toBe(2);
    }
    const versions = (await log.store.readStream("counter-race")).map((event) => event.version);
    expect(versions).toEqual([1, 2]);
  });

  it("an event with an id of its own is stored once, however often and concurrently it is retried", async () => {
    await log.store.append("counter-once", 1, { ...added(1), id: "once-1" });
    await expect(log.store.append("counter-once", 2, { ...added(1), id: "once-1" })).rejects.toBeInstanceOf(
      EventIdTakenError,
    );
    await counters.create("retried", () => added(0));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => counters.execute("retried", () => ({ ...added(1), id: "once-2" }))),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) {
      expect(result.reason).toBeInstanceOf(EventIdTakenError);
    }
    expect(await counters.load("retried")).toEqual({ state: { total: 1 }, version: 2 });
    expect(await log.store.hasEvent("once-2")).toBe(true);
    expect((await log.store.readStream("counter-once")).map((event) => event.version)).toEqual([1]);
  });

  it("executeOn commits on a held state without reading, and reloads when another writer moved on", async () => {
    const first = await counters.create("held", () => added(1));
    const next = await counters.executeOn("held", { state: first.state, version: first.version }, () =>
      added(2),
    );
    expect(next).toMatchObject({ state: { total: 3 }, version: 2 });
    await counters.execute("held", () => added(10));
    const after = await counters.executeOn("held", { state: next.state, version: next.version }, () =>
      added(100),
    );
    expect(after).toMatchObject({ state: { total: 113 }, version: 4 });
    expect(await counters.load("held")).toEqual({ state: { total: 113 }, version: 4 });
  });

  it("callers holding an old version get a conflict naming the current version", async () => {
    await counters.create("stale", () => added(5));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => counters.execute("stale", () => added(1), 1)),
    );
    const conflicts = results.filter(
      (result): result is PromiseRejectedResult => result.status === "rejected",
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(conflicts).toHaveLength(9);
    for (const conflict of conflicts) {
      expect(conflict.reason).toBeInstanceOf(ConflictError);
      expect((conflict.reason as ConflictError).metadata.currentVersion).toBe("2");
    }
    expect(await counters.load("stale")).toEqual({ state: { total: 6 }, version: 2 });
  });

  it("without an expected version a lost race is retried on fresh state, so no addition is lost", async () => {
    await counters.create("shared", () => added(0));
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => counters.execute("shared", () => added(1))),
    );
    const succeeded = results.filter((result) => result.status === "fulfilled").length;
    const loaded = await counters.load("shared");
    expect(loaded.state.total).toBe(succeeded);
    expect(loaded.version).toBe(succeeded + 1);
    const versions = (await log.store.readStream("counter-shared")).map((event) => event.version);
    expect(versions).toEqual(Array.from({ length: succeeded + 1 }, (_, index) => index + 1));
  });

  describe("a refusal that only the race's winner caused", () => {
    const setOnce = (state: CounterState) => {
      if (state.total > 0) throw new FailedPreconditionError("the counter is already set");
      return added(1);
    };

    it("is a conflict naming the current version and the refusal, for requests that arrived before the win", async () => {
      await counters.create("set-once", () => added(0));
      const arrivedAt = Date.now();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          withCallArrival(arrivedAt, () => counters.execute("set-once", setOnce)),
        ),
      );
      const refused = results.filter(
        (result): result is PromiseRejectedResult => result.status === "rejected",
      );
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(refused).toHaveLength(9);
      for (const { reason } of refused) {
        expect(reason).toBeInstanceOf(ConflictError);
        expect((reason as ConflictError).metadata.currentVersion).toBe("2");
        expect((reason as ConflictError).message).toContain("the counter is already set");
      }
      expect(await counters.load("set-once")).toEqual({ state: { total: 1 }, version: 2 });
    });

    it("stays a refusal for a request that arrived after the change, or that no state since its arrival allowed", async () => {
      await counters.create("set-before", () => added(1));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const arrivedAt = Date.now();
      await expect(
        withCallArrival(arrivedAt, () => counters.execute("set-before", setOnce)),
      ).rejects.toBeInstanceOf(FailedPreconditionError);
      await expect(counters.execute("set-before", setOnce)).rejects.toBeInstanceOf(FailedPreconditionError);

      await counters.create("set-twice", () => added(1));
      const before = Date.now() - 1;
      await counters.execute("set-twice", () => added(1));
      await expect(
        withCallArrival(before, () => counters.execute("set-twice", setOnce)),
      ).rejects.toBeInstanceOf(FailedPreconditionError);
    });
  });
});
