import type { RequestHandler } from "express";

/**
 * `GET /healthz` for liveness, readiness and startup probes: 200 while the process serves
 * HTTP. It does not call the services: a gateway that cannot reach one of them still
 * serves the others (and answers 503 for that one), so it stays in rotation.
 */
export const healthz: RequestHandler = (_request, response) => {
  response.json({ status: "ok" });
};
