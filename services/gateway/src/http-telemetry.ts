import { extractTraceContext, metrics } from "@civic/telemetry";
import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { RequestHandler } from "express";

const tracer = trace.getTracer("civic-gateway");

/**
 * One SERVER span per request, continuing the caller's W3C trace context, so the gRPC
 * calls and events it causes share its trace id; plus request count and latency per route.
 */
export function httpTelemetry(): RequestHandler {
  return (request, response, next) => {
    const parent = extractTraceContext(request.headers as Record<string, string>);
    const span = tracer.startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": request.method, "url.path": request.path },
      },
      parent,
    );
    if (isSpanContextValid(span.spanContext())) response.locals.traceId = span.spanContext().traceId;
    const started = performance.now();
    response.on("finish", () => {
      const route = request.route?.path ? `${request.baseUrl}${request.route.path}` : "unmatched";
      const status = String(response.statusCode);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ "http.route": route, "http.response.status_code": response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      const labels = { method: request.method, route, status };
      metrics.httpServerRequests.inc(labels);
      metrics.httpServerDuration.observe(labels, (performance.now() - started) / 1000);
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
