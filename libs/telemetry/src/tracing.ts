import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

export interface Telemetry {
  /** Flushes and stops span export; afterwards `initTelemetry` may register afresh. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string | undefined;
  /** Extra processors, e.g. a SimpleSpanProcessor over an InMemorySpanExporter in tests. */
  spanProcessors?: SpanProcessor[];
}

let active: Telemetry | undefined;

/**
 * Registers tracing for the process: a tracer provider (always, so every request has a
 * trace id even with no exporter), W3C trace-context propagation and an
 * AsyncLocalStorage context manager. Spans are exported over OTLP/HTTP only when an
 * endpoint is given. Call it before the application starts work; a second call returns
 * the first registration (its options are ignored).
 *
 * There is no auto-instrumentation: trace context crosses process boundaries only
 * through our own gRPC wrappers (service-kit), HTTP middleware and NATS headers.
 */
export function initTelemetry(options: TelemetryOptions): Telemetry {
  if (active) return active;
  const endpoint = options.otlpEndpoint?.trim().replace(/\/+$/, "");
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    spanProcessors: [
      ...(endpoint
        ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }) })]
        : []),
      ...(options.spanProcessors ?? []),
    ],
  });
  // OTel 3.x has no provider.register(): the globals are set one by one.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  let stopped: Promise<void> | undefined;
  const registration: Telemetry = {
    shutdown: () => {
      stopped ??= provider.shutdown().finally(() => {
        if (active !== registration) return;
        active = undefined;
        trace.disable();
        propagation.disable();
        context.disable();
      });
      return stopped;
    },
  };
  active = registration;
  return registration;
}
