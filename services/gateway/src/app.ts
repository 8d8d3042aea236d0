import { httpCatalogue } from "@civic/contracts";
import { type DiscoverySettings, discoveryDefaults, open311Base } from "@civic/open311";
import { openApiDocument } from "@civic/openapi";
import type { CallerTokenIssuer } from "@civic/service-kit";
import cors from "cors";
import express from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { dashboardRoutes } from "./dashboard-routes.js";
import { openApiRoutes } from "./docs-routes.js";
import { problemErrors } from "./error-problem.js";
import type { DomainEventFeed } from "./event-feed.js";
import { grpcCaller, noteArrival } from "./grpc-call.js";
import { healthz } from "./health.js";
import { httpTelemetry } from "./http-telemetry.js";
import { type IdempotencyRecords, idempotencyKeysUnsupported, idempotentPosts } from "./idempotency.js";
import { identifyCaller, identityFromJwt, type TokenVerification } from "./identity.js";
import { type RateLimits, rateLimiters } from "./limits.js";
import { refuseOperatorKeys } from "./operator-guard.js";
import { problemTypes, sendProblem } from "./problem.js";
import { type EventStreamLimits, eventStreamRoutes } from "./routes/event-stream.js";
import { open311ApiKey, open311Errors, open311Routes } from "./routes/open311.js";
import { transcodedRoutes, transcodedUpstreamPrefixes } from "./transcoder/transcoded-routes.js";
import { admissionAtTheDoor } from "./upstream-admission.js";
import type { Upstreams } from "./upstreams.js";

export interface GatewayOptions {
  /**
   * The services to call, by name (`grid-cases`; see upstreams.ts): the transcoder mounts the
   * routes of every RPC they serve, and Open311 is mounted with grid-cases.
   */
  upstreams: Upstreams;
  /** How long the gateway waits for a service before answering 504 or 503. */
  deadlineMs: number;
  /**
   * Requests in flight to one service; more are refused at once with 503 + Retry-After,
   * before anything costly runs for them. Without it (tests) nothing is bounded.
   */
  upstreamMaxInFlight?: number | undefined;
  /** Signs the caller of each service call (the services trust only these tokens). */
  callerTokens: CallerTokenIssuer;
  logger: Logger;
  /** HS256 secret for bearer tokens (local use); see `tokens` for asymmetric keys. */
  jwtSecret?: string | undefined;
  /** Asymmetric token verification (PEM key or JWKS), issuer and audience checks. */
  tokens?: TokenVerification | undefined;
  /** Largest JSON body accepted (default 64kb); larger bodies get 413. */
  bodyLimit?: string | undefined;
  /** Per-IP and per-caller limits; without them (tests, benchmarks) nothing is limited. */
  rateLimits?: RateLimits | undefined;
  /** Origins allowed by CORS; none (the default) sends no CORS headers. */
  corsOrigins?: string[] | undefined;
  /** The domain events behind `GET /api/v1/event-stream`; without it the route is not mounted. */
  eventStream?: { feed: DomainEventFeed; limits: EventStreamLimits } | undefined;
  /** Where Idempotency-Key records live; without it the header is refused with 400. */
  idempotency?: IdempotencyRecords | undefined;
  /** Express's `trust proxy` setting, for the client IP behind an ingress. */
  trustProxy?: boolean | number | string | undefined;
  /** What Open311 discovery names as contact and as where to get an api_key. */
  open311?: DiscoverySettings | undefined;
}

/** Response headers a browser client may read across origins. */
const corsExposed = ["Location", "Retry-After", "RateLimit", "RateLimit-Policy", "Idempotency-Key"];

export function createGatewayApp(options: GatewayOptions): express.Express {
  const app = express();
  app.use(noteArrival);
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);
  // Browsers read a refusal at the door only with CORS headers: CORS goes first.
  if (options.corsOrigins?.length)
    app.use(cors({ origin: options.corsOrigins, exposedHeaders: corsExposed }));
  const catalogue = httpCatalogue();
  if (options.upstreamMaxInFlight !== undefined) {
    app.use(
      admissionAtTheDoor(
        [
          ...transcodedUpstreamPrefixes(catalogue, options.upstreams),
          { prefix: open311Base, upstream: "grid-cases" },
        ],
        options.upstreamMaxInFlight,
      ),
    );
  }
  app.use(helmet());
  // Before telemetry and limits: probes every few seconds would drown the request metrics.
  app.get("/healthz", healthz);
  app.use(openApiRoutes(openApiDocument()));
  app.use(dashboardRoutes());
  app.use(httpTelemetry());
  const limits = options.rateLimits ? rateLimiters(options.rateLimits) : undefined;
  if (limits) app.use(limits.perIp);
  const bodyLimit = options.bodyLimit ?? "64kb";
  app.use(express.json({ limit: bodyLimit, type: ["application/json", "application/*+json"] }));
  app.use("/api", refuseOperatorKeys);
  // Open311 clients post forms; the rest of the API takes JSON only.
  app.use(open311Base, express.urlencoded({ limit: bodyLimit, extended: false }));
  app.use(
    identifyCaller(identityFromJwt({ hs256Secret: options.jwtSecret, ...options.tokens }, open311ApiKey)),
  );
  if (limits) app.use(limits.perCaller);
  if (options.idempotency) {
    app.use(idempotentPosts(options.idempotency, { waitMs: options.deadlineMs, logger: options.logger }));
  } else {
    app.use(idempotencyKeysUnsupported);
  }
  const call = grpcCaller({ deadlineMs: options.deadlineMs, callerTokens: options.callerTokens });
  app.use(transcodedRoutes(catalogue, options.upstreams, call));
  if (options.eventStream) app.use(eventStreamRoutes(options.eventStream));
  const gridCases = options.upstreams["grid-cases"];
  if (gridCases) app.use(open311Routes({ gridCases, call, discovery: options.open311 ?? discoveryDefaults }));
  app.use((request, response) => {
    sendProblem(response, {
      type: problemTypes.notFound,
      title: "Not found",
      status: 404,
      detail: `No route for ${request.method} ${request.path}`,
      instance: request.originalUrl,
    });
  });
  app.use(open311Errors(options.logger));
  app.use(problemErrors(options.logger));
  return app;
}
