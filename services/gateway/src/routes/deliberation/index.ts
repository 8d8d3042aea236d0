import { deliberationV1 } from "@civic/contracts";
import { clientInterceptors } from "@civic/service-kit";
import { credentials } from "@grpc/grpc-js";
import { Router } from "express";
import type { GrpcCall } from "../../grpc-call.js";
import { councilRoutes } from "./councils.js";
import { voteRoutes } from "./votes.js";

/** The deliberation service's gRPC clients, one per service of civic.deliberation.v1. */
export interface DeliberationClients {
  councils: deliberationV1.CouncilServiceClient;
  votes: deliberationV1.VoteServiceClient;
}

export function deliberationClients(address: string): DeliberationClients {
  const options = { interceptors: clientInterceptors() };
  const insecure = credentials.createInsecure();
  return {
    councils: new deliberationV1.CouncilServiceClient(address, insecure, options),
    votes: new deliberationV1.VoteServiceClient(address, insecure, options),
  };
}

export function closeDeliberationClients(clients: DeliberationClients): void {
  for (const client of Object.values(clients)) client.close();
}

/** Every /api/v1 route of deliberation: see the services of civic.deliberation.v1 in proto/. */
export function deliberationRoutes(options: DeliberationClients & { call: GrpcCall }): Router {
  const router = Router();
  router.use(councilRoutes(options));
  router.use(voteRoutes(options));
  return router;
}
