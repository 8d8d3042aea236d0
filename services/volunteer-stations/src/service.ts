import { volunteerStationsV1 } from "@civic/contracts";
import { EventLog, SnapshotStore } from "@civic/event-log";
import { startGrpcServer } from "@civic/service-kit";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import type { Logger } from "pino";
import { stationGrpcService } from "./adapters/station-grpc-service.js";
import { StationDirectory } from "./app/station-directory.js";
import type { VolunteerStationsConfig } from "./config.js";
import {
  evolveStation,
  initialStationState,
  type StationEvent,
  type StationState,
} from "./domain/station.js";
import { evolveTeam, initialTeamState, type TeamEvent, type TeamState } from "./domain/team.js";

export interface RunningVolunteerStations {
  grpcPort: number;
  /** Stops in order: no new calls, in-flight calls finish, events flushed, connections closed. */
  stops: { name: string; stop: () => Promise<void> }[];
}

export interface VolunteerStationsOptions {
  /** The service's clock; tests pass a fake one. */
  now?: () => Date;
}

/** Wires the volunteer-stations service: storage, event log, use cases and the gRPC server. */
export async function startVolunteerStations(
  config: VolunteerStationsConfig,
  logger: Logger,
  options: VolunteerStationsOptions = {},
): Promise<RunningVolunteerStations> {
  const now = options.now ?? (() => new Date());
  const mongo = new MongoClient(config.MONGODB_URI);
  await mongo.connect();
  const db = mongo.db(config.MONGODB_DATABASE);
  const nats = await connect({
    servers: config.NATS_URL,
    name: "volunteer-stations",
    maxReconnectAttempts: -1,
  });
  const eventLog = await EventLog.open({
    db,
    nats,
    domain: "volunteer-stations",
    namespace: config.EVENT_NAMESPACE,
    logger,
    now,
  });
  const stations = eventLog.repository<StationState, StationEvent>("station", "stations", {
    initialState: initialStationState,
    evolve: evolveStation,
  });
  const teams = eventLog.repository<TeamState, TeamEvent>("team", "teams", {
    initialState: initialTeamState,
    evolve: evolveTeam,
  });
  const stationSnapshots = new SnapshotStore<StationState>(db, "stations").collection;
  const teamSnapshots = new SnapshotStore<TeamState>(db, "teams").collection;
  await StationDirectory.ensureIndexes(stationSnapshots, teamSnapshots);
  const directory = new StationDirectory(stations, stationSnapshots, teams, teamSnapshots, now);
  eventLog.startSweeper();
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      {
        name: "civic.volunteer_stations.v1.StationService",
        definition: volunteerStationsV1.StationServiceService,
        implementation: stationGrpcService(directory),
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
