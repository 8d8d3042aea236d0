import { metrics } from "@civic/telemetry";
import type { RequestHandler } from "express";
import { problemTypes } from "./problem.js";

/**
 * A bound on the requests in flight to one service. A request holds its place from the moment
 * it is admitted, before anything costly runs for it, until its answer is sent.
 */
export class UpstreamAdmission {
  private inFlight = 0;

  constructor(readonly max: number) {}

  /** A place for one request, or undefined when all `max` are taken. `leave` frees it (once). */
  tryEnter(): { leave(): void } | undefined {
    if (this.inFlight >= this.max) return undefined;
    this.inFlight += 1;
    let left = false;
    return {
      leave: () => {
        if (left) return;
        left = true;
        this.inFlight -= 1;
      },
    };
  }

  requestsInFlight(): number {
    return this.inFlight;
  }
}

/**
 * The service every request under `prefix` calls, by name (`grid-cases`, see upstreams.ts):
 * a collection of the API (`/api/v1/cases`) or a whole protocol (`/open311/v2`).
 */
export interface UpstreamPrefix {
  prefix: string;
  upstream: string;
}

/**
 * Admits each request to the service it will call, before any other middleware but CORS: past
 * `maxInFlight` requests to that service it is refused with 503 problem+json and
 * `Retry-After: 1` before security headers, telemetry, rate-limit counts, body parsing, token
 * verification or the Idempotency-Key record cost anything. In a burst every request queues
 * behind the ones before it in the gateway's one event loop, so a refusal's latency is the
 * burst's size times what a refusal costs: the service is found by the path's first segments
 * in one map, and the 503 written in one piece past Express's response helpers (`pnpm
 * bench:door` measures it). A refused request changed nothing, so its key stays free; it has
 * no trace, and is counted in `http_server_requests_total` under its prefix. A request to no
 * service passes.
 */
export function admissionAtTheDoor(prefixes: UpstreamPrefix[], maxInFlight: number): RequestHandler {
  const admissions = new Map<string, UpstreamAdmission>();
  const doors = new Map<string, { prefix: string; upstream: string; admission: UpstreamAdmission }>();
  for (const { prefix, upstream } of prefixes) {
    const admission = admissions.get(upstream) ?? new UpstreamAdmission(maxInFlight);
    admissions.set(upstream, admission);
    doors.set(prefix.toLowerCase(), { prefix, upstream, admission });
  }
  return (request, response, next) => {
    // "/api/v1/cases/c-1" → "/api/v1/cases", then "/api/v1": the longest prefix first.
    const segments = request.path.toLowerCase().split("/", 4);
    const door = doors.get(segments.join("/")) ?? doors.get(segments.slice(0, 3).join("/"));
    if (!door) return next();
    const place = door.admission.tryEnter();
    if (place) {
      response.once("close", place.leave);
      return next();
    }
    const body = JSON.stringify({
      type: problemTypes.unavailable,
      title: "The service is at capacity",
      status: 503,
      detail: `The gateway has ${door.admission.max} requests in flight to ${door.upstream}; retry shortly`,
      instance: request.originalUrl,
    });
    response
      .writeHead(503, {
        "Content-Type": "application/problem+json; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
        "Retry-After": "1",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      })
      .end(body);
    metrics.httpServerRequests.inc({ method: request.method, route: door.prefix, status: "503" });
  };
}
