import { parseGrpcError } from "@civic/service-kit";
import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { type Problem, problemTypes } from "./problem.js";

const byCode: Partial<Record<GrpcStatus, { status: number; type: string; title: string }>> = {
  [GrpcStatus.INVALID_ARGUMENT]: {
    status: 400,
    type: problemTypes.invalidRequest,
    title: "The request is invalid",
  },
  [GrpcStatus.FAILED_PRECONDITION]: {
    status: 400,
    type: problemTypes.preconditionFailed,
    title: "The request does not fit the current state",
  },
  [GrpcStatus.OUT_OF_RANGE]: {
    status: 400,
    type: problemTypes.invalidRequest,
    title: "The request is out of range",
  },
  [GrpcStatus.UNAUTHENTICATED]: {
    status: 401,
    type: problemTypes.unauthenticated,
    title: "Authentication is required",
  },
  [GrpcStatus.PERMISSION_DENIED]: {
    status: 403,
    type: problemTypes.forbidden,
    title: "The caller may not do this",
  },
  [GrpcStatus.NOT_FOUND]: { status: 404, type: problemTypes.notFound, title: "Not found" },
  [GrpcStatus.ALREADY_EXISTS]: { status: 409, type: problemTypes.conflict, title: "It already exists" },
  [GrpcStatus.ABORTED]: { status: 409, type: problemTypes.conflict, title: "It was changed concurrently" },
  // A service at capacity refused the call before doing anything: the request may be
  // retried as it is. The gateway's own rate limits answer 429 (limits.ts).
  [GrpcStatus.RESOURCE_EXHAUSTED]: {
    status: 503,
    type: problemTypes.unavailable,
    title: "The service is at capacity",
  },
  [GrpcStatus.UNAVAILABLE]: {
    status: 503,
    type: problemTypes.unavailable,
    title: "The service is unavailable",
  },
  [GrpcStatus.DEADLINE_EXCEEDED]: {
    status: 504,
    type: problemTypes.timeout,
    title: "The service did not answer in time",
  },
};

/**
 * An UNAVAILABLE that grpc-js gives a call it never sent: no connection to the service, or
 * the service refused the stream. Any other UNAVAILABLE ("Connection dropped", a reset)
 * ended a call the service may have received, and perhaps carried out before it died.
 */
function neverSent(error: Pick<ServiceError, "code" | "details">): boolean {
  return (
    error.code === GrpcStatus.UNAVAILABLE &&
    (/No connection established/.test(error.details) || error.details === "Stream refused by server")
  );
}

/**
 * A call the service may have carried out without answering: its outcome is unknown, as
 * after a deadline (504, kept by Idempotency-Key records, never retried as if nothing
 * happened). A service that itself answers UNAVAILABLE says it did nothing.
 */
function lostMidCall(error: ServiceError): boolean {
  const answeredByService = error.metadata?.get("grpc-status-details-bin").length > 0;
  return error.code === GrpcStatus.UNAVAILABLE && !answeredByService && !neverSent(error);
}

const lostCall = {
  status: 504,
  type: problemTypes.timeout,
  title: "The service stopped answering during the call",
} as const;

/** Maps a gRPC error to problem details, following grpc-gateway's status mapping. */
export function problemFromGrpcError(error: ServiceError, instance: string): Problem {
  const parsed = parseGrpcError(error);
  const mapped = lostMidCall(error) ? lostCall : byCode[parsed.code as GrpcStatus];
  if (!mapped) {
    return {
      type: problemTypes.internal,
      title: "Internal error",
      status: 500,
      detail: "The request could not be completed",
      instance,
    };
  }
  const problem: Problem = { ...mapped, detail: parsed.message, instance, grpcCode: GrpcStatus[parsed.code] };
  if (parsed.reason) problem.reason = parsed.reason;
  if (parsed.violations.length > 0) {
    problem.errors = parsed.violations.map((violation) => ({
      field: violation.field,
      detail: violation.description,
    }));
  }
  for (const [key, value] of Object.entries(parsed.metadata)) problem[key] = value;
  return problem;
}

/** Seconds a client should wait before retrying after this error (Retry-After), if it should. */
export function retryAfterSeconds(error: ServiceError): number | undefined {
  return error.code === GrpcStatus.RESOURCE_EXHAUSTED ||
    (error.code === GrpcStatus.UNAVAILABLE && !lostMidCall(error))
    ? 1
    : undefined;
}

export function isGrpcError(error: unknown): error is ServiceError {
  return (
    error instanceof Error && typeof (error as Partial<ServiceError>).code === "number" && "metadata" in error
  );
}
