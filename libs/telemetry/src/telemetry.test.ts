import { Writable } from "node:stream";
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
import { initTelemetry } from "./tracing.js";

describe("telemetry", () => {
  beforeAll(() => {
    initTelemetry({ serviceName: "telemetry-test" });
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
    expect(inside).toMatchObject({ msg: "inside", service: "telemetry-test", trace_id: traceId });
    expect(outside.trace_id).toBeUndefined();
  });

  it("serves Prometheus metrics on /metrics and 404 elsewhere", async () => {
    metrics.rpcServerRequests.inc({ method: "Test/Method", code: "OK" });
    const server = await startMetricsServer({ port: 0, host: "127.0.0.1" });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('rpc_server_requests_total{method="Test/Method",code="OK"} 1');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
