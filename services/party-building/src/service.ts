import { type AreaDirectory, startAreaReplica } from "@civic/area-replica";
import { openServiceStorage, projectionReader, startProjector } from "@civic/event-log";
import { startGrpcServer } from "@civic/service-kit";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import { startCaseResolvedConsumer } from "./adapters/case-resolved-consumer.js";
import { compoundGrpcService } from "./adapters/compound-grpc-service.js";
import { jointMeetingGrpcService } from "./adapters/joint-meeting-grpc-service.js";
import { liaisonGrpcService } from "./adapters/liaison-grpc-service.js";
import { liaisonStatisticsProjection } from "./adapters/liaison-statistics-projection.js";
import { memberGrpcService } from "./adapters/member-grpc-service.js";
import { organisationGrpcService } from "./adapters/organisation-grpc-service.js";
import { serviceCentreGrpcService } from "./adapters/service-centre-grpc-service.js";
import {
  agendaItemAggregate,
  bookingAggregate,
  cadreAggregate,
  centreAggregate,
  compoundAggregate,
  dutyAggregate,
  jointMeetingAggregate,
  jointSessionAggregate,
  memberAggregate,
  organisationAggregate,
  pairingAggregate,
  problemAggregate,
  visitAggregate,
} from "./aggregates.js";
import { BookingSlots, type SlotClaim } from "./app/booking-slots.js";
import { CentreBookingDesk } from "./app/centre-booking-desk.js";
import { CompoundDesk } from "./app/compound-desk.js";
import { JointMeetingDesk } from "./app/joint-meeting-desk.js";
import { LiaisonDesk } from "./app/liaison-desk.js";
import { MemberDesk } from "./app/member-desk.js";
import { OrganisationDesk } from "./app/organisation-desk.js";
import { PairingDesk } from "./app/pairing-desk.js";
import { ServiceCentreDesk } from "./app/service-centre-desk.js";
import type { PartyBuildingConfig } from "./config.js";

export interface RunningPartyBuilding {
  grpcPort: number;
  /** Stops in order: no new calls, in-flight calls finish, events flushed, connections closed. */
  stops: { name: string; stop: () => Promise<void> }[];
  /** This service's replica of grid-cases' areas (tests wait on it after publishing areas). */
  areas: AreaDirectory;
}

/** Wires the party-building service: storage, event log, use cases and the gRPC server. */
export async function startPartyBuilding(
  config: PartyBuildingConfig,
  logger: Logger,
): Promise<RunningPartyBuilding> {
  const { db, eventLog, consumerOptions, closers } = await openServiceStorage(
    "party-building",
    config,
    logger,
  );
  const organisations = await eventLog.repository(organisationAggregate);
  const members = await eventLog.repository(memberAggregate);
  const cadres = await eventLog.repository(cadreAggregate);
  const visits = await eventLog.repository(visitAggregate);
  const problems = await eventLog.repository(problemAggregate);
  const centreRepository = await eventLog.repository(centreAggregate);
  const duties = await eventLog.repository(dutyAggregate);
  const bookingRepository = await eventLog.repository(bookingAggregate);
  const compoundRepository = await eventLog.repository(compoundAggregate);
  const jointMeetingStreams = await eventLog.repository(jointMeetingAggregate);
  const pairingRepository = await eventLog.repository(pairingAggregate);
  const sessions = await eventLog.repository(jointSessionAggregate);
  const agendaItems = await eventLog.repository(agendaItemAggregate);
  const roll = new MemberDesk(
    members,
    organisations,
    new Map(Object.entries(config.COMMUNITY_SERVICE_POINTS)),
    uuidv7,
  );
  const tree = new OrganisationDesk(organisations, (ids) => roll.countIn(ids), uuidv7);
  const statisticsProjection = liaisonStatisticsProjection(eventLog.streamName, eventLog.store.subjectPrefix);
  const desk = new LiaisonDesk(cadres, visits, problems, projectionReader(db, statisticsProjection), uuidv7);
  const centres = new ServiceCentreDesk(centreRepository, duties);
  const slotClaims = db.collection<SlotClaim>("centre_booking_slots");
  await BookingSlots.ensureIndexes(slotClaims);
  const bookings = new CentreBookingDesk(bookingRepository, new BookingSlots(slotClaims), centres, uuidv7);
  const areaReplica = await startAreaReplica({ consumer: "party-building", ...consumerOptions });
  const compounds = new CompoundDesk(compoundRepository, organisations, members, areaReplica.directory);
  const pairings = new PairingDesk(pairingRepository, organisations, jointMeetingStreams, uuidv7);
  const jointMeetings = new JointMeetingDesk(
    jointMeetingStreams,
    sessions,
    agendaItems,
    areaReplica.directory,
    (communityAreaId, unitId, registrations, caller) =>
      pairings.settleForLeave(communityAreaId, unitId, registrations, caller),
    uuidv7,
  );
  const statisticsProjector = await startProjector(statisticsProjection, consumerOptions);
  const caseResolvedConsumer = await startCaseResolvedConsumer(desk, consumerOptions);
  eventLog.startSweeper();
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      organisationGrpcService(tree),
      memberGrpcService(roll),
      liaisonGrpcService(desk),
      serviceCentreGrpcService(centres, bookings),
      compoundGrpcService(compounds),
      jointMeetingGrpcService(jointMeetings, pairings),
    ],
  });
  return {
    grpcPort: server.port,
    areas: areaReplica.directory,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      { name: "case-resolved consumer", stop: () => caseResolvedConsumer.stop() },
      { name: "liaison statistics projector", stop: () => statisticsProjector.stop() },
      { name: "area replica", stop: () => areaReplica.stop() },
      ...closers,
    ],
  };
}
