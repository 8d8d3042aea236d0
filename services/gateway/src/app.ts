import type { gridCasesV1, partyBuildingV1, socialRegistryV1, volunteerStationsV1 } from "@civic/contracts";
import type { CallerTokenIssuer } from "@civic/service-kit";
import type { Client } from "@grpc/grpc-js";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { dashboardRoutes } from "./dashboard-routes.js";
import type { DeliberationClients } from "./deliberation-clients.js";
import type { DomainEventFeed } from "./event-feed.js";
import { grpcCaller, noteArrival } from "./grpc-call.js";
import { isGrpcError, problemFromGrpcError, retryAfterSeconds } from "./grpc-problem.js";
import { healthz } from "./health.js";
import { httpTelemetry } from "./http-telemetry.js";
import { type IdempotencyRecords, idempotencyKeysUnsupported, idempotentPosts } from "./idempotency.js";
import { InvalidTokenError, identifyCaller, identityFromJwt, type TokenVerification } from "./identity.js";
import { type RateLimits, rateLimiters } from "./limits.js";
import { openApiRoutes } from "./openapi/docs-routes.js";
import { gatewayOpenApiDocument, protoCatalogue } from "./openapi/index.js";
import { refuseOperatorKeys } from "./operator-guard.js";
import { problemTypes, sendProblem } from "./problem.js";
import { type EventStreamLimits, eventStreamRoutes } from "./routes/event-stream.js";
import {
  open311ApiKey,
  open311Base,
  open311Defaults,
  open311Errors,
  open311Routes,
} from "./routes/open311.js";
import { transcodedRoutes } from "./transcoder/transcoded-routes.js";

export interface GatewayOptions {
  cases: gridCasesV1.CaseServiceClient;
  areas: gridCasesV1.AreaServiceClient;
  safety: gridCasesV1.SafetyIndexServiceClient;
  /** grid-cases' working-day calendars and grid patrols; their routes are mounted only when given. */
  workingCalendars?: gridCasesV1.WorkingCalendarServiceClient | undefined;
  patrols?: gridCasesV1.PatrolServiceClient | undefined;
  /** grid-cases' case-category catalogue and routing rules; mounted only when given. */
  caseCatalogue?: gridCasesV1.CaseCatalogueServiceClient | undefined;
  /** grid-cases' community staffing standards; mounted only when given. */
  communityStaffing?: gridCasesV1.CommunityStaffingServiceClient | undefined;
  /** grid-cases' community scorecards and emergency notices; mounted only when given. */
  scorecards?: gridCasesV1.ScorecardServiceClient | undefined;
  emergencyNotices?: gridCasesV1.EmergencyNoticeServiceClient | undefined;
  /** grid-cases' dispute mediation; its routes are mounted only when given. */
  disputes?: gridCasesV1.DisputeServiceClient | undefined;
  /** Deliberation's clients; its routes are mounted only when they are given. */
  deliberation?: DeliberationClients;
  /** party-building's clients; its routes are mounted only when given. */
  partyBuilding?: PartyBuildingClients | undefined;
  /** social-registry's clients; its routes are mounted only when given. */
  socialRegistry?: SocialRegistryClients | undefined;
  /** volunteer-stations' clients; its routes are mounted only when given. */
  volunteerStations?: VolunteerStationsClients | undefined;
  /** How long the gateway waits for a service before answering 504 or 503. */
  deadlineMs: number;
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
  open311?: { contact: string; keyService: string } | undefined;
}

export interface PartyBuildingClients {
  organisations: partyBuildingV1.OrganisationServiceClient;
  members: partyBuildingV1.MemberServiceClient;
  liaison: partyBuildingV1.LiaisonServiceClient;
  serviceCentres: partyBuildingV1.ServiceCentreServiceClient;
  compounds: partyBuildingV1.CompoundServiceClient;
  jointMeetings: partyBuildingV1.JointMeetingServiceClient;
}

