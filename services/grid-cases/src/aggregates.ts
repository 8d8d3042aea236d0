import type { AggregateDescriptor } from "@civic/event-log";
import { type AreaEvent, type AreaState, evolveArea, initialAreaState } from "./domain/area.js";
import {
  type CalendarYearEvent,
  type CalendarYearState,
  evolveCalendarYear,
  initialCalendarYearState,
} from "./domain/calendar-year.js";
import { type CaseEvent, type CaseState, evolveCase, initialCaseState } from "./domain/case.js";
import {
  type CatalogueVersionEvent,
  type CatalogueVersionState,
  evolveCatalogueVersion,
  initialCatalogueVersionState,
} from "./domain/category-catalogue-version.js";
import {
  type CommunityStaffingEvent,
  type CommunityStaffingState,
  evolveCommunityStaffing,
  initialCommunityStaffingState,
} from "./domain/community-staffing.js";
import {
  type CommunityTaskEvent,
  type CommunityTaskState,
  evolveCommunityTask,
  initialCommunityTaskState,
} from "./domain/community-task.js";
import {
  type DepartmentEvent,
  type DepartmentState,
  evolveDepartment,
  initialDepartmentState,
} from "./domain/department.js";
import {
  type DisputeEvent,
  type DisputeState,
  evolveDispute,
  initialDisputeState,
} from "./domain/dispute.js";
import {
  type DutyListEvent,
  type DutyListState,
  evolveDutyList,
  initialDutyListState,
} from "./domain/duty-list.js";
import {
  type EmergencyNoticeEvent,
  type EmergencyNoticeState,
  evolveEmergencyNotice,
  evolveNoticeTally,
  initialEmergencyNoticeState,
  initialNoticeTallyState,
  type NoticeTallyEvent,
  type NoticeTallyState,
} from "./domain/emergency-notice.js";
import {
  evolvePatrol,
  evolvePatrolPlan,
  initialPatrolPlanState,
  initialPatrolState,
  type PatrolEvent,
  type PatrolPlanEvent,
  type PatrolPlanState,
  type PatrolState,
} from "./domain/grid-patrol.js";
import {
  evolveRoutingRules,
  initialRoutingRulesState,
  type RoutingRulesEvent,
  type RoutingRulesState,
} from "./domain/routing-rules.js";
import {
  evolveSafetyFollowUp,
  initialSafetyFollowUpState,
  type SafetyFollowUpEvent,
  type SafetyFollowUpState,
} from "./domain/safety-follow-up.js";
import {
  evolveSafetyIncident,
  initialSafetyIncidentState,
  type SafetyIncidentEvent,
  type SafetyIncidentState,
} from "./domain/safety-incident.js";
import {
  evolveSafetyPeriod,
  initialSafetyPeriodState,
  type SafetyPeriodEvent,
  type SafetyPeriodState,
} from "./domain/safety-period.js";

// The grid-cases service's aggregates: the prefix of each one's stream ids, the collection of
// its snapshots, and how its state follows from its events.

export const caseAggregate: AggregateDescriptor<CaseState, CaseEvent> = {
  kind: "case",
  collection: "cases",
  initialState: initialCaseState,
  evolve: evolveCase,
  // Case lists by reporter, department and area prefix (with category: possible duplicates); the SLA watcher's due cases.
  snapshotIndexes: [
    { name: "area_category", key: { "state.areaId": 1, "state.categoryCode": 1 } },
    { name: "submitted_by", key: { "state.submittedBy": 1, _id: 1 } },
    { name: "department", key: { "state.departmentId": 1, _id: 1 } },
    { name: "next_due_at", key: { "state.nextDueAt": 1 } },
  ],
};

export const areaAggregate: AggregateDescriptor<AreaState, AreaEvent> = {
  kind: "area",
  collection: "areas",
  initialState: initialAreaState,
  evolve: evolveArea,
  snapshotIndexes: [{ name: "parent_id", key: { "state.parentId": 1 } }],
};

export const departmentAggregate: AggregateDescriptor<DepartmentState, DepartmentEvent> = {
  kind: "department",
  collection: "departments",
  initialState: initialDepartmentState,
  evolve: evolveDepartment,
};

export const safetyPeriodAggregate: AggregateDescriptor<SafetyPeriodState, SafetyPeriodEvent> = {
  kind: "safety",
  collection: "safety_periods",
  initialState: initialSafetyPeriodState,
  evolve: evolveSafetyPeriod,
};

