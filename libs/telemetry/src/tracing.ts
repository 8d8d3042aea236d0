import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

export interface Telemetry {
  shutdown(): Promise<void>;
}

let active: Telemetry | undefined;

/**
 * Registers tracing for the process: a tracer provider (always, so every request has a
 * trace id even with no exporter), W3C trace-context propagation and an
 * AsyncLocalStorage context manager. Spans are exported over OTLP/HTTP only when an
 * endpoint is given. Call it before loading application modules; a second call returns
 * the first registration.
 */
export function initTelemetry(options: {
  serviceName: string;
  otlpEndpoint?: string | undefined;
}): Telemetry {
  if (active) return active;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    spanProcessors: options.otlpEndpoint
      ? [
          new BatchSpanProcessor({
            exporter: new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, "")}/v1/traces` }),
          }),
        ]
      : [],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  active = { shutdown: () => provider.shutdown() };
  return active;
}
