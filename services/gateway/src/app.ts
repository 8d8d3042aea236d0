import type { gridCasesV1, partyBuildingV1, socialRegistryV1, volunteerStationsV1 } from "@civic/contracts";
import type { ServiceError } from "@grpc/grpc-js";
import express, { type ErrorRequestHandler } from "express";
import type { Logger } from "pino";
import { grpcCaller } from "./grpc-call.js";
import { problemFromGrpcError } from "./grpc-problem.js";
import { httpTelemetry } from "./http-telemetry.js";
import { InvalidTokenError, identityFromJwt } from "./identity.js";
import { problemTypes, sendProblem } from "./problem.js";
import { areaRoutes } from "./routes/areas.js";
import { caseRoutes } from "./routes/cases.js";
import { charityProjectRoutes } from "./routes/charity-projects.js";
import { type DeliberationClients, deliberationRoutes } from "./routes/deliberation/index.js";
import { organisationRoutes } from "./routes/organisations.js";
import { partyOrganisationRoutes } from "./routes/party-organisations.js";
import { safetyIndexRoutes } from "./routes/safety-index.js";
import { volunteerStationRoutes } from "./routes/volunteer-stations.js";

export interface GatewayOptions {
  cases: gridCasesV1.CaseServiceClient;
  areas: gridCasesV1.AreaServiceClient;
  safety: gridCasesV1.SafetyIndexServiceClient;
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
  logger: Logger;
  /** HS256 secret for bearer tokens; without it only anonymous requests are accepted. */
  jwtSecret?: string | undefined;
  /** Largest JSON body accepted. */
  bodyLimit?: string;
}

export interface PartyBuildingClients {
  organisations: partyBuildingV1.OrganisationServiceClient;
}

export interface SocialRegistryClients {
  organisations: socialRegistryV1.OrganisationServiceClient;
  projects: socialRegistryV1.CharityProjectServiceClient;
}

export interface VolunteerStationsClients {
  stations: volunteerStationsV1.StationServiceClient;
}

export function createGatewayApp(options: GatewayOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(httpTelemetry());
  app.use(
    express.json({ limit: options.bodyLimit ?? "64kb", type: ["application/json", "application/*+json"] }),
  );
  const call = grpcCaller({ deadlineMs: options.deadlineMs, identify: identityFromJwt(options.jwtSecret) });
  app.use(caseRoutes({ cases: options.cases, call }));
  app.use(areaRoutes({ areas: options.areas, call }));
  app.use(safetyIndexRoutes({ safety: options.safety, call }));
  if (options.deliberation) app.use(deliberationRoutes({ ...options.deliberation, call }));
  if (options.partyBuilding) {
    app.use(partyOrganisationRoutes({ organisations: options.partyBuilding.organisations, call }));
  }
  if (options.socialRegistry) {
    app.use(organisationRoutes({ organisations: options.socialRegistry.organisations, call }));
    app.use(charityProjectRoutes({ projects: options.socialRegistry.projects, call }));
  }
  if (options.volunteerStations) app.use(volunteerStationRoutes({ ...options.volunteerStations, call }));
  app.use((request, response) => {
    sendProblem(response, {
      type: problemTypes.notFound,
      title: "Not found",
      status: 404,
      detail: `No route for ${request.method} ${request.path}`,
      instance: request.originalUrl,
    });
  });
  app.use(errorHandler(options.logger));
  return app;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    if (isGrpcError(error)) {
      const problem = problemFromGrpcError(error, request.originalUrl);
      if (problem.status >= 500) logger.warn({ err: error, path: request.path }, "service call failed");
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

function isGrpcError(error: unknown): error is ServiceError {
  return (
    error instanceof Error && typeof (error as Partial<ServiceError>).code === "number" && "metadata" in error
  );
}