export const safetyIncidentAggregate: AggregateDescriptor<SafetyIncidentState, SafetyIncidentEvent> = {
  kind: "incident",
  collection: "safety_incidents",
  initialState: initialSafetyIncidentState,
  evolve: evolveSafetyIncident,
};

export const safetyFollowUpAggregate: AggregateDescriptor<SafetyFollowUpState, SafetyFollowUpEvent> = {
  kind: "safety_follow_up",
  collection: "safety_follow_ups",
  initialState: initialSafetyFollowUpState,
  evolve: evolveSafetyFollowUp,
};

export const calendarYearAggregate: AggregateDescriptor<CalendarYearState, CalendarYearEvent> = {
  kind: "calendar",
  collection: "calendar_years",
  initialState: initialCalendarYearState,
  evolve: evolveCalendarYear,
};

export const patrolPlanAggregate: AggregateDescriptor<PatrolPlanState, PatrolPlanEvent> = {
  kind: "patrol_plan",
  collection: "patrol_plans",
  initialState: initialPatrolPlanState,
  evolve: evolvePatrolPlan,
};

export const patrolAggregate: AggregateDescriptor<PatrolState, PatrolEvent> = {
  kind: "patrol",
  collection: "patrols",
  initialState: initialPatrolState,
  evolve: evolvePatrol,
  // Coverage reads a grid's patrols of one month.
  snapshotIndexes: [{ name: "grid_period", key: { "state.gridId": 1, "state.period": 1 } }],
};

export const catalogueVersionAggregate: AggregateDescriptor<CatalogueVersionState, CatalogueVersionEvent> = {
  kind: "case_categories",
  collection: "case_category_versions",
  initialState: initialCatalogueVersionState,
  evolve: evolveCatalogueVersion,
};

export const routingRulesAggregate: AggregateDescriptor<RoutingRulesState, RoutingRulesEvent> = {
  kind: "routing_rules",
  collection: "routing_rule_versions",
  initialState: initialRoutingRulesState,
  evolve: evolveRoutingRules,
};

export const communityStaffingAggregate: AggregateDescriptor<CommunityStaffingState, CommunityStaffingEvent> =
  {
    kind: "community_staffing",
    collection: "community_staffing",
    initialState: initialCommunityStaffingState,
    evolve: evolveCommunityStaffing,
    // Flagged communities by area.
    snapshotIndexes: [{ name: "flagged_community", key: { "state.flagged": 1, "state.communityId": 1 } }],
  };

export const emergencyNoticeAggregate: AggregateDescriptor<EmergencyNoticeState, EmergencyNoticeEvent> = {
  kind: "emergency_notice",
  collection: "emergency_notices",
  initialState: initialEmergencyNoticeState,
  evolve: evolveEmergencyNotice,
};

/** One community's check-ins to one notice: `<notice id>.<community id>`. */
export const noticeTallyAggregate: AggregateDescriptor<NoticeTallyState, NoticeTallyEvent> = {
  kind: "notice_tally",
  collection: "notice_tallies",
  initialState: initialNoticeTallyState,
  evolve: evolveNoticeTally,
};

/** A dispute's mediation; its id is the id of the case it mediates. */
export const disputeAggregate: AggregateDescriptor<DisputeState, DisputeEvent> = {
  kind: "dispute",
  collection: "disputes",
  initialState: initialDisputeState,
  evolve: evolveDispute,
  // Lists by area prefix, in id order.
  snapshotIndexes: [{ name: "area", key: { "state.areaId": 1, _id: 1 } }],
};

/** One version of an area's duty list: `<area id>.<version>`. */
export const dutyListAggregate: AggregateDescriptor<DutyListState, DutyListEvent> = {
  kind: "duty_list",
  collection: "duty_lists",
  initialState: initialDutyListState,
  evolve: evolveDutyList,
  // An area's newest version.
  snapshotIndexes: [{ name: "area_version", key: { "state.areaId": 1, "state.version": -1 } }],
};

/** A task handed to a community, accepted or refused. */
export const communityTaskAggregate: AggregateDescriptor<CommunityTaskState, CommunityTaskEvent> = {
  kind: "community_task",
  collection: "community_tasks",
  initialState: initialCommunityTaskState,
  evolve: evolveCommunityTask,
  // A community's tasks, in id (handing) order.
  snapshotIndexes: [{ name: "community", key: { "state.communityId": 1, _id: 1 } }],
};
