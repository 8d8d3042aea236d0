import { AreaCode } from "@civic/domain-kit";
import { anyAreaCovers, areaCovers, validateInput } from "@civic/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { DomainEventFeed, FeedEvent } from "../event-feed.js";
import { callerOf } from "../identity.js";
import { invalidRequest, problemTypes, sendProblem } from "../problem.js";

/** A domain, an aggregate kind or one event type: grid-cases, grid-cases.case, grid-cases.case.submitted. */
const typeFilter = /^[a-z][a-z-]*(\.[a-z][a-z_]*){0,2}$/;
const streamQuery = z
  .object({
    types: z
      .string()
      .max(1_000)
      .default("")
      .transform((text) => text.split(",").filter(Boolean))
      .pipe(z.array(z.string().regex(typeFilter, "expected domain[.aggregate[.event]]")).max(20)),
    areaId: z
      .string()
      .refine((areaId) => AreaCode.is(areaId), "expected an area code")
      .optional(),
  })
  .strict();

export interface EventStreamLimits {
  /** Open streams per caller (subject). */
  perCaller: number;
  /** Open streams of this gateway. */
  total: number;
  /** How often a comment keeps idle connections (and proxies) open. */
  keepAliveMs: number;
}

const platformAdmin = "platform_admin";
const refusals = {
  401: { type: problemTypes.unauthenticated, title: "Authentication is required" },
  403: { type: problemTypes.forbidden, title: "The caller may not do this" },
  429: { type: problemTypes.tooManyRequests, title: "Too many requests" },
};

/**
 * Server-sent events of domain events for dashboards, each shown only to callers whose
 * areas cover its area (platform administrators see all, also events of no known area).
 */
export function eventStreamRoutes({
  feed,
  limits,
}: {
  feed: DomainEventFeed;
  limits: EventStreamLimits;
}): Router {
  const router = Router();
  const openPerCaller = new Map<string, number>();

  router.get("/api/v1/event-stream", async (request, response) => {
    const checked = validateInput(streamQuery, request.query);
    if (!checked.ok) return sendProblem(response, invalidRequest(request.originalUrl, checked.errors));
    const query = checked.value;
    const caller = callerOf(request);
    const admin = caller.roles.includes(platformAdmin);
    const refuse = (status: keyof typeof refusals, detail: string) => {
      if (status === 429) response.setHeader("Retry-After", "30");
      sendProblem(response, { ...refusals[status], status, detail, instance: request.originalUrl });
    };
    if (caller.subject === "anonymous") return refuse(401, "the event stream needs a bearer token");
    if (!admin && caller.areas.length === 0)
      return refuse(403, "the event stream shows the events of the caller's areas, and the caller has none");
    if (query.areaId !== undefined && !admin && !anyAreaCovers(caller.areas, query.areaId))
      return refuse(403, `area ${query.areaId} is not among the caller's areas`);
    const open = openPerCaller.get(caller.subject) ?? 0;
    if (open >= limits.perCaller)
      return refuse(429, `at most ${limits.perCaller} open event streams per caller`);
    if (feed.listenerCount >= limits.total) return refuse(429, "the gateway has no room for another stream");

    const visible = (event: FeedEvent) => {
      if (
        query.types.length > 0 &&
        !query.types.some((type) => event.type === type || event.type.startsWith(`${type}.`))
      )
        return false;
      if (query.areaId !== undefined && !areaCovers(query.areaId, event.areaId)) return false;
      if (admin) return true;
      return event.areaId !== "" && anyAreaCovers(caller.areas, event.areaId);
    };
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx and similar proxies would otherwise hold the events back.
      "x-accel-buffering": "no",
    });
    response.write("retry: 3000\n\n");
    openPerCaller.set(caller.subject, open + 1);
    const keepAlive = setInterval(() => response.write(": keep-alive\n\n"), limits.keepAliveMs);
    await new Promise<void>((resolve) => {
      const stopListening = feed.listen({
        deliver: (event) => {
          if (!visible(event)) return;
          const { id, type, source, subject, time, areaId, data } = event;
          const json = JSON.stringify({ id, type, source, subject, time, areaId, data });
          response.write(`id: ${id}\nevent: ${type}\ndata: ${json}\n\n`);
        },
        closed: resolve,
      });
      response.once("close", () => {
        stopListening();
        resolve();
      });
    });
    clearInterval(keepAlive);
    const left = (openPerCaller.get(caller.subject) ?? 1) - 1;
    if (left > 0) openPerCaller.set(caller.subject, left);
    else openPerCaller.delete(caller.subject);
    response.end();
  });
  return router;
}
