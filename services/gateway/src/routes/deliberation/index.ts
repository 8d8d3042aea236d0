import { deliberationV1 } from "@civic/contracts";
import { createClientOptions } from "@civic/service-kit";
import { type ChannelCredentials, type ClientOptions, credentials } from "@grpc/grpc-js";
import { Router } from "express";
import type { GrpcCall } from "../../grpc-call.js";
import { councilRoutes } from "./councils.js";
import { fundRoutes } from "./funds.js";
import { meetingRoutes } from "./meetings.js";
import { resolutionRoutes } from "./resolutions.js";
import { topicRoutes } from "./topics.js";
import { voteRoutes } from "./votes.js";

/** The deliberation service's gRPC clients, one per service of civic.deliberation.v1. */
export interface DeliberationClients {
  councils: deliberationV1.CouncilServiceClient;
  votes: deliberationV1.VoteServiceClient;
  topics: deliberationV1.TopicServiceClient;
  funds: deliberationV1.FundServiceClient;
  resolutions: deliberationV1.ResolutionServiceClient;
  meetings: deliberationV1.MeetingServiceClient;
  /** Served by the transcoder, not by these routes. */
  maintenanceFunds: deliberationV1.MaintenanceFundServiceClient;
}

export function deliberationClients(
  address: string,
  insecure: ChannelCredentials = credentials.createInsecure(),
  options: ClientOptions = createClientOptions(),
): DeliberationClients {
  return {
    councils: new deliberationV1.CouncilServiceClient(address, insecure, options),
    votes: new deliberationV1.VoteServiceClient(address, insecure, options),
    topics: new deliberationV1.TopicServiceClient(address, insecure, options),
    funds: new deliberationV1.FundServiceClient(address, insecure, options),
    resolutions: new deliberationV1.ResolutionServiceClient(address, insecure, options),
    meetings: new deliberationV1.MeetingServiceClient(address, insecure, options),
    maintenanceFunds: new deliberationV1.MaintenanceFundServiceClient(address, insecure, options),
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
  router.use(topicRoutes(options));
  router.use(fundRoutes(options));
  router.use(resolutionRoutes(options));
  router.use(meetingRoutes(options));
  return router;
}
