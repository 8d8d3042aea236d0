import { extractTraceContext, metrics, SpanKind, withSpan } from "@civic/telemetry";
import { type handleUnaryCall, type ServerUnaryCall, status as Status } from "@grpc/grpc-js";
import pino, { type Logger } from "pino";
import { type Caller, callerFromMetadata } from "./caller.js";
import { DomainError } from "./errors.js";
import { toGrpcStatus } from "./grpc-status.js";

export interface RpcContext {
  caller: Caller;
  deadline: Date | undefined;
  /** Aborted when the client cancels or the deadline passes. */
  signal: AbortSignal;
}

let rpcLogger: Logger = pino({ level: process.env.LOG_LEVEL ?? "info" });

/** The logger handlers report failures to; startGrpcServer sets the service's. */
export function useRpcLogger(logger: Logger): void {
  rpcLogger = logger;
}

class DeadlineAlreadyPassed extends Error {}

function deadlineOf(call: ServerUnaryCall<unknown, unknown>): Date | undefined {
  const deadline = call.getDeadline();
  if (deadline === Number.POSITIVE_INFINITY) return undefined;
  return deadline instanceof Date ? deadline : new Date(deadline);
}

function traceCarrier(call: ServerUnaryCall<unknown, unknown>): Record<string, string> {
  const carrier: Record<string, string> = {};
  for (const key of ["traceparent", "tracestate"]) {
    const [value] = call.metadata.get(key);
    if (typeof value === "string") carrier[key] = value;
  }
  return carrier;
}

/**
 * Wraps a unary use case as a grpc-js handler: continues the caller's trace in a SERVER
 * span, refuses calls whose deadline already passed, reads the caller's identity, maps
 * thrown errors to statuses with google.rpc details, and records count and latency.
 */
export function unaryHandler<Request, Response>(
  method: string,
  handle: (request: Request, context: RpcContext) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const started = performance.now();
    const record = (code: Status) => {
      const labels = { method, code: Status[code] ?? String(code) };
      metrics.rpcServerRequests.inc(labels);
      metrics.rpcServerDuration.observe(labels, (performance.now() - started) / 1000);
    };
    withSpan(method, { kind: SpanKind.SERVER, parent: extractTraceContext(traceCarrier(call)) }, async () => {
      const deadline = deadlineOf(call);
      if (deadline && deadline.getTime() <= Date.now()) throw new DeadlineAlreadyPassed();
      const controller = new AbortController();
      call.once("cancelled", () => controller.abort());
      return handle(call.request, {
        caller: callerFromMetadata(call.metadata),
        deadline,
        signal: controller.signal,
      });
    }).then(
      (response) => {
        record(Status.OK);
        callback(null, response);
      },
      (error: unknown) => {
        if (error instanceof DeadlineAlreadyPassed) {
          record(Status.DEADLINE_EXCEEDED);
          callback({
            code: Status.DEADLINE_EXCEEDED,
            details: "the deadline passed before the call started",
          });
          return;
        }
        const status = toGrpcStatus(error);
        if (error instanceof DomainError)
          rpcLogger.debug({ method, code: Status[status.code], err: error }, "call refused");
        else rpcLogger.error({ method, err: error }, "call failed");
        record(status.code);
        callback(status);
      },
    );
  };
}
