import { type AreaDirectory, startAreaReplica } from "@civic/area-replica";
import { openServiceStorage } from "@civic/event-log";
import { startGrpcServer } from "@civic/service-kit";
import type { Logger } from "pino";
import { caringEnterpriseGrpcService } from "./adapters/caring-enterprise-grpc-service.js";
import { startCharityNeedConsumer } from "./adapters/charity-need-consumer.js";
import { charityProjectGrpcService } from "./adapters/charity-project-grpc-service.js";
import { densityGrpcService } from "./adapters/density-grpc-service.js";
import { incubationGrpcService } from "./adapters/incubation-grpc-service.js";
import { organisationGrpcService } from "./adapters/organisation-grpc-service.js";
import { socialWorkGrpcService } from "./adapters/social-work-grpc-service.js";
import {
  agencyAggregate,
  caringEnterpriseAggregate,
  charityProjectAggregate,
  cohortAggregate,
  incubationAggregate,
  incubatorAggregate,
  organisationAggregate,
  socialWorkerAggregate,
} from "./aggregates.js";
import { CaringEnterpriseDesk } from "./app/caring-enterprise-desk.js";
import { CharityProjectDesk } from "./app/charity-project-desk.js";
import { DensityDesk } from "./app/density-desk.js";
import { IncubationDesk } from "./app/incubation-desk.js";
import { OrganisationDesk } from "./app/organisation-desk.js";
import { SocialWorkDesk } from "./app/social-work-desk.js";
import type { SocialRegistryConfig } from "./config.js";
import { defaultDensityTargets } from "./domain/density.js";

export interface RunningSocialRegistry {
  grpcPort: number;
  /** The service's replica of grid-cases' areas (tests wait on it). */
  areas: AreaDirectory;
  /** Stops in order: no new calls, in-flight calls finish, events flushed, connections closed. */
  stops: { name: string; stop: () => Promise<void> }[];
}

/** Wires the social-registry service: storage, event log, use cases and the gRPC server. */
export async function startSocialRegistry(
  config: SocialRegistryConfig,
  logger: Logger,
): Promise<RunningSocialRegistry> {
  const { eventLog, consumerOptions, closers } = await openServiceStorage("social-registry", config, logger);
  const organisations = await eventLog.repository(organisationAggregate);
  const projectRepository = await eventLog.repository(charityProjectAggregate);
  const projects = new CharityProjectDesk(projectRepository, organisations);
  const agencies = await eventLog.repository(agencyAggregate);
  const workers = await eventLog.repository(socialWorkerAggregate);
  const incubatorRepository = await eventLog.repository(incubatorAggregate);
  const cohorts = await eventLog.repository(cohortAggregate);
  const incubations = await eventLog.repository(incubationAggregate);
  const enterprises = await eventLog.repository(caringEnterpriseAggregate);
  const socialWork = new SocialWorkDesk(agencies, workers);
  const needConsumer = await startCharityNeedConsumer(projects, consumerOptions);
  const incubators = new IncubationDesk(incubatorRepository, cohorts, incubations, organisations);
  const caringEnterprises = new CaringEnterpriseDesk(enterprises);
  const areaReplica = await startAreaReplica({ consumer: "social-registry", ...consumerOptions });
  const density = new DensityDesk(
    organisations,
    socialWork,
    areaReplica.directory,
    {
      organisationsPer10k:
        config.DENSITY_ORGANISATIONS_PER_10K_TARGET ?? defaultDensityTargets.organisationsPer10k,
      perUrbanCommunity: config.DENSITY_URBAN_COMMUNITY_TARGET ?? defaultDensityTargets.perUrbanCommunity,
      perRuralCommunity: config.DENSITY_RURAL_COMMUNITY_TARGET ?? defaultDensityTargets.perRuralCommunity,
      socialWorkersPer10k:
        config.DENSITY_SOCIAL_WORKERS_PER_10K_TARGET ?? defaultDensityTargets.socialWorkersPer10k,
    },
    config.DENSITY_DEFAULT_SETTLEMENT ?? "urban",
  );
  eventLog.startSweeper();
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      organisationGrpcService(new OrganisationDesk(organisations)),
      charityProjectGrpcService(projects),
      socialWorkGrpcService(socialWork),
      densityGrpcService(density),
      incubationGrpcService(incubators),
      caringEnterpriseGrpcService(caringEnterprises),
    ],
  });
  return {
    grpcPort: server.port,
    areas: areaReplica.directory,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      { name: "deliberation task consumer", stop: () => needConsumer.stop() },
      { name: "area replica", stop: () => areaReplica.stop() },
      ...closers,
    ],
  };
}
