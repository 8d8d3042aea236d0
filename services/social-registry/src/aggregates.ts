import type { AggregateDescriptor, SnapshotIndex } from "@civic/event-log";
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

// The social-registry service's aggregates: the prefix of each one's stream ids, the collection of
// its snapshots, and how its state follows from its events.

/** Lists by area: the index most of these aggregates' snapshots are read by. */
const byArea: SnapshotIndex[] = [{ name: "area", key: { "state.areaId": 1 } }];

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

export const charityProjectAggregate: AggregateDescriptor<CharityProjectState, CharityProjectEvent> = {
  kind: "project",
  collection: "charity_projects",
  initialState: initialCharityProjectState,
  evolve: evolveCharityProject,
  snapshotIndexes: byArea,
};

export const agencyAggregate: AggregateDescriptor<AgencyState, AgencyEvent> = {
  kind: "agency",
  collection: "social_work_agencies",
  initialState: initialAgencyState,
  evolve: evolveAgency,
  snapshotIndexes: byArea,
};

export const socialWorkerAggregate: AggregateDescriptor<SocialWorkerState, SocialWorkerEvent> = {
  kind: "worker",
  collection: "social_workers",
  initialState: initialSocialWorkerState,
  evolve: evolveSocialWorker,
  snapshotIndexes: [
    { name: "area", key: { "state.areaId": 1 } },
    { name: "agency", key: { "state.affiliation.agencyCreditCode": 1 } },
  ],
};

export const incubatorAggregate: AggregateDescriptor<IncubatorState, IncubatorEvent> = {
  kind: "incubator",
  collection: "incubators",
  initialState: initialIncubatorState,
  evolve: evolveIncubator,
  snapshotIndexes: byArea,
};

export const cohortAggregate: AggregateDescriptor<CohortState, CohortEvent> = {
  kind: "cohort",
  collection: "incubation_cohorts",
  initialState: initialCohortState,
  evolve: evolveCohort,
  snapshotIndexes: [{ name: "incubator", key: { "state.incubatorId": 1 } }],
};

export const incubationAggregate: AggregateDescriptor<IncubationState, IncubationEvent> = {
  kind: "incubation",
  collection: "incubations",
  initialState: initialIncubationState,
  evolve: evolveIncubation,
  snapshotIndexes: [{ name: "cohort", key: { "state.cohortId": 1 } }],
};

export const caringEnterpriseAggregate: AggregateDescriptor<CaringEnterpriseState, CaringEnterpriseEvent> = {
  kind: "enterprise",
  collection: "caring_enterprises",
  initialState: initialCaringEnterpriseState,
  evolve: evolveCaringEnterprise,
  snapshotIndexes: byArea,
};
