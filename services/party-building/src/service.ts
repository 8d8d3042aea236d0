import { type AreaDirectory, startAreaReplica } from "@civic/area-replica";
import { partyBuildingV1 } from "@civic/contracts";
import { EventLog, SnapshotStore, startProjector, streamLimitsOf } from "@civic/event-log";
import { natsConnectionOptions, startGrpcServer } from "@civic/service-kit";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
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
import { BookingSlots, type SlotClaim } from "./app/booking-slots.js";
import { CentreBookings } from "./app/centre-bookings.js";
import { CoBuildingPairings } from "./app/co-building-pairings.js";
import { JointMeetings } from "./app/joint-meetings.js";
import { LiaisonDesk } from "./app/liaison-desk.js";
import { MemberRoll } from "./app/member-roll.js";
import { OrganisationTree } from "./app/organisation-tree.js";
import { ResidentialCompounds } from "./app/residential-compounds.js";
import { ServiceCentres } from "./app/service-centres.js";
import type { PartyBuildingConfig } from "./config.js";
import {
  type AgendaItemEvent,
  type AgendaItemState,
  evolveAgendaItem,
  initialAgendaItemState,
} from "./domain/agenda-item.js";
import {
  type BookingEvent,
  type BookingState,
  evolveBooking,
  initialBookingState,
} from "./domain/centre-booking.js";
import { type DutyEvent, type DutyState, evolveDuty, initialDutyState } from "./domain/centre-duty.js";
import {
  evolvePairing,
  initialPairingState,
  type PairingEvent,
  type PairingState,
} from "./domain/co-building-pairing.js";
import {
  evolveProblem,
  initialProblemState,
  type ProblemEvent,
  type ProblemState,
} from "./domain/collected-problem.js";
import {
  evolveJointMeeting,
  initialJointMeetingState,
  type JointMeetingEvent,
  type JointMeetingState,
} from "./domain/joint-meeting.js";
import {
  evolveJointSession,
  initialJointSessionState,
  type JointSessionEvent,
  type JointSessionState,
} from "./domain/joint-session.js";
import {
  type CadreEvent,
  type CadreState,
  evolveCadre,
  evolveVisit,
  initialCadreState,
  initialVisitState,
  type VisitEvent,
  type VisitState,
} from "./domain/liaison.js";
import { evolveMember, initialMemberState, type MemberEvent, type MemberState } from "./domain/member.js";
import {
  evolveOrganisation,
  initialOrganisationState,
  type OrganisationEvent,
  type OrganisationState,
} from "./domain/organisation.js";
import {
  type CompoundEvent,
  type CompoundState,
  evolveCompound,
  initialCompoundState,
} from "./domain/residential-compound.js";
import {
  type CentreEvent,
  type CentreState,
  evolveCentre,
  initialCentreState,
} from "./domain/service-centre.js";

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
  const mongo = new MongoClient(config.MONGODB_URI);
  await mongo.connect();
  const db = mongo.db(config.MONGODB_DATABASE);
  const nats = await connect(natsConnectionOptions(config, "party-building"));
  const eventLog = await EventLog.open({
    db,
    nats,
    domain: "party-building",
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
  await OrganisationTree.ensureIndexes(organisationSnapshots);
  const members = eventLog.repository<MemberState, MemberEvent>("member", "members", {
    initialState: initialMemberState,
    evolve: evolveMember,
  });
  const memberSnapshots = new SnapshotStore<MemberState>(db, "members").collection;
  await MemberRoll.ensureIndexes(memberSnapshots);
  const roll = new MemberRoll(
    members,
    memberSnapshots,
    organisations,
    new Map(Object.entries(config.COMMUNITY_SERVICE_POINTS)),
    uuidv7,
  );
  const tree = new OrganisationTree(organisations, organisationSnapshots, (ids) => roll.countIn(ids), uuidv7);
  const statisticsProjection = liaisonStatisticsProjection(eventLog.streamName, eventLog.store.subjectPrefix);
  const desk = new LiaisonDesk(
    eventLog.repository<CadreState, CadreEvent>("cadre", "liaison_cadres", {
      initialState: initialCadreState,
      evolve: evolveCadre,
    }),
    eventLog.repository<VisitState, VisitEvent>("visit", "visits", {
      initialState: initialVisitState,
      evolve: evolveVisit,
    }),
    eventLog.repository<ProblemState, ProblemEvent>("problem", "problems", {
      initialState: initialProblemState,
      evolve: evolveProblem,
    }),
    db,
    statisticsProjection,
    uuidv7,
  );
  const centreSnapshots = new SnapshotStore<CentreState>(db, "service_centres").collection;
  const dutySnapshots = new SnapshotStore<DutyState>(db, "centre_duties").collection;
  await ServiceCentres.ensureIndexes(centreSnapshots, dutySnapshots);
  const centres = new ServiceCentres(
    eventLog.repository<CentreState, CentreEvent>("centre", "service_centres", {
      initialState: initialCentreState,
      evolve: evolveCentre,
    }),
    centreSnapshots,
    eventLog.repository<DutyState, DutyEvent>("duty", "centre_duties", {
      initialState: initialDutyState,
      evolve: evolveDuty,
    }),
    dutySnapshots,
  );
  const slotClaims = db.collection<SlotClaim>("centre_booking_slots");
  await BookingSlots.ensureIndexes(slotClaims);
  const bookingSnapshots = new SnapshotStore<BookingState>(db, "centre_bookings").collection;
  await CentreBookings.ensureIndexes(bookingSnapshots);
  const bookings = new CentreBookings(
    eventLog.repository<BookingState, BookingEvent>("booking", "centre_bookings", {
      initialState: initialBookingState,
      evolve: evolveBooking,
    }),
    bookingSnapshots,
    new BookingSlots(slotClaims),
    centres,
    uuidv7,
  );
  const areaReplica = await startAreaReplica({
    consumer: "party-building",
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    namespace: config.EVENT_NAMESPACE,
  });
  const compoundSnapshots = new SnapshotStore<CompoundState>(db, "residential_compounds").collection;
  await ResidentialCompounds.ensureIndexes(compoundSnapshots);
  const compounds = new ResidentialCompounds(
    eventLog.repository<CompoundState, CompoundEvent>("compound", "residential_compounds", {
      initialState: initialCompoundState,
      evolve: evolveCompound,
    }),
    compoundSnapshots,
    organisations,
    members,
    areaReplica.directory,
  );
  // Every pairing of a community registers on its joint meeting's one stream, so concurrent
  // registrations lose versions to each other often: they are decided again, up to 24 times.
  const jointMeetingRepository = eventLog.repository<JointMeetingState, JointMeetingEvent>(
    "joint_meeting",
    "joint_meetings",
    { initialState: initialJointMeetingState, evolve: evolveJointMeeting },
    { maxAttempts: 24 },
  );
  const pairingSnapshots = new SnapshotStore<PairingState>(db, "co_building_pairings").collection;
  await CoBuildingPairings.ensureIndexes(pairingSnapshots);
  const pairings = new CoBuildingPairings(
    eventLog.repository<PairingState, PairingEvent>("pairing", "co_building_pairings", {
      initialState: initialPairingState,
      evolve: evolvePairing,
    }),
    pairingSnapshots,
    organisations,
    jointMeetingRepository,
    uuidv7,
  );
  const sessionSnapshots = new SnapshotStore<JointSessionState>(db, "joint_meeting_sessions").collection;
  const itemSnapshots = new SnapshotStore<AgendaItemState>(db, "agenda_items").collection;
  await JointMeetings.ensureIndexes(sessionSnapshots, itemSnapshots);
  const jointMeetings = new JointMeetings(
    jointMeetingRepository,
    eventLog.repository<JointSessionState, JointSessionEvent>("joint_session", "joint_meeting_sessions", {
      initialState: initialJointSessionState,
      evolve: evolveJointSession,
    }),
    sessionSnapshots,
    eventLog.repository<AgendaItemState, AgendaItemEvent>("agenda_item", "agenda_items", {
      initialState: initialAgendaItemState,
      evolve: evolveAgendaItem,
    }),
    itemSnapshots,
    areaReplica.directory,
    (communityAreaId, unitId, registrations, caller) =>
      pairings.settleForLeave(communityAreaId, unitId, registrations, caller),
    uuidv7,
  );
  const consumerOptions = { js: eventLog.js, jsm: eventLog.jsm, db, logger };
  const statisticsProjector = await startProjector(statisticsProjection, consumerOptions);
  const caseResolvedConsumer = await startCaseResolvedConsumer(desk, {
    ...consumerOptions,
    namespace: config.EVENT_NAMESPACE,
  });
  eventLog.startSweeper();
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      {
        name: "civic.party_building.v1.OrganisationService",
        definition: partyBuildingV1.OrganisationServiceService,
        implementation: organisationGrpcService(tree),
      },
      {
        name: "civic.party_building.v1.MemberService",
        definition: partyBuildingV1.MemberServiceService,
        implementation: memberGrpcService(roll),
      },
      {
        name: "civic.party_building.v1.LiaisonService",
        definition: partyBuildingV1.LiaisonServiceService,
        implementation: liaisonGrpcService(desk),
      },
      {
        name: "civic.party_building.v1.ServiceCentreService",
        definition: partyBuildingV1.ServiceCentreServiceService,
        implementation: serviceCentreGrpcService(centres, bookings),
      },
      {
        name: "civic.party_building.v1.CompoundService",
        definition: partyBuildingV1.CompoundServiceService,
        implementation: compoundGrpcService(compounds),
      },
      {
        name: "civic.party_building.v1.JointMeetingService",
        definition: partyBuildingV1.JointMeetingServiceService,
        implementation: jointMeetingGrpcService(jointMeetings, pairings),
      },
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
      { name: "event log", stop: () => eventLog.close() },
      { name: "NATS", stop: () => nats.drain() },
      { name: "MongoDB", stop: () => mongo.close() },
    ],
  };
}
