import { deliberationV1 } from "@civic/contracts";
import { createClientOptions } from "@civic/service-kit";
import { type ChannelCredentials, type ClientOptions, credentials } from "@grpc/grpc-js";

/** The deliberation service's gRPC clients, one per service of civic.deliberation.v1. */
export interface DeliberationClients {
  councils: deliberationV1.CouncilServiceClient;
  votes: deliberationV1.VoteServiceClient;
  topics: deliberationV1.TopicServiceClient;
  funds: deliberationV1.FundServiceClient;
  resolutions: deliberationV1.ResolutionServiceClient;
  meetings: deliberationV1.MeetingServiceClient;
  maintenanceFunds: deliberationV1.MaintenanceFundServiceClient;
  /** Served by the transcoder, not by these routes. */
  microProjects: deliberationV1.MicroProjectServiceClient;
  /** Served by the transcoder, not by these routes. */
  renovation: deliberationV1.RenovationServiceClient;
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
    microProjects: new deliberationV1.MicroProjectServiceClient(address, insecure, options),
    renovation: new deliberationV1.RenovationServiceClient(address, insecure, options),
  };
}

export function closeDeliberationClients(clients: DeliberationClients): void {
  for (const client of Object.values(clients)) client.close();
}