export interface SocialRegistryClients {
  organisations: socialRegistryV1.OrganisationServiceClient;
  projects: socialRegistryV1.CharityProjectServiceClient;
  socialWork: socialRegistryV1.SocialWorkServiceClient;
  density: socialRegistryV1.DensityServiceClient;
  incubation: socialRegistryV1.IncubationServiceClient;
  enterprises: socialRegistryV1.CaringEnterpriseServiceClient;
}

export interface VolunteerStationsClients {
  stations: volunteerStationsV1.StationServiceClient;
  volunteers: volunteerStationsV1.VolunteerServiceClient;
  activities: volunteerStationsV1.ActivityServiceClient;
  neighbourhood: volunteerStationsV1.NeighbourhoodServiceClient;
}

/** Response headers a browser client may read across origins. */
const corsExposed = ["Location", "Retry-After", "RateLimit", "RateLimit-Policy", "Idempotency-Key"];

export function createGatewayApp(options: GatewayOptions): express.Express {
  const app = express();
  app.use(noteArrival);
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);
  // Before telemetry and limits: probes every few seconds would drown the request metrics.
  app.use(helmet());
  app.get("/healthz", healthz);
  if (options.corsOrigins?.length)
    app.use(cors({ origin: options.corsOrigins, exposedHeaders: corsExposed }));
  app.use(openApiRoutes(gatewayOpenApiDocument()));
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
  const transcoded: Client[] = [
    options.cases,
    options.areas,
    options.safety,
    ...[
      options.workingCalendars,
      options.patrols,
      options.caseCatalogue,
      options.communityStaffing,
      options.scorecards,
      options.emergencyNotices,
      options.disputes,
    ].filter((client) => client !== undefined),
    ...Object.values(options.deliberation ?? {}),
    ...Object.values(options.partyBuilding ?? {}),
    ...Object.values(options.socialRegistry ?? {}),
    ...Object.values(options.volunteerStations ?? {}),
  ];
  app.use(transcodedRoutes(protoCatalogue(), transcoded, call));
  if (options.eventStream) app.use(eventStreamRoutes(options.eventStream));
  app.use(
    open311Routes({
      cases: options.cases,
      areas: options.areas,
      call,
      ...(options.open311 ?? open311Defaults),
    }),
  );
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
  app.use(errorHandler(options.logger));
  return app;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    if (isGrpcError(error)) {
      const problem = problemFromGrpcError(error, request.originalUrl);
      if (problem.status >= 500) logger.warn({ err: error, path: request.path }, "service call failed");
      const retryAfter = retryAfterSeconds(error);
      if (retryAfter !== undefined) response.setHeader("Retry-After", String(retryAfter));
      sendProblem(response, problem);
      return;
    }
    if (error instanceof InvalidTokenError) {
      response.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
      sendProblem(response, {
        type: problemTypes.unauthenticated,
        title: "Authentication failed",
        status: 401,
        detail: error.message,
        instance: request.originalUrl,
      });
      return;
    }
    if (error?.type === "entity.parse.failed") {
      sendProblem(response, {
        type: problemTypes.malformedJson,
        title: "The body is not valid JSON",
        status: 400,
        detail: String(error.message),
        instance: request.originalUrl,
      });
      return;
    }
    if (error?.type === "entity.too.large") {
      sendProblem(response, {
        type: problemTypes.payloadTooLarge,
        title: "The body is too large",
        status: 413,
        detail: `The body may be at most ${error.limit} bytes`,
        instance: request.originalUrl,
      });
      return;
    }
    if (typeof error?.status === "number" && error.status >= 400 && error.status < 500) {
      sendProblem(response, {
        type: problemTypes.invalidRequest,
        title: "The request is invalid",
        status: error.status,
        detail: String(error.message),
        instance: request.originalUrl,
      });
      return;
    }
    logger.error({ err: error, path: request.path }, "request failed");
    sendProblem(response, {
      type: problemTypes.internal,
      title: "Internal error",
      status: 500,
      detail: "The request could not be completed",
      instance: request.originalUrl,
    });
  };
}
