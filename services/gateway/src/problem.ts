import type { FieldProblem } from "@civic/service-kit";
import type { Response } from "express";

/** RFC 9457 problem details, as every error of the gateway is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The gRPC status name (`NOT_FOUND`) of the service's answer, for errors that came from one. */
  grpcCode?: string;
  /** Set for RPC errors that carry a google.rpc.ErrorInfo reason. */
  reason?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export const problemTypes = {
  invalidRequest: "urn:civic:problem:invalid-request",
  malformedJson: "urn:civic:problem:malformed-json",
  notFound: "urn:civic:problem:not-found",
  conflict: "urn:civic:problem:conflict",
  forbidden: "urn:civic:problem:forbidden",
  unauthenticated: "urn:civic:problem:unauthenticated",
  tooManyRequests: "urn:civic:problem:too-many-requests",
  payloadTooLarge: "urn:civic:problem:payload-too-large",
  idempotencyKeyReused: "urn:civic:problem:idempotency-key-reused",
  preconditionFailed: "urn:civic:problem:precondition-failed",
  unavailable: "urn:civic:problem:service-unavailable",
  timeout: "urn:civic:problem:timeout",
  internal: "urn:civic:problem:internal",
} as const;

/** Sends the problem with the request's trace id, so an operator can find its trace and logs. */
export function sendProblem(response: Response, problem: Problem): void {
  const traceId: unknown = response.locals.traceId;
  const body = typeof traceId === "string" ? { ...problem, traceId } : problem;
  response.status(problem.status).type("application/problem+json").send(JSON.stringify(body));
}

/** 400 for a body or query that does not fit the route's schema. */
export function invalidRequest(instance: string, errors: FieldProblem[]): Problem {
  return {
    type: problemTypes.invalidRequest,
    title: "The request is invalid",
    status: 400,
    detail: "Some fields are missing or have the wrong type",
    instance,
    errors,
  };
}
