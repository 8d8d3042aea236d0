import { type AreaDirectory, startAreaReplica } from "@civic/area-replica";
import { socialRegistryV1 } from "@civic/contracts";
import { EventLog, SnapshotStore, streamLimitsOf } from "@civic/event-log";
import { natsConnectionOptions, startGrpcServer } from "@civic/service-kit";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import type { Logger } from "pino";
import { caringEnterpriseGrpcService } from "./adapters/caring-enterprise-grpc-service.js";
import { startCharityNeedConsumer } from "./adapters/charity-need-consumer.js";
import { charityProjectGrpcService } from "./adapters/charity-project-grpc-service.js";
import { densityGrpcService } from "./adapters/density-grpc-service.js";
import { incubationGrpcService } from "./adapters/incubation-grpc-service.js";
import { organisationGrpcService } from "./adapters/organisation-grpc-service.js";
import { socialWorkGrpcService } from "./adapters/social-work-grpc-service.js";
import { CaringEnterprises } from "./app/caring-enterprises.js";
import { CharityProjects } from "./app/charity-projects.js";
import { DensityMetrics } from "./app/density-metrics.js";
import { Incubators } from "./app/incubators.js";
import { OrganisationRegistry } from "./app/organisation-registry.js";
import { SocialWorkRegistry } from "./app/social-work-registry.js";
import type { SocialRegistryConfig } from "./config.js";
import {
  type CaringEnterpriseEvent,
  type CaringEnterpriseState,
  evolveCaringEnterprise,
  initialCaringEnterpriseState,
} from "./domain/caring-enterprise.js";
import {
  type CharityProjectEvent,
  type CharityProjectState,
  evolveCharityProject,
  initialCharityProjectState,
} from "./domain/charity-project.js";
import { defaultDensityTargets } from "./domain/density.js";
import {
  type CohortEvent,
  type CohortState,
  evolveCohort,
  evolveIncubation,
  evolveIncubator,
  type IncubationEvent,
  type IncubationState,
  type IncubatorEvent,
  type IncubatorState,
  initialCohortState,
  initialIncubationState,
  initialIncubatorState,
} from "./domain/incubation.js";
import {
  evolveOrganisation,
  initialOrganisationState,
  type OrganisationEvent,
  type OrganisationState,
} from "./domain/organisation.js";
import {
  type AgencyEvent,
  type AgencyState,
  evolveAgency,
  evolveSocialWorker,
  initialAgencyState,
  initialSocialWorkerState,
  type SocialWorkerEvent,
  type SocialWorkerState,
} from "./domain/social-work.js";

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
  const mongo = new MongoClient(config.MONGODB_URI);
  await mongo.connect();
  const db = mongo.db(config.MONGODB_DATABASE);
  const nats = await connect(natsConnectionOptions(config, "social-registry"));
  const eventLog = await EventLog.open({
    db,
    nats,
    domain: "social-registry",
    namespace: config.EVENT_NAMESPACE,
    stream: streamLimitsOf(config),
    logger,
  });
  const organisations = eventLog.repository<OrganisationState, OrganisationEvent>(
    "organisation",
    "organisations",
    { initialState: initialOrganisationState, evolve: evolveOrganisation },
  );
  const organisationSnapshots = new SnapshotStore<OrganisationState>(db, "organisations").collection;
  await OrganisationRegistry.ensureIndexes(organisationSnapshots);
  const projectRepository = eventLog.repository<CharityProjectState, CharityProjectEvent>(
    "project",
    "charity_projects",
    { initialState: initialCharityProjectState, evolve: evolveCharityProject },
  );
  const projectSnapshots = new SnapshotStore<CharityProjectState>(db, "charity_projects").collection;
  await CharityProjects.ensureIndexes(projectSnapshots);
  const projects = new CharityProjects(projectRepository, projectSnapshots, organisations);
  const agencies = eventLog.repository<AgencyState, AgencyEvent>("agency", "social_work_agencies", {
    initialState: initialAgencyState,
    evolve: evolveAgency,
  });
  const agencySnapshots = new SnapshotStore<AgencyState>(db, "social_work_agencies").collection;
  const workers = eventLog.repository<SocialWorkerState, SocialWorkerEvent>("worker", "social_workers", {
    initialState: initialSocialWorkerState,
    evolve: evolveSocialWorker,
  });
  const workerSnapshots = new SnapshotStore<SocialWorkerState>(db, "social_workers").collection;
  await SocialWorkRegistry.ensureIndexes(agencySnapshots, workerSnapshots);
  const socialWork = new SocialWorkRegistry(agencies, agencySnapshots, workers, workerSnapshots);
  const needConsumer = await startCharityNeedConsumer(projects, {
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    namespace: config.EVENT_NAMESPACE,
  });
  const incubatorSnapshots = new SnapshotStore<IncubatorState>(db, "incubators").collection;
  const cohortSnapshots = new SnapshotStore<CohortState>(db, "incubation_cohorts").collection;
  const incubationSnapshots = new SnapshotStore<IncubationState>(db, "incubations").collection;
  await Incubators.ensureIndexes(incubatorSnapshots, cohortSnapshots, incubationSnapshots);
  const incubators = new Incubators(
    eventLog.repository<IncubatorState, IncubatorEvent>("incubator", "incubators", {
      initialState: initialIncubatorState,
      evolve: evolveIncubator,
    }),
    incubatorSnapshots,
    eventLog.repository<CohortState, CohortEvent>("cohort", "incubation_cohorts", {
      initialState: initialCohortState,
      evolve: evolveCohort,
    }),
    cohortSnapshots,
    eventLog.repository<IncubationState, IncubationEvent>("incubation", "incubations", {
      initialState: initialIncubationState,
      evolve: evolveIncubation,
    }),
    incubationSnapshots,
    organisations,
  );
  const enterpriseSnapshots = new SnapshotStore<CaringEnterpriseState>(db, "caring_enterprises").collection;
  await CaringEnterprises.ensureIndexes(enterpriseSnapshots);
  const caringEnterprises = new CaringEnterprises(
    eventLog.repository<CaringEnterpriseState, CaringEnterpriseEvent>("enterprise", "caring_enterprises", {
      initialState: initialCaringEnterpriseState,
      evolve: evolveCaringEnterprise,
    }),
    enterpriseSnapshots,
  );
  const areaReplica = await startAreaReplica({
    consumer: "social-registry",
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    namespace: config.EVENT_NAMESPACE,
  });
  const density = new DensityMetrics(
    organisationSnapshots,
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
      {
        name: "civic.social_registry.v1.OrganisationService",
        definition: socialRegistryV1.OrganisationServiceService,
        implementation: organisationGrpcService(
          new OrganisationRegistry(organisations, organisationSnapshots),
        ),
      },
      {
        name: "civic.social_registry.v1.CharityProjectService",
        definition: socialRegistryV1.CharityProjectServiceService,
        implementation: charityProjectGrpcService(projects),
      },
      {
        name: "civic.social_registry.v1.SocialWorkService",
        definition: socialRegistryV1.SocialWorkServiceService,
        implementation: socialWorkGrpcService(socialWork),
      },
      {
        name: "civic.social_registry.v1.DensityService",
        definition: socialRegistryV1.DensityServiceService,
        implementation: densityGrpcService(density),
      },
      {
        name: "civic.social_registry.v1.IncubationService",
        definition: socialRegistryV1.IncubationServiceService,
        implementation: incubationGrpcService(incubators),
      },
      {
        name: "civic.social_registry.v1.CaringEnterpriseService",
        definition: socialRegistryV1.CaringEnterpriseServiceService,
        implementation: caringEnterpriseGrpcService(caringEnterprises),
      },
    ],
  });
  return {
    grpcPort: server.port,
    areas: areaReplica.directory,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      { name: "deliberation task consumer", stop: () => needConsumer.stop() },
      { name: "area replica", stop: () => areaReplica.stop() },
      { name: "event log", stop: () => eventLog.close() },
      { name: "NATS", stop: () => nats.drain() },
      { name: "MongoDB", stop: () => mongo.close() },
    ],
  };
}
