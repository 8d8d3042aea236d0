import { type Request, type RequestHandler, Router } from "express";
import { problemTypes, sendProblem } from "./problem.js";

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
 * A route of the gateway and the service it calls, by name (`grid-cases`, see upstreams.ts).
 * Without `method`, `path` is a prefix whose every request calls that service.
 */
export interface UpstreamRoute {
  method?: "get" | "post" | "put" | "patch" | "delete";
  /** An Express path (`/api/v1/cases/:caseId`), or a prefix (`/open311/v2`). */
  path: string;
  upstream: string;
}

const admitted = new WeakSet<Request>();

/**
 * Admits each request to the service it will call, first thing after the cheap middlewares
 * (security headers, CORS, metrics): past `maxInFlight` requests to that service it is refused
 * with 503 problem+json and `Retry-After: 1` before the rate-limit counts, body parsing, token
 * verification or the Idempotency-Key record cost anything (a burst otherwise queues in those
 * and its refusals take seconds). A refused request changed nothing, so its key stays free.
 * Routes are matched in the order the gateway serves them; a request to no service passes.
 */
export function admissionAtTheDoor(routes: UpstreamRoute[], maxInFlight: number): RequestHandler {
  const admissions = new Map<string, UpstreamAdmission>();
  const router = Router();
  for (const route of routes) {
    let admission = admissions.get(route.upstream);
    if (!admission) {
      admission = new UpstreamAdmission(maxInFlight);
      admissions.set(route.upstream, admission);
    }
    const handler = admit(admission, route.upstream);
    if (route.method) router[route.method](route.path, handler);
    else router.use(route.path, handler);
  }
  return router;
}

function admit(admission: UpstreamAdmission, upstream: string): RequestHandler {
  return (request, response, next) => {
    // Express goes on to the next matching route: only the first one (the one served) admits.
    if (admitted.has(request)) return next();
    admitted.add(request);
    const place = admission.tryEnter();
    if (!place) {
      response.setHeader("Retry-After", "1");
      return sendProblem(response, {
        type: problemTypes.unavailable,
        title: "The service is at capacity",
        status: 503,
        detail: `The gateway has ${admission.max} requests in flight to ${upstream}; retry shortly`,
        instance: request.originalUrl,
      });
    }
    response.once("close", place.leave);
    next();
  };
}
