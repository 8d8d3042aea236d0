import { trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger } from "pino";

/** JSON logs on stdout, each line carrying the active trace and span ids. */
export function createLogger(service: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const spanContext = trace.getActiveSpan()?.spanContext();
        return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
      },
    },
    destination,
  );
}

export type { Logger };
