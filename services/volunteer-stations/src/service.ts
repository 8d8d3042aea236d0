import { startAreaReplica } from "@civic/area-replica";
import { openServiceStorage } from "@civic/event-log";
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
import {
  activityAggregate,
  activityRequestAggregate,
  buildingAggregate,
  microWishAggregate,
  serviceHoursAggregate,
  signUpAggregate,
  stationAggregate,
  teamAggregate,
  volunteerAggregate,
} from "./aggregates.js";
import { ActivityDesk } from "./app/activity-desk.js";
import { ActivityRequestDesk } from "./app/activity-request-desk.js";
import { BuildingHeadDesk } from "./app/building-head-desk.js";
import { MicroWishDesk, type WishClaim } from "./app/micro-wish-desk.js";
import { type LedgerEntry, ServiceHoursDesk } from "./app/service-hours-desk.js";
import { type SeatClaim, ShiftSeats } from "./app/shift-seats.js";
import { SignUpDesk } from "./app/sign-up-desk.js";
import { StationDesk } from "./app/station-desk.js";
import { type PersonalDataRead, VolunteerDesk } from "./app/volunteer-desk.js";
import type { VolunteerStationsConfig } from "./config.js";

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
  const { db, eventLog, consumerOptions, closers } = await openServiceStorage(
    "volunteer-stations",
    config,
    logger,
    {
      now,
      ...(options.onMongoCommand ? { onMongoCommand: options.onMongoCommand } : {}),
    },
  );
  const stations = await eventLog.repository(stationAggregate);
  const teams = await eventLog.repository(teamAggregate);
  const directory = new StationDesk(stations, teams, now);

  const volunteers = await eventLog.repository(volunteerAggregate);
  const registry = new VolunteerDesk(
    volunteers,
    new PersonalDataProtector(config.PERSONAL_DATA_KEY, config.PERSONAL_DATA_PREVIOUS_KEYS),
    db.collection<PersonalDataRead>("personal_data_reads"),
    now,
  );

  const activities = await eventLog.repository(activityAggregate);
  const activityRequests = await eventLog.repository(activityRequestAggregate);
  const requests = new ActivityRequestDesk(activityRequests, activities);
  const activityTasks = await startActivityTaskConsumer(requests, consumerOptions);
  const board = new ActivityDesk(activities, stations, requests, uuidv7, now);
  const signUps = await eventLog.repository(signUpAggregate);
  const seatClaims = db.collection<SeatClaim>("shift_seats");
  await ShiftSeats.ensureIndexes(seatClaims);
  const shiftSignUps = new SignUpDesk(signUps, new ShiftSeats(seatClaims, now), board, registry, logger, now);
  const serviceHours = await eventLog.repository(serviceHoursAggregate);
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
  const wishes = await eventLog.repository(microWishAggregate);
  const wishBoard = new MicroWishDesk(
    wishes,
    db.collection<WishClaim>("micro_wish_claims"),
    config.MICRO_WISH_MAX_VALUE_FEN,
    uuidv7,
    now,
  );
  const areaReplica = await startAreaReplica({ consumer: "volunteer-stations", ...consumerOptions });
  const buildings = await eventLog.repository(buildingAggregate);
  const buildingHeads = new BuildingHeadDesk(buildings, areaReplica.directory, now);
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
      stationGrpcService(directory),
      volunteerGrpcService(registry, hoursDesk),
      activityGrpcService(board, requests, shiftSignUps, hoursDesk),
      neighbourhoodGrpcService(wishBoard, buildingHeads),
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
