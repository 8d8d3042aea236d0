import { startAreaReplica } from "@civic/area-replica";
import { volunteerStationsV1 } from "@civic/contracts";
import { openServiceStorage, SnapshotStore } from "@civic/event-log";
import {
  PeriodicRound,
  PersonalDataProtector,
  type RunningService,
  startGrpcServer,
} from "@civic/service-kit";
import type { CommandStartedEvent } from "mongodb";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import { activityGrpcService } from "./adapters/activity-grpc-service.js";
import { startActivityTaskConsumer } from "./adapters/activity-task-consumer.js";
import { neighbourhoodGrpcService } from "./adapters/neighbourhood-grpc-service.js";
import { startServiceHoursConsumer } from "./adapters/service-hours-consumer.js";
import { stationGrpcService } from "./adapters/station-grpc-service.js";
import { volunteerGrpcService } from "./adapters/volunteer-grpc-service.js";
import { ActivityBoard } from "./app/activity-board.js";
import { ActivityRequests } from "./app/activity-requests.js";
import { BuildingHeads } from "./app/building-heads.js";
import { MicroWishBoard, type WishClaim } from "./app/micro-wish-board.js";
import { type LedgerEntry, ServiceHoursDesk } from "./app/service-hours-desk.js";
import { type SeatClaim, ShiftSeats } from "./app/shift-seats.js";
import { ShiftSignUps } from "./app/shift-sign-ups.js";
import { StationDirectory } from "./app/station-directory.js";
import { type PersonalDataRead, VolunteerRegistry } from "./app/volunteer-registry.js";
import type { VolunteerStationsConfig } from "./config.js";
import {
  type ActivityEvent,
  type ActivityState,
  evolveActivity,
  initialActivityState,
} from "./domain/activity.js";
import {
  type ActivityRequestEvent,
  type ActivityRequestState,
  evolveActivityRequest,
  initialActivityRequestState,
} from "./domain/activity-request.js";
import {
  type BuildingEvent,
  type BuildingState,
  evolveBuilding,
  initialBuildingState,
} from "./domain/building-head.js";
import {
  evolveMicroWish,
  initialMicroWishState,
  type MicroWishEvent,
  type MicroWishState,
} from "./domain/micro-wish.js";
import {
  evolveServiceHours,
  initialServiceHoursState,
  type ServiceHoursEvent,
  type ServiceHoursState,
} from "./domain/service-hours.js";
import { evolveSignUp, initialSignUpState, type SignUpEvent, type SignUpState } from "./domain/signup.js";
import {
  evolveStation,
  initialStationState,
  type StationEvent,
  type StationState,
} from "./domain/station.js";
import { evolveTeam, initialTeamState, type TeamEvent, type TeamState } from "./domain/team.js";
import {
  evolveVolunteer,
  initialVolunteerState,
  type VolunteerEvent,
  type VolunteerState,
} from "./domain/volunteer.js";

export type RunningVolunteerStations = RunningService;

export interface VolunteerStationsOptions {
  /** The service's clock; tests pass a fake one. */
  now?: () => Date;
  /** Sees every database command (the benchmark counts them). */
  onMongoCommand?: (event: CommandStartedEvent) => void;
}

