import type { Caller } from "@civic/domain-kit";
import { injectTraceContext, metrics, SpanKind, SpanStatusCode, startSpan } from "@civic/telemetry";
import {
  type CallOptions,
  type ClientOptions,
  type ClientUnaryCall,
  InterceptingCall,
  type Interceptor,
  Metadata,
  type ServiceError,
  status as Status,
} from "@grpc/grpc-js";
import type { CallerTokenIssuer } from "./caller-token.js";

/**
 * A client interceptor making each call a CLIENT span (named like
 * "civic.grid_cases.v1.CaseService/GetCase", ERROR unless the status is OK) whose W3C
 * trace context travels in the call's metadata (traceparent, tracestate), so the server's
 * unaryHandler continues the same trace.
 */
export function tracingInterceptor(): Interceptor {
  return (options, nextCall) => {
    const name = options.method_definition.path.replace(/^\//, "");
    const slash = name.lastIndexOf("/");
    // Started when the call is made, in the caller's active context.
    const { span, context: spanContext } = startSpan(name, {
      kind: SpanKind.CLIENT,
      attributes: {
        "rpc.system": "grpc",
        "rpc.service": name.slice(0, Math.max(slash, 0)),
        "rpc.method": name.slice(slash + 1),
      },
    });
    return new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        const carrier: Record<string, string> = {};
        injectTraceContext(carrier, spanContext);
        for (const [key, value] of Object.entries(carrier)) metadata.set(key, value);
        // A partial Listener (not the InterceptingListener given to start): grpc-js fills
        // in the rest and passes each event on through `nextStatus`.
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            span.setAttribute("rpc.grpc.status_code", status.code);
            if (status.code !== Status.OK) {
              span.setStatus({
                code: SpanStatusCode.ERROR,
                message: Status[status.code] ?? String(status.code),
              });
            }
            span.end();
            nextStatus(status);
          },
        });
      },
    });
  };
}

/**
 * A client interceptor counting each call and timing it from the call to its status, as
 * `rpc_client_requests_total` and `rpc_client_duration_seconds` by method and status code
 * name (the gateway's latency to each service, network included).
 */
export function metricsInterceptor(): Interceptor {
  return (options, nextCall) => {
    const method = options.method_definition.path.replace(/^\//, "");
    const started = process.hrtime.bigint();
    return new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            const labels = { method, code: Status[status.code] ?? String(status.code) };
            metrics.rpcClientRequests.inc(labels);
            metrics.rpcClientDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
            nextStatus(status);
          },
        });
      },
    });
  };
}

/** The interceptors every service client uses (tracing, metrics). */
export function clientInterceptors(): Interceptor[] {
  return [tracingInterceptor(), metricsInterceptor()];
}

/**
 * How soon a channel tries again to reach a server it lost. grpc-js backs off up to two
 * minutes by default: a service restarted after a crash (or a kill -9) would stay
 * unreachable through the channel long after it serves again, every call refused with
 * UNAVAILABLE meanwhile. One second keeps the retries cheap and the outage short.
 */
export const reconnectBackoff = {
  "grpc.initial_reconnect_backoff_ms": 250,
  "grpc.max_reconnect_backoff_ms": 1_000,
} as const satisfies ClientOptions;

/**
 * Options for a generated client: `new gridCasesV1.CaseServiceClient(address,
 * grpc.credentials.createInsecure(), createClientOptions())`: the reconnect backoff above,
 * and interceptors (extra ones run after tracing).
 */
export function createClientOptions(extra: ClientOptions = {}): ClientOptions {
  return {
    ...reconnectBackoff,
    ...extra,
    interceptors: [...clientInterceptors(), ...(extra.interceptors ?? [])],
  };
}

/** A deadline `ms` from now. */
export function deadlineIn(ms: number): Date {
  return new Date(Date.now() + ms);
}

/** The four-argument overload of a generated (ts-proto, grpc-js) client's unary method. */
export type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

export type UnaryCallOptions = {
  metadata?: Metadata;
  deadline?: Date | number;
  /** Cancels the call (CANCELLED) when aborted. */
  signal?: AbortSignal;
} & (
  | {
      /** Stated in a caller token `callerTokens` signs, written into the metadata. */
      caller: Caller;
      callerTokens: CallerTokenIssuer;
    }
  | { caller?: undefined; callerTokens?: undefined }
);

/**
 * Calls a unary method and returns a promise: `await callUnary(client.getCase.bind(client),
 * { caseId }, { caller, callerTokens, deadline: deadlineIn(5_000) })`. Rejects with the grpc-js
 * ServiceError (read it with parseGrpcError).
 */
export async function callUnary<Request, Response>(
  method: UnaryMethod<Request, Response>,
  request: Request,
  options: UnaryCallOptions = {},
): Promise<Response> {
  const metadata = options.metadata ?? new Metadata();
  if (options.caller) await options.callerTokens.toMetadata(options.caller, metadata);
  const callOptions: Partial<CallOptions> =
    options.deadline === undefined ? {} : { deadline: options.deadline };
  return new Promise<Response>((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => call.cancel();
    const call = method(request, metadata, callOptions, (error, response) => {
      signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve(response);
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
