import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

/** Instrumentation scope of every span our own wrappers start. */
const tracerName = "civic";

// Looked up per span, not once at import: a tracer obtained before initTelemetry (or
// before a re-registration in tests) would otherwise stay bound to the old provider.
const tracer = () => trace.getTracer(tracerName);

/** Header-like carrier: HTTP headers, gRPC metadata copied to strings, NATS headers. */
export type TraceCarrier = Record<string, string | string[] | undefined>;

/** Writes the trace context (traceparent, tracestate) of `from` (default: the active one) into a carrier. */
export function injectTraceContext(carrier: Record<string, string>, from: Context = context.active()): void {
  propagation.inject(from, carrier);
}

/**
 * The context a carrier's traceparent describes, on top of the active one. Without a
 * (valid) traceparent it is the active context, so a span started in it begins a new trace.
 */
export function extractTraceContext(carrier: TraceCarrier): Context {
  return propagation.extract(context.active(), carrier, {
    get: (headers, key) => headers[key] ?? headers[key.toLowerCase()],
    keys: (headers) => Object.keys(headers),
  });
}

/** The W3C traceparent of the active span, if there is one. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  injectTraceContext(carrier);
  return carrier.traceparent;
}

/** The 32-hex trace id inside a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
export function traceIdOf(traceparent: string): string | undefined {
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent.trim())?.[1];
}

export interface SpanOptions {
  kind: SpanKind;
  /** Parent context, e.g. from extractTraceContext; default the active context. */
  parent?: Context;
  attributes?: Attributes;
}

/**
 * Starts a span without making it active: for work whose end is signalled by a callback
 * (an HTTP response's finish, a gRPC call's status). The caller must `span.end()`; run
 * code under `context` (context.with) to make the span the parent of what it starts.
 */
export function startSpan(name: string, options: SpanOptions): { span: Span; context: Context } {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes ?? {} }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/**
 * Runs `work` inside a new span (active for everything `work` awaits); a thrown error is
 * recorded on the span, marks it ERROR and is rethrown; the span always ends.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const { span, context: spanContext } = startSpan(name, options);
  try {
    return await context.with(spanContext, () => work(span));
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Records an exception on a span and marks the span ERROR. */
export function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    ...(error instanceof Error ? { message: error.message } : {}),
  });
}

export type { Context, Span };
export { SpanKind, SpanStatusCode };
