import { currentTraceparent, initTelemetry, traceIdOf } from "@civic/telemetry";
import { uniqueDatabaseName } from "@civic/testing";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CloudEvent } from "./cloud-event.js";
import {
  type DeadLetter,
  PoisonEventError,
  type RunningConsumer,
  startEventConsumer,
} from "./event-consumer.js";
import { ensureStream } from "./jetstream-setup.js";
import { type Projection, readProjection, startProjector } from "./projector.js";
import { eventually, openTestBed, silentLogger, type TestBed } from "./testing/fixtures.js";

const suffix = uniqueDatabaseName("c").slice(-8).toUpperCase();
const streamName = `CONSUMER_TEST_${suffix}`;
const subjectPrefix = `consumer-test-${suffix.toLowerCase()}`;

function cloudEvent(id: string, type: string, data: Record<string, unknown> = {}): CloudEvent {
  return {
    specversion: "1.0",
    id,
    source: "civic/test",
    type: `${subjectPrefix}.${type}`,
    subject: `thing-${id}`,
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    data,
    stream: `thing-${id}`,
    streamversion: 1,
  };
}

describe("event consumers", () => {
  let bed: TestBed;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const running: RunningConsumer[] = [];
  let publishCount = 0;

  /** Publishes a raw payload under a fresh message id, so JetStream keeps every copy. */
  const publishRaw = async (subject: string, payload: string) => {
    const messageHeaders = headers();
    messageHeaders.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    await js.publish(`${subjectPrefix}.${subject}`, payload, {
      msgID: `copy-${publishCount++}`,
      headers: messageHeaders,
    });
  };

  beforeAll(async () => {
    initTelemetry({ serviceName: "consumer-test" });
    bed = await openTestBed(inject("mongoUri"), inject("natsUrl"), "consumers");
    js = jetstream(bed.nats);
    jsm = await jetstreamManager(bed.nats);
    await ensureStream(jsm, { name: streamName, subjects: [`${subjectPrefix}.>`] });
  });
  afterAll(async () => {
    await Promise.all(running.map((consumer) => consumer.stop()));
    await jsm.streams.delete(streamName);
    await bed.close();
  });

  it("the same event delivered twice changes state once, handled inside the producer's trace", async () => {
    const handled: string[] = [];
    const traceIds: (string | undefined)[] = [];
    running.push(
      await startEventConsumer({
        js,
        jsm,
        db: bed.db,
        stream: streamName,
        durable: "once-test",
        filterSubjects: [`${subjectPrefix}.once.>`],
        logger: silentLogger,
        skipProcessed: true,
        handle: async ({ event }) => {
          await bed.db.collection("once_effects").insertOne({ eventId: event.id });
          handled.push(event.id);
          traceIds.push(traceIdOf(currentTraceparent() ?? ""));
        },
      }),
    );
    const event = cloudEvent("evt-once", "once.happened");
    await publishRaw("once.happened", JSON.stringify(event));
    await publishRaw("once.happened", JSON.stringify(event));
    await publishRaw("once.happened", JSON.stringify(cloudEvent("evt-other", "once.happened")));
    await eventually(
      async () =>
        (await jsm.consumers.info(streamName, "once-test")).num_ack_pending +
        (await jsm.consumers.info(streamName, "once-test")).num_pending,
      (pending) => pending === 0,
    );
    await eventually(
      async () => handled.length,
      (count) => count >= 2,
    );
    expect(await bed.db.collection("once_effects").countDocuments({ eventId: "evt-once" })).toBe(1);
    expect(handled.sort()).toEqual(["evt-once", "evt-other"]);
    expect(traceIds).toEqual(["4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736"]);
  });

  it("a failing handler is retried with backoff; malformed and poison messages are terminated and kept", async () => {
    let attempts = 0;
    running.push(
      await startEventConsumer({
        js,
        jsm,
        db: bed.db,
        stream: streamName,
        durable: "retry-test",
        filterSubjects: [`${subjectPrefix}.retry.>`],
        logger: silentLogger,
        backoffMs: [50],
        maxDeliver: 3,
        handle: async ({ event, deliveryCount }) => {
          if (event.data.kind === "poison") throw new PoisonEventError("cannot ever apply this");
          if (event.data.kind === "hopeless") throw new Error("database down");
          attempts++;
          if (deliveryCount < 2) throw new Error("transient");
        },
      }),
    );
    await publishRaw(
      "retry.flaky",
      JSON.stringify(cloudEvent("evt-flaky", "retry.flaky", { kind: "flaky" })),
    );
    await publishRaw("retry.bad", "{not json");
    await publishRaw(
      "retry.poison",
      JSON.stringify(cloudEvent("evt-poison", "retry.poison", { kind: "poison" })),
    );
    await publishRaw(
      "retry.hopeless",
      JSON.stringify(cloudEvent("evt-hopeless", "retry.hopeless", { kind: "hopeless" })),
    );

    const deadLetters = bed.db.collection<DeadLetter>("dead_letters");
    const letters = await eventually(
      () => deadLetters.find({ consumer: "retry-test" }).sort({ streamSequence: 1 }).toArray(),
      (found) => found.length === 3,
    );
    expect(letters.map((letter) => letter.reason)).toEqual([
      "payload is not JSON",
      "cannot ever apply this",
      expect.stringContaining("delivery limit 3 reached"),
    ]);
    expect(letters[2]?.deliveryCount).toBe(3);
    expect(attempts).toBe(2);
  });

  it("a projector counts 100 events exactly once despite duplicates and two instances", async () => {
    const counting: Projection<{ count: number; seen: number }> = {
      name: `count-${suffix.toLowerCase()}`,
      stream: streamName,
      filterSubjects: [`${subjectPrefix}.counted.>`],
      initialState: () => ({ count: 0, seen: 0 }),
      apply: (state) => ({ count: state.count + 1, seen: state.seen + 1 }),
    };
    for (let index = 0; index < 100; index++) {
      const payload = JSON.stringify(cloudEvent(`evt-${index}`, "counted.thing"));
      await publishRaw("counted.thing", payload);
      await publishRaw("counted.thing", payload);
    }
    const options = { js, jsm, db: bed.db, logger: silentLogger };
    running.push(await startProjector(counting, options), await startProjector(counting, options));
    const projected = await eventually(
      () => readProjection(bed.db, counting),
      (current) => current.state.count >= 100,
      30_000,
    );
    await eventually(
      async () => (await jsm.consumers.info(streamName, `projection-${counting.name}`)).num_pending,
      (pending) => pending === 0,
    );
    expect((await readProjection(bed.db, counting)).state.count).toBe(100);
    expect(projected.step).toBe(100);
  }, 60_000);

  it("a keyed projection keeps one small state per key, each event applied once per key", async () => {
    const byArea: Projection<{ count: number }> = {
      name: `by-area-${suffix.toLowerCase()}`,
      stream: streamName,
      filterSubjects: [`${subjectPrefix}.keyed.>`],
      initialState: () => ({ count: 0 }),
      keysOf: (event) => [`area:${event.data.area}`, "all-areas"],
      apply: (state) => ({ count: state.count + 1 }),
    };
    for (let index = 0; index < 30; index++) {
      const payload = JSON.stringify(
        cloudEvent(`keyed-${index}`, "keyed.thing", { area: index % 3 === 0 ? "a" : "b" }),
      );
      await publishRaw("keyed.thing", payload);
      await publishRaw("keyed.thing", payload);
    }
    const options = { js, jsm, db: bed.db, logger: silentLogger };
    running.push(await startProjector(byArea, options), await startProjector(byArea, options));
    await eventually(
      () => readProjection(bed.db, byArea, "all-areas"),
      (current) => current.state.count >= 30,
      30_000,
    );
    await eventually(
      async () => (await jsm.consumers.info(streamName, `projection-${byArea.name}`)).num_pending,
      (pending) => pending === 0,
    );
    expect((await readProjection(bed.db, byArea, "all-areas")).state.count).toBe(30);
    expect((await readProjection(bed.db, byArea, "area:a")).state.count).toBe(10);
    expect((await readProjection(bed.db, byArea, "area:b")).state.count).toBe(20);
    expect((await readProjection(bed.db, byArea, "area:c")).state.count).toBe(0);
  }, 60_000);
});
