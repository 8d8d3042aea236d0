import { type Caller, isDomainError, UnauthenticatedError } from "@civic/domain-kit";
import {
  createLogger,
  extractTraceContext,
  metrics,
  SpanKind,
  SpanStatusCode,
  startSpan,
} from "@civic/telemetry";
import type { handleUnaryCall, Metadata, ServerUnaryCall, StatusObject } from "@grpc/grpc-js";
import { status as Status } from "@grpc/grpc-js";
import { context } from "@opentelemetry/api";
import type { Logger } from "pino";
import { arrivalFromMetadata, withCallArrival } from "./call-arrival.js";
import { withCallSignal } from "./call-signal.js";
import { grpcServing } from "./grpc-serving.js";
import { toGrpcError } from "./grpc-status.js";
import { inFlightCalls } from "./in-flight.js";

export interface RpcContext {
  /**
   * Who is calling, from the call's caller token once its signature, audience and expiry
   * are verified; a call without a valid one never reaches the handler.
   */
  caller: Caller;
  /** The client's deadline, if it set one. */
  deadline: Date | undefined;
  /** Aborted when the client cancels or the deadline passes: pass it on to slow work. */
  signal: AbortSignal;
  /** The service's logger, bound to this method; lines carry the call's trace id. */
  logger: Logger;
  /** The call's request metadata. */
  metadata: Metadata;
}

// Until startGrpcServer sets the service's logger (created lazily: an invalid LOG_LEVEL
// should fail in loadConfig, not at import).
let rpcLogger: Logger | undefined;
const currentRpcLogger = () => {
  rpcLogger ??= createLogger(process.env.SERVICE_NAME ?? "service");
  return rpcLogger;
};

/** The logger handlers report to; startGrpcServer sets the service's. */
export function useRpcLogger(logger: Logger): void {
  rpcLogger = logger;
}

/** Reasons `RpcContext.signal` is aborted with. */
export class CallCancelledError extends Error {
  override readonly name = "CallCancelledError";
}
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
}

