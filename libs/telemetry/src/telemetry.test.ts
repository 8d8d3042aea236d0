import { Writable } from "node:stream";
import { SpanStatusCode } from "@opentelemetry/api";
import { beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { metrics, startMetricsServer } from "./metrics.js";
import {
  currentTraceparent,
  extractTraceContext,
  injectTraceContext,
  SpanKind,
  traceIdOf,
  withSpan,
} from "./propagation.js";
import { createSpanRecorder } from "./span-recorder.js";
import { initTelemetry } from "./tracing.js";

describe("telemetry", () => {
  const recorder = createSpanRecorder();
  beforeAll(() => {
    initTelemetry({ serviceName: "telemetry-test", spanProcessors: [recorder.processor] });
  });

  it("carries trace context through a header carrier into a child span of the same trace", async () => {
    const carrier: Record<string, string> = {};
    let producerTraceId: string | undefined;
    await withSpan("producer", { kind: SpanKind.PRODUCER }, async () => {
      producerTraceId = traceIdOf(currentTraceparent() ?? "");
      injectTraceContext(carrier);
    });
    expect(carrier.traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
    const consumerTraceparent = await withSpan(
      "consumer",
      { kind: SpanKind.CONSUMER, parent: extractTraceContext(carrier) },
      async () => currentTraceparent(),
    );
    expect(traceIdOf(consumerTraceparent ?? "")).toBe(producerTraceId);
    expect(consumerTraceparent).not.toBe(carrier.traceparent);
  });

  it("continues an incoming traceparent and starts a fresh trace without one", async () => {
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const continued = await withSpan(
      "server",
      { kind: SpanKind.SERVER, parent: extractTraceContext({ traceparent: incoming }) },
      async () => currentTraceparent(),
    );
    expect(traceIdOf(continued ?? "")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    const fresh = await withSpan(
      "server",
      { kind: SpanKind.SERVER, parent: extractTraceContext({}) },
      async () => currentTraceparent(),
    );
    expect(traceIdOf(fresh ?? "")).not.toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("is registered once per process: a second initTelemetry returns the first", () => {
    const first = initTelemetry({ serviceName: "telemetry-test" });
    expect(initTelemetry({ serviceName: "another" })).toBe(first);
  });

  it("records a failed span as ERROR with the exception, and rethrows", async () => {
    recorder.reset();
    await expect(
      withSpan("failing", { kind: SpanKind.INTERNAL, attributes: { "case.id": "c-1" } }, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const [span] = recorder.finishedSpans();
    expect(span?.name).toBe("failing");
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes["case.id"]).toBe("c-1");
    expect(span?.events.map((event) => event.name)).toContain("exception");
    expect(span?.resource.attributes["service.name"]).toBe("telemetry-test");
  });

  it("makes the consumer span a child of the producer span", async () => {
    recorder.reset();
    const carrier: Record<string, string> = {};
    await withSpan("publish", { kind: SpanKind.PRODUCER }, async () => injectTraceContext(carrier));
    await withSpan(
      "consume",
      { kind: SpanKind.CONSUMER, parent: extractTraceContext(carrier) },
      async () => {},
    );
    const [producer, consumer] = recorder.finishedSpans();
    expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    expect(consumer?.spanContext().traceId).toBe(producer?.spanContext().traceId);
  });

  it("reads the trace id out of a traceparent, and nothing out of garbage", () => {
    expect(traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toBe(
      "4bf92f3577b34da6a3ce929d0e0e4736",
    );
    expect(traceIdOf("not a traceparent")).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
  });

  it("writes JSON log lines that carry the active trace id", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger("telemetry-test", destination);
    let traceId: string | undefined;
    await withSpan("work", { kind: SpanKind.INTERNAL }, async () => {
      traceId = traceIdOf(currentTraceparent() ?? "");
      logger.info("inside");
    });
    logger.info("outside");
    const [inside, outside] = lines.map((line) => JSON.parse(line));
    expect(inside).toMatchObject({
      msg: "inside",
      level: "info",
      service: "telemetry-test",
      trace_id: traceId,
      span_id: expect.stringMatching(/^[\da-f]{16}$/),
    });
    expect(outside.trace_id).toBeUndefined();
  });

  it("serves Prometheus metrics on /metrics and 404 elsewhere", async () => {
    metrics.rpcServerRequests.inc({ method: "Test/Method", code: "OK" });
    const server = await startMetricsServer({ port: 0, host: "127.0.0.1" });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('rpc_server_requests_total{method="Test/Method",code="OK"} 1');
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics?name[]=x`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
      const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      for (const name of [
        "process_cpu_seconds_total",
        "rpc_server_duration_seconds",
        "http_server_requests_total",
        "http_server_duration_seconds",
        "event_consumer_redeliveries_total",
        "event_consumer_lag",
        "event_consumer_terminated_total",
        "outbox_unpublished_events",
        "outbox_oldest_unpublished_age_seconds",
      ]) {
        expect(text).toContain(`# TYPE ${name} `);
      }
    } finally {
      await server.close();
    }
  });
});
