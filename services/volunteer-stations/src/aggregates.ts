import type { AggregateDescriptor, SnapshotIndex } from "@civic/event-log";
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

// The volunteer-stations service's aggregates: the prefix of each one's stream ids, the collection of
// its snapshots, and how its state follows from its events.

/** Lists by area, in id order: the index most of these aggregates' snapshots are read by. */
const byArea: SnapshotIndex[] = [{ name: "area_id", key: { "state.areaId": 1, _id: 1 } }];

export const stationAggregate: AggregateDescriptor<StationState, StationEvent> = {
  kind: "station",
  collection: "stations",
  initialState: initialStationState,
  evolve: evolveStation,
  snapshotIndexes: byArea,
};

export const teamAggregate: AggregateDescriptor<TeamState, TeamEvent> = {
  kind: "team",
  collection: "teams",
  initialState: initialTeamState,
  evolve: evolveTeam,
  snapshotIndexes: byArea,
};

export const volunteerAggregate: AggregateDescriptor<VolunteerState, VolunteerEvent> = {
  kind: "volunteer",
  collection: "volunteers",
  initialState: initialVolunteerState,
  evolve: evolveVolunteer,
  snapshotIndexes: byArea,
};

export const activityAggregate: AggregateDescriptor<ActivityState, ActivityEvent> = {
  kind: "activity",
  collection: "activities",
  initialState: initialActivityState,
  evolve: evolveActivity,
  snapshotIndexes: byArea,
};

export const activityRequestAggregate: AggregateDescriptor<ActivityRequestState, ActivityRequestEvent> = {
  kind: "activity_request",
  collection: "activity_requests",
  initialState: initialActivityRequestState,
  evolve: evolveActivityRequest,
  snapshotIndexes: byArea,
};

export const signUpAggregate: AggregateDescriptor<SignUpState, SignUpEvent> = {
  kind: "signup",
  collection: "sign_ups",
  initialState: initialSignUpState,
  evolve: evolveSignUp,
  snapshotIndexes: [{ name: "shift_status", key: { "state.shiftId": 1, "state.status": 1 } }],
};

export const serviceHoursAggregate: AggregateDescriptor<ServiceHoursState, ServiceHoursEvent> = {
  kind: "hours",
  collection: "service_hours",
  initialState: initialServiceHoursState,
  evolve: evolveServiceHours,
};

export const microWishAggregate: AggregateDescriptor<MicroWishState, MicroWishEvent> = {
  kind: "wish",
  collection: "micro_wishes",
  initialState: initialMicroWishState,
  evolve: evolveMicroWish,
  snapshotIndexes: byArea,
};

export const buildingAggregate: AggregateDescriptor<BuildingState, BuildingEvent> = {
  kind: "building",
  collection: "buildings",
  initialState: initialBuildingState,
  evolve: evolveBuilding,
  snapshotIndexes: [{ name: "community", key: { "state.communityId": 1 } }],
};