function deadlineOf(call: ServerUnaryCall<unknown, unknown>): Date | undefined {
  const deadline = call.getDeadline();
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

function traceCarrier(metadata: Metadata): Record<string, string> {
  const carrier: Record<string, string> = {};
  for (const key of ["traceparent", "tracestate"]) {
    const [value] = metadata.get(key);
    if (typeof value === "string") carrier[key] = value;
  }
  return carrier;
}

/** Codes that mean the server failed (OpenTelemetry's rule for gRPC server span status). */
const serverFaults = new Set<Status>([
  Status.UNKNOWN,
  Status.DEADLINE_EXCEEDED,
  Status.UNIMPLEMENTED,
  Status.INTERNAL,
  Status.UNAVAILABLE,
  Status.DATA_LOSS,
]);

function callerOf(metadata: Metadata): Promise<Caller> {
  const verifier = grpcServing().callerTokens;
  if (!verifier) {
    return Promise.reject(new UnauthenticatedError("this service has no key to verify caller tokens with"));
  }
  return verifier.fromMetadata(metadata);
}

/** A cancellation this close to the deadline counts as the deadline passing. */
const deadlineSlackMs = 100;

type Outcome<Response> =
  | { ok: true; response: Response }
  | { ok: false; status: Partial<StatusObject> & { code: Status }; error?: unknown };

/**
 * Wraps a unary use case as a grpc-js handler. Per call it:
 * - continues the client's trace (traceparent metadata) in a SERVER span named `method`
 *   (use the full name, e.g. "civic.grid_cases.v1.CaseService/GetCase");
 * - refuses a call at once with RESOURCE_EXHAUSTED when grpcServing().maxCallsInFlight calls
 *   are being handled (admission control: the excess fails fast instead of timing out);
 * - refuses a call whose deadline already passed (DEADLINE_EXCEEDED) and aborts
 *   `signal` when the client cancels or the deadline passes (also readable deep down with
 *   callSignal/throwIfCallAborted: the event store commits nothing for a client that gave up;
 *   callReadOptions: reads stop at the deadline);
 * - verifies the caller token (grpcServing().callerTokens) before the use case runs: none,
 *   forged, expired or for another audience → UNAUTHENTICATED;
 * - maps thrown errors with toGrpcError (domain errors to their codes with google.rpc
 *   details; anything else INTERNAL, logged with its stack, never sent);
 * - records rpc_server_requests_total and rpc_server_duration_seconds by method and code;
 * - counts the call in flight, so shutdown can wait for it;
 * - keeps when the request arrived (the gateway's stamp) for the call's work to read.
 */
export function unaryHandler<Request, Response>(
  method: string,
  handle: (request: Request, context: RpcContext) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  const slash = method.lastIndexOf("/");
  const attributes = {
    "rpc.system": "grpc",
    "rpc.service": slash >= 0 ? method.slice(0, slash) : "",
    "rpc.method": method.slice(slash + 1),
  };
  return (call, callback) => {
    // Admission: past the bound, a call is refused at once instead of queueing behind the
    // others until its deadline passes with its work perhaps done.
    const admitted = inFlightCalls.count < grpcServing().maxCallsInFlight;
    const leave = admitted ? inFlightCalls.enter() : () => undefined;
    const started = performance.now();
    const arrivedAt = arrivalFromMetadata(call.metadata, Date.now());
    const logger = currentRpcLogger().child({ method });
    const { span, context: spanContext } = startSpan(method, {
      kind: SpanKind.SERVER,
      parent: extractTraceContext(traceCarrier(call.metadata)),
      attributes,
    });
    const controller = new AbortController();
    const deadline = deadlineOf(call);
    const abortForDeadline = () => controller.abort(new DeadlineExceededError("the call's deadline passed"));
    // grpc-js reports an expired deadline as a cancellation too (its own timer or the
    // client's RST_STREAM, which comes a little before the server's deadline).
    const onCancelled = () =>
      deadline && Date.now() >= deadline.getTime() - deadlineSlackMs
        ? abortForDeadline()
        : controller.abort(new CallCancelledError("the client cancelled the call"));
    call.once("cancelled", onCancelled);
    let deadlineTimer: NodeJS.Timeout | undefined;

    const run = async (): Promise<Outcome<Response>> => {
      if (!admitted) {
        return {
          ok: false,
          status: {
            code: Status.RESOURCE_EXHAUSTED,
            details: `the service is at capacity (${grpcServing().maxCallsInFlight} calls in flight); retry shortly`,
          },
        };
      }
      const remaining = deadline ? deadline.getTime() - Date.now() : Number.POSITIVE_INFINITY;
      if (remaining <= 0) {
        return {
          ok: false,
          status: { code: Status.DEADLINE_EXCEEDED, details: "the deadline passed before the call started" },
        };
      }
      if (Number.isFinite(remaining)) {
        deadlineTimer = setTimeout(abortForDeadline, remaining);
        deadlineTimer.unref();
      }
      try {
        const caller = await callerOf(call.metadata);
        const response = await withCallArrival(arrivedAt, () =>
          withCallSignal(
            controller.signal,
            () =>
              handle(call.request, {
                caller,
                deadline,
                signal: controller.signal,
                logger,
                metadata: call.metadata,
              }),
            deadline,
          ),
        );
        return { ok: true, response };
      } catch (error) {
        return { ok: false, status: toGrpcError(error), error };
      }
    };

    void context.with(spanContext, async () => {
      const outcome = await run();
      clearTimeout(deadlineTimer);
      call.off("cancelled", onCancelled);
      // What the client actually got: grpc-js answers a cancelled or expired call itself.
      let code = outcome.ok ? Status.OK : outcome.status.code;
      if (controller.signal.aborted) {
        code =
          controller.signal.reason instanceof DeadlineExceededError
            ? Status.DEADLINE_EXCEEDED
            : Status.CANCELLED;
      }
      if (!outcome.ok) report(logger, outcome.status, outcome.error);
      span.setAttribute("rpc.grpc.status_code", code);
      if (serverFaults.has(code)) {
        if (!outcome.ok && outcome.error !== undefined && !isDomainError(outcome.error)) {
          span.recordException(outcome.error instanceof Error ? outcome.error : String(outcome.error));
        }
        span.setStatus({ code: SpanStatusCode.ERROR, message: Status[code] });
      }
      span.end();
      const labels = { method, code: Status[code] ?? String(code) };
      metrics.rpcServerRequests.inc(labels);
      metrics.rpcServerDuration.observe(labels, (performance.now() - started) / 1000);
      try {
        if (outcome.ok) callback(null, outcome.response);
        else callback(outcome.status);
      } finally {
        leave();
      }
    });
  };
}

function report(logger: Logger, status: { code: Status; details?: string }, error: unknown): void {
  const code = Status[status.code];
  if (error === undefined) {
    logger.info({ code, details: status.details }, "call refused");
  } else if (!isDomainError(error)) {
    logger.error({ code, err: error }, "call failed");
  } else if (error.kind === "unavailable") {
    logger.warn(
      { code, reason: error.reason, detail: error.message },
      "call refused: dependency unavailable",
    );
  } else if (error.kind === "permission_denied" || error.kind === "unauthenticated") {
    logger.info({ code, reason: error.reason, detail: error.message }, "call refused");
  } else {
    logger.debug({ code, reason: error.reason, detail: error.message }, "call refused");
  }
}
