import type { Request, RequestHandler, Response } from "express";
import { rateLimit } from "express-rate-limit";
import { callerOf } from "./identity.js";
import { problemTypes, sendProblem } from "./problem.js";
import type { SharedRateLimitCounts } from "./rate-limit-counts.js";

/** Requests allowed per window, per client IP and per authenticated caller. */
export interface RateLimits {
  windowMs: number;
  perIp: number;
  perCaller: number;
  /** Where the counts live, shared by every replica; without it, in this process only. */
  counts?: SharedRateLimitCounts | undefined;
}

/**
 * Two fixed-window limits, each answered with 429 problem+json and Retry-After: one per
 * client IP (before the token is checked, so it also slows token guessing) and one per
 * token subject. With `counts` every replica adds to the same counts (a NATS KV bucket), so
 * a client gets the limit once however many replicas serve it; should the bucket fail to
 * answer, requests pass rather than fail.
 */
export function rateLimiters(limits: RateLimits): { perIp: RequestHandler; perCaller: RequestHandler } {
  const common = {
    windowMs: limits.windowMs,
    standardHeaders: "draft-8" as const,
    legacyHeaders: false,
    handler: tooManyRequests,
    passOnStoreError: true,
  };
  const store = (prefix: string) => (limits.counts ? { store: limits.counts.store(prefix) } : {});
  return {
    perIp: rateLimit({ ...common, ...store("per-ip"), limit: limits.perIp, identifier: "per-ip" }),
    perCaller: rateLimit({
      ...common,
      ...store("per-caller"),
      limit: limits.perCaller,
      identifier: "per-caller",
      skip: (request) => callerOf(request).subject === "anonymous",
      keyGenerator: (request) => `caller:${callerOf(request).subject}`,
    }),
  };
}

function tooManyRequests(request: Request, response: Response): void {
  const resetTime = (request as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
  response.setHeader("Retry-After", String(seconds));
  sendProblem(response, {
    type: problemTypes.tooManyRequests,
    title: "Too many requests",
    status: 429,
    detail: `The rate limit is reached; retry in ${seconds} s`,
    instance: request.originalUrl,
  });
}
