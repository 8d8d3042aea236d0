import { DeadlineExceededError, withCallSignal } from "@civic/service-kit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AggregateRepository } from "./aggregate-repository.js";
import { EventLog } from "./event-log.js";
import {
  added,
  type CounterEvent,
  type CounterState,
  counterAggregate,
  openTestBed,
  silentLogger,
  type TestBed,
} from "./testing/fixtures.js";

describe("a call whose client gave up", () => {
  let bed: TestBed;
  let log: EventLog;
  let counters: AggregateRepository<CounterState, CounterEvent>;
  const storedEvents = (stream: string) =>
    bed.db.collection("events").countDocuments({ stream: { $regex: `${stream}$` } });

  beforeAll(async () => {
    bed = await openTestBed(inject("mongoUri"), inject("natsUrl"), "deadline");
    log = await EventLog.open({ db: bed.db, nats: bed.nats, domain: "deadline-test", logger: silentLogger });
    counters = await log.repository(counterAggregate);
  });
  afterAll(async () => {
    await log.close();
    await bed.close();
  });

  it("commits nothing once the call's deadline passed, and commits while it has not", async () => {
    const expired = new AbortController();
    expired.abort(new DeadlineExceededError("the call's deadline passed"));
    await expect(
      withCallSignal(expired.signal, () => counters.create("late", () => added(1))),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await storedEvents("late")).toBe(0);

    // Aborted while the use case ran, before its append.
    const running = new AbortController();
    const execution = withCallSignal(running.signal, async () => {
      await counters.create("slow", () => added(1));
      running.abort(new DeadlineExceededError("the call's deadline passed"));
      await counters.execute("slow", () => added(2));
    });
    await expect(execution).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await storedEvents("slow")).toBe(1);

    const live = new AbortController();
    await withCallSignal(live.signal, () => counters.create("in-time", () => added(3)));
    expect(await storedEvents("in-time")).toBe(1);
  });
});