/** Wires the volunteer-stations service: storage, event log, use cases and the gRPC server. */
export async function startVolunteerStations(
  config: VolunteerStationsConfig,
  logger: Logger,
  options: VolunteerStationsOptions = {},
): Promise<RunningVolunteerStations> {
  const now = options.now ?? (() => new Date());
  const { db, eventLog, closers } = await openServiceStorage("volunteer-stations", config, logger, {
    now,
    ...(options.onMongoCommand ? { onMongoCommand: options.onMongoCommand } : {}),
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

  const volunteers = eventLog.repository<VolunteerState, VolunteerEvent>("volunteer", "volunteers", {
    initialState: initialVolunteerState,
    evolve: evolveVolunteer,
  });
  const volunteerSnapshots = new SnapshotStore<VolunteerState>(db, "volunteers").collection;
  await VolunteerRegistry.ensureIndexes(volunteerSnapshots);
  const registry = new VolunteerRegistry(
    volunteers,
    volunteerSnapshots,
    new PersonalDataProtector(config.PERSONAL_DATA_KEY, config.PERSONAL_DATA_PREVIOUS_KEYS),
    db.collection<PersonalDataRead>("personal_data_reads"),
    now,
  );

  const activities = eventLog.repository<ActivityState, ActivityEvent>("activity", "activities", {
    initialState: initialActivityState,
    evolve: evolveActivity,
  });
  const activitySnapshots = new SnapshotStore<ActivityState>(db, "activities").collection;
  await ActivityBoard.ensureIndexes(activitySnapshots);
  const activityRequests = eventLog.repository<ActivityRequestState, ActivityRequestEvent>(
    "activity_request",
    "activity_requests",
    { initialState: initialActivityRequestState, evolve: evolveActivityRequest },
  );
  const activityRequestSnapshots = new SnapshotStore<ActivityRequestState>(db, "activity_requests")
    .collection;
  await ActivityRequests.ensureIndexes(activityRequestSnapshots);
  const requests = new ActivityRequests(activityRequests, activityRequestSnapshots, activitySnapshots);
  const activityTasks = await startActivityTaskConsumer(requests, {
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    namespace: config.EVENT_NAMESPACE,
  });
  const board = new ActivityBoard(activities, activitySnapshots, stations, requests, uuidv7, now);
  const signUps = eventLog.repository<SignUpState, SignUpEvent>("signup", "sign_ups", {
    initialState: initialSignUpState,
    evolve: evolveSignUp,
  });
  const signUpSnapshots = new SnapshotStore<SignUpState>(db, "sign_ups").collection;
  await ShiftSignUps.ensureIndexes(signUpSnapshots);
  const seatClaims = db.collection<SeatClaim>("shift_seats");
  await ShiftSeats.ensureIndexes(seatClaims);
  const shiftSignUps = new ShiftSignUps(
    signUps,
    signUpSnapshots,
    new ShiftSeats(seatClaims, now),
    board,
    registry,
    logger,
    now,
  );
  const serviceHours = eventLog.repository<ServiceHoursState, ServiceHoursEvent>("hours", "service_hours", {
    initialState: initialServiceHoursState,
    evolve: evolveServiceHours,
  });
  const ledger = db.collection<LedgerEntry>("service_hour_ledger");
  await ServiceHoursDesk.ensureIndexes(ledger);
  const hoursDesk = new ServiceHoursDesk(serviceHours, ledger, signUps, volunteers, board, now);
  const hoursConsumer = await startServiceHoursConsumer(hoursDesk, {
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    stream: eventLog.streamName,
    subjectPrefix: eventLog.store.subjectPrefix,
  });
  const wishes = eventLog.repository<MicroWishState, MicroWishEvent>("wish", "micro_wishes", {
    initialState: initialMicroWishState,
    evolve: evolveMicroWish,
  });
  const wishSnapshots = new SnapshotStore<MicroWishState>(db, "micro_wishes").collection;
  await MicroWishBoard.ensureIndexes(wishSnapshots);
  const wishBoard = new MicroWishBoard(
    wishes,
    wishSnapshots,
    db.collection<WishClaim>("micro_wish_claims"),
    config.MICRO_WISH_MAX_VALUE_FEN,
    uuidv7,
    now,
  );
  const areaReplica = await startAreaReplica({
    consumer: "volunteer-stations",
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    namespace: config.EVENT_NAMESPACE,
  });
  const buildings = eventLog.repository<BuildingState, BuildingEvent>("building", "buildings", {
    initialState: initialBuildingState,
    evolve: evolveBuilding,
  });
  const buildingSnapshots = new SnapshotStore<BuildingState>(db, "buildings").collection;
  await BuildingHeads.ensureIndexes(buildingSnapshots);
  const buildingHeads = new BuildingHeads(buildings, buildingSnapshots, areaReplica.directory, now);
  const housekeeping = new PeriodicRound(
    "sign-up housekeeping",
    async () => {
      await shiftSignUps.autoCheckOut();
      await shiftSignUps.reclaimSeatsForWaitlists();
    },
    logger,
  );
  housekeeping.start(config.SIGN_UP_HOUSEKEEPING_INTERVAL_MS);
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
      {
        name: "civic.volunteer_stations.v1.VolunteerService",
        definition: volunteerStationsV1.VolunteerServiceService,
        implementation: volunteerGrpcService(registry, hoursDesk),
      },
      {
        name: "civic.volunteer_stations.v1.ActivityService",
        definition: volunteerStationsV1.ActivityServiceService,
        implementation: activityGrpcService(board, requests, shiftSignUps, hoursDesk),
      },
      {
        name: "civic.volunteer_stations.v1.NeighbourhoodService",
        definition: volunteerStationsV1.NeighbourhoodServiceService,
        implementation: neighbourhoodGrpcService(wishBoard, buildingHeads),
      },
    ],
  });
  return {
    grpcPort: server.port,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      { name: "sign-up housekeeping", stop: () => housekeeping.stop() },
      { name: "service-hours consumer", stop: () => hoursConsumer.stop() },
      { name: "activity-task consumer", stop: () => activityTasks.stop() },
      { name: "area replica", stop: () => areaReplica.stop() },
      ...closers,
    ],
  };
}
