import { trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger } from "pino";

/**
 * JSON logs on stdout (or `destination`, e.g. a stream in tests): one object per line with
 * `level` as a name, an ISO `time`, `service`, and `trace_id`/`span_id` of the active span.
 * The level comes from `LOG_LEVEL` (default info). Errors go under `err` (pino's
 * serializer keeps type, message and stack).
 */
export function createLogger(service: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const spanContext = trace.getActiveSpan()?.spanContext();
        return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
      },
    },
    destination,
  );
}

export type { Logger };
