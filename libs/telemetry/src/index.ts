export { createLogger, type Logger } from "./logger.js";
export { consumerMetrics, metrics, registry, startMetricsServer } from "./metrics.js";
export {
  currentTraceparent,
  extractTraceContext,
  injectTraceContext,
  SpanKind,
  type SpanOptions,
  traceIdOf,
  withSpan,
} from "./propagation.js";
export { initTelemetry, type Telemetry } from "./tracing.js";
