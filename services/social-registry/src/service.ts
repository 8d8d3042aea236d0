import { socialRegistryV1 } from "@civic/contracts";
import { EventLog, SnapshotStore } from "@civic/event-log";
import { startGrpcServer } from "@civic/service-kit";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import type { Logger } from "pino";
import { organisationGrpcService } from "./adapters/organisation-grpc-service.js";
import { OrganisationRegistry } from "./app/organisation-registry.js";
import type { SocialRegistryConfig } from "./config.js";
import {
  evolveOrganisation,
  initialOrganisationState,
  type OrganisationEvent,
  type OrganisationState,
} from "./domain/organisation.js";

export interface RunningSocialRegistry {
  grpcPort: number;
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
  const nats = await connect({ servers: config.NATS_URL, name: "social-registry", maxReconnectAttempts: -1 });
  const eventLog = await EventLog.open({
    db,
    nats,
    domain: "social-registry",
    namespace: config.EVENT_NAMESPACE,
    logger,
  });
  const organisations = eventLog.repository<OrganisationState, OrganisationEvent>(
    "organisation",
    "organisations",
    { initialState: initialOrganisationState, evolve: evolveOrganisation },
  );
  const organisationSnapshots = new SnapshotStore<OrganisationState>(db, "organisations").collection;
  await OrganisationRegistry.ensureIndexes(organisationSnapshots);
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
    ],
  });
  return {
    grpcPort: server.port,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      { name: "event log", stop: () => eventLog.close() },
      { name: "NATS", stop: () => nats.drain() },
      { name: "MongoDB", stop: () => mongo.close() },
    ],
  };
}
