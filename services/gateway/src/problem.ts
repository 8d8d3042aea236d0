import type { Response } from "express";

/** A field that made the request invalid. */
export interface FieldProblem {
  field: string;
  detail: string;
}

/** RFC 9457 problem details, as every error of the gateway is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
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
  preconditionFailed: "urn:civic:problem:precondition-failed",
  unavailable: "urn:civic:problem:service-unavailable",
  timeout: "urn:civic:problem:timeout",
  internal: "urn:civic:problem:internal",
} as const;

export function sendProblem(response: Response, problem: Problem): void {
  response.status(problem.status).type("application/problem+json").send(JSON.stringify(problem));
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
