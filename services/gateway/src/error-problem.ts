import type { ErrorRequestHandler, Request, Response } from "express";
import type { Logger } from "pino";
import { isGrpcError, problemFromGrpcError, retryAfterSeconds } from "./grpc-problem.js";
import { InvalidTokenError } from "./identity.js";
import { type Problem, problemTypes, sendProblem } from "./problem.js";

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
  const detail = "The request could not be completed";
  return { type: problemTypes.internal, title: "Internal error", status: 500, detail, instance };
}

/** Answers every error a route threw with problem+json. */
export function problemErrors(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    sendProblem(response, problemFromError(error, request, response, logger));
  };
}
