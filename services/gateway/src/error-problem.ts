import { parseGrpcError } from "@civic/service-kit";
import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import type { ErrorRequestHandler, Request, Response } from "express";
import type { Logger } from "pino";
import { InvalidTokenError } from "./identity.js";
import { type Problem, problemTypes, sendProblem } from "./problem.js";

type ProblemKind = { status: number; type: string; title: string };
const kind = (status: number, type: string, title: string): ProblemKind => ({ status, type, title });

const byCode: Partial<Record<GrpcStatus, ProblemKind>> = {
  [GrpcStatus.INVALID_ARGUMENT]: kind(400, problemTypes.invalidRequest, "The request is invalid"),
  [GrpcStatus.FAILED_PRECONDITION]: kind(
    400,
    problemTypes.preconditionFailed,
    "The request does not fit the current state",
  ),
  [GrpcStatus.OUT_OF_RANGE]: kind(400, problemTypes.invalidRequest, "The request is out of range"),
  [GrpcStatus.UNAUTHENTICATED]: kind(401, problemTypes.unauthenticated, "Authentication is required"),
  [GrpcStatus.PERMISSION_DENIED]: kind(403, problemTypes.forbidden, "The caller may not do this"),
  [GrpcStatus.NOT_FOUND]: kind(404, problemTypes.notFound, "Not found"),
  [GrpcStatus.ALREADY_EXISTS]: kind(409, problemTypes.conflict, "It already exists"),
  [GrpcStatus.ABORTED]: kind(409, problemTypes.conflict, "It was changed concurrently"),
  // A service at capacity refused the call before doing anything: the request may be
  // retried as it is. The gateway's own rate limits answer 429 (limits.ts).
  [GrpcStatus.RESOURCE_EXHAUSTED]: kind(503, problemTypes.unavailable, "The service is at capacity"),
  [GrpcStatus.UNAVAILABLE]: kind(503, problemTypes.unavailable, "The service is unavailable"),
  [GrpcStatus.DEADLINE_EXCEEDED]: kind(504, problemTypes.timeout, "The service did not answer in time"),
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

const lostCall = kind(504, problemTypes.timeout, "The service stopped answering during the call");

/** A failure on the platform's side, told to the client without its details. */
const internalProblem = (instance: string): Problem => ({
  type: problemTypes.internal,
  title: "Internal error",
  status: 500,
  detail: "The request could not be completed",
  instance,
});

/** Maps a gRPC error to problem details, following grpc-gateway's status mapping. */
export function problemFromGrpcError(error: ServiceError, instance: string): Problem {
  const parsed = parseGrpcError(error);
  const mapped = lostMidCall(error) ? lostCall : byCode[parsed.code as GrpcStatus];
  if (!mapped) return internalProblem(instance);
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

function isGrpcError(error: unknown): error is ServiceError {
  return (
    error instanceof Error && typeof (error as Partial<ServiceError>).code === "number" && "metadata" in error
  );
}

/** What body-parser and http-errors put on the errors they throw. */
interface HttpError {
  type?: unknown;
  status?: unknown;
  limit?: unknown;
  message?: unknown;
}

/**
 * What an error a route threw means for the client, as problem details. Sets the headers that
 * go with it (Retry-After, WWW-Authenticate) and logs what failed on the platform's side.
 */
export function problemFromError(
  error: unknown,
  request: Request,
  response: Response,
  logger: Logger,
): Problem {
  const instance = request.originalUrl;
  if (isGrpcError(error)) {
    const problem = problemFromGrpcError(error, instance);
    if (problem.status >= 500) logger.warn({ err: error, path: request.path }, "service call failed");
    const retryAfter = retryAfterSeconds(error);
    if (retryAfter !== undefined) response.setHeader("Retry-After", String(retryAfter));
    return problem;
  }
  if (error instanceof InvalidTokenError) {
    response.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
    const title = "Authentication failed";
    return { type: problemTypes.unauthenticated, title, status: 401, detail: error.message, instance };
  }
  const { type, status, limit, message } = (error ?? {}) as HttpError;
  if (type === "entity.parse.failed") {
    const title = "The body is not valid JSON";
    return { type: problemTypes.malformedJson, title, status: 400, detail: String(message), instance };
  }
  if (type === "entity.too.large") {
    const detail = `The body may be at most ${limit} bytes`;
    return {
      type: problemTypes.payloadTooLarge,
      title: "The body is too large",
      status: 413,
      detail,
      instance,
    };
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    const title = "The request is invalid";
    return { type: problemTypes.invalidRequest, title, status, detail: String(message), instance };
  }
  logger.error({ err: error, path: request.path }, "request failed");
  return internalProblem(instance);
}

/** Answers every error a route threw with problem+json. */
export function problemErrors(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    sendProblem(response, problemFromError(error, request, response, logger));
  };
}
