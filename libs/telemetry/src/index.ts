export { createLogger, type Logger } from "./logger.js";
export {
  consumerMetrics,
  type MetricsServer,
  metrics,
  recordBuildInfo,
  registry,
  startMetricsServer,
} from "./metrics.js";
export {
  type Context,
  currentTraceparent,
  extractTraceContext,
  injectTraceContext,
  recordError,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  startSpan,
  type TraceCarrier,
  traceIdOf,
  withSpan,
} from "./propagation.js";
export { createSpanRecorder, type ReadableSpan, type SpanRecorder } from "./span-recorder.js";
export { initTelemetry, type Telemetry, type TelemetryOptions } from "./tracing.js";
