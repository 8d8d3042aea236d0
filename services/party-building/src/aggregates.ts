import type { AggregateDescriptor } from "@civic/event-log";
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

// The party-building service's aggregates: the prefix of each one's stream ids, the collection of
// its snapshots, and how its state follows from its events.

export const organisationAggregate: AggregateDescriptor<OrganisationState, OrganisationEvent> = {
  kind: "organisation",
  collection: "organisations",
  initialState: initialOrganisationState,
  evolve: evolveOrganisation,
  snapshotIndexes: [
    { name: "parent_id", key: { "state.parentId": 1 } },
    { name: "area", key: { "state.areaId": 1 } },
    { name: "category", key: { "state.category": 1 } },
    { name: "status", key: { "state.status": 1 } },
  ],
};

export const memberAggregate: AggregateDescriptor<MemberState, MemberEvent> = {
  kind: "member",
  collection: "members",
  initialState: initialMemberState,
  evolve: evolveMember,
  snapshotIndexes: [{ name: "organisation_id", key: { "state.organisationId": 1 } }],
};

export const cadreAggregate: AggregateDescriptor<CadreState, CadreEvent> = {
  kind: "cadre",
  collection: "liaison_cadres",
  initialState: initialCadreState,
  evolve: evolveCadre,
};

export const visitAggregate: AggregateDescriptor<VisitState, VisitEvent> = {
  kind: "visit",
  collection: "visits",
  initialState: initialVisitState,
  evolve: evolveVisit,
};

export const problemAggregate: AggregateDescriptor<ProblemState, ProblemEvent> = {
  kind: "problem",
  collection: "problems",
  initialState: initialProblemState,
  evolve: evolveProblem,
};

export const centreAggregate: AggregateDescriptor<CentreState, CentreEvent> = {
  kind: "centre",
  collection: "service_centres",
  initialState: initialCentreState,
  evolve: evolveCentre,
  snapshotIndexes: [{ name: "area_id", key: { "state.areaId": 1 } }],
};

export const dutyAggregate: AggregateDescriptor<DutyState, DutyEvent> = {
  kind: "duty",
  collection: "centre_duties",
  initialState: initialDutyState,
  evolve: evolveDuty,
  snapshotIndexes: [{ name: "centre_date", key: { "state.centreId": 1, "state.date": 1 } }],
};

export const bookingAggregate: AggregateDescriptor<BookingState, BookingEvent> = {
  kind: "booking",
  collection: "centre_bookings",
  initialState: initialBookingState,
  evolve: evolveBooking,
  snapshotIndexes: [
    { name: "centre_starts_at", key: { "state.centreId": 1, "state.startsAt": 1 } },
    { name: "resident_id", key: { "state.residentId": 1 } },
  ],
};

export const compoundAggregate: AggregateDescriptor<CompoundState, CompoundEvent> = {
  kind: "compound",
  collection: "residential_compounds",
  initialState: initialCompoundState,
  evolve: evolveCompound,
  snapshotIndexes: [{ name: "community_area_id", key: { "state.communityAreaId": 1 } }],
};

// Every pairing of a community registers on its joint meeting's one stream, so concurrent
// registrations lose versions to each other often: they are decided again, up to 24 times.
export const jointMeetingAggregate: AggregateDescriptor<JointMeetingState, JointMeetingEvent> = {
  kind: "joint_meeting",
  collection: "joint_meetings",
  initialState: initialJointMeetingState,
  evolve: evolveJointMeeting,
  maxAttempts: 24,
};

export const pairingAggregate: AggregateDescriptor<PairingState, PairingEvent> = {
  kind: "pairing",
  collection: "co_building_pairings",
  initialState: initialPairingState,
  evolve: evolvePairing,
  snapshotIndexes: [{ name: "community_status", key: { "state.communityAreaId": 1, "state.status": 1 } }],
};

export const jointSessionAggregate: AggregateDescriptor<JointSessionState, JointSessionEvent> = {
  kind: "joint_session",
  collection: "joint_meeting_sessions",
  initialState: initialJointSessionState,
  evolve: evolveJointSession,
  snapshotIndexes: [{ name: "community_area_id", key: { "state.communityAreaId": 1 } }],
};

export const agendaItemAggregate: AggregateDescriptor<AgendaItemState, AgendaItemEvent> = {
  kind: "agenda_item",
  collection: "agenda_items",
  initialState: initialAgendaItemState,
  evolve: evolveAgendaItem,
  snapshotIndexes: [{ name: "community_stage", key: { "state.communityAreaId": 1, "state.stage": 1 } }],
};
