import { AreaCode } from "@civic/domain-kit";
/** Vocabulary and state of a grid case, free of any transport or storage concern. */

import type { RoutingRuleRef } from "./routing-rules.js";
import { type CaseDeadlines, type DeadlineKind, deadlineKinds } from "./sla.js";

export const channels = [
  "hotline_12345",
  "app",
  "grid_patrol",
  "party_visit",
  "deliberation",
  "walk_in",
  "open311",
] as const;
export type Channel = (typeof channels)[number];

/** The six request types of the 12345 hotline standards. */
export const requestTypes = ["consultation", "help", "complaint", "report", "suggestion", "praise"] as const;
export type RequestType = (typeof requestTypes)[number];

/** The lifecycle's states, in the order a case normally passes them. */
export const caseStatuses = [
  "submitted",
  "accepted",
  "rejected",
  "dispatched",
  "signed_for",
  "returned",
  "in_progress",
  "resolved",
  "visited",
  "closed",
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** How the resident judged the handling at the return visit (回访). */
export const satisfactions = ["satisfied", "basically_satisfied", "dissatisfied"] as const;
export type Satisfaction = (typeof satisfactions)[number];

/**
 * The other service whose event opened the case (a party member's visit, a deliberation
 * task). Events of such a case carry it back, so that service can follow its problem.
 */
export interface CaseOrigin {
  domain: string;
  /** The referring service's own id: a problem, a task. */
  reference: string;
}

/** How far a referred case has come, for the service that referred it. */
export interface TaskProgress {
  percent: number;
  note: string;
}

/** What events of a referred case carry back to the referring service. */
export interface ReferralFeedback {
  origin?: CaseOrigin;
  taskProgress?: TaskProgress;
}

/** A point in WGS 84 degrees. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface CaseSubmittedData extends ReferralFeedback {
  caseId: string;
  channel: Channel;
  requestType: RequestType;
  categoryCode: string;
  /** The catalogue version the case was filed under; absent on cases filed before it was recorded (version 1). */
  categoryVersion?: number;
  title: string;
  description: string;
  areaId: string;
  address: string;
  reporterName: string;
  anonymous: boolean;
  /** e.g. 138****5678; "" when no phone was given. */
  reporterPhoneMasked: string;
  /** AES-GCM sealed; opened only for roles that contact the reporter, and audited. */
  reporterPhoneSealed: string;
  submittedBy: string;
  /** ISO 8601 instant. */
  submittedAt: string;
  /** Set when the reporter gave coordinates (cases before it was recorded have none). */
  location?: GeoPoint;
  /** A public http(s) URL of a photo or video; absent when none was given. */
  mediaUrl?: string;
}

/**
 * Who did a lifecycle step and when (ISO 8601), with the case's area and category so that
 * consumers (statistics, other services) need not look the case up.
 */
export interface Actor extends ReferralFeedback {
  by: string;
  at: string;
  areaId: string;
  categoryCode: string;
}

export type CaseEvent =
  | { type: "case.submitted"; data: CaseSubmittedData }
  | { type: "case.accepted"; data: Actor & { deadlines: CaseDeadlines } }
  | { type: "case.rejected"; data: Actor & { reason: string } }
  | {
      type: "case.dispatched";
      /** `routingRule` when a routing rule dispatched the case at acceptance, absent when a dispatcher did. */
      data: Actor & { departmentId: string; routingRule?: RoutingRuleRef };
    }
  | { type: "case.signed_for"; data: Actor & { departmentId: string } }
  | { type: "case.returned"; data: Actor & { departmentId: string; reason: string; basis: string } }
  | { type: "case.work_started"; data: Actor }
  | {
      type: "case.resolved";
      data: Actor & { departmentId: string; result: string; firstResolution: boolean };
    }
  | { type: "case.return_visited"; data: Actor & { satisfaction: Satisfaction; comment: string } }
  | { type: "case.reopened"; data: Actor & { reason: string } }
  | {
      type: "case.closed";
      data: Actor & { departmentId: string; resolvedOnTime: boolean; wasOverdue: boolean };
    }
  | { type: "case.contacted"; data: Actor }
  | { type: "case.arrived"; data: Actor }
  | { type: "case.extended"; data: Actor & { reason: string; previousResolve: string; resolve: string } }
  | { type: "case.sla_breached"; data: Actor & { deadline: DeadlineKind; due: string } }
  | {
      type: "case.whistle_blown";
      data: Actor & { departmentIds: string[]; reason: string; reportBy: string };
    }
  | { type: "case.whistle_acknowledged"; data: Actor & { departmentId: string } }
  | { type: "case.whistle_arrival_reported"; data: Actor & { departmentId: string } }
  | { type: "case.whistle_overdue"; data: Actor & { departmentIds: string[]; reportBy: string } }
  | { type: "case.supervision_issued"; data: Actor & { note: string } };

export type CaseEventType = CaseEvent["type"];

/** One line of a case's timeline: who did what, when. */
export interface TimelineEntry {
  type: CaseEventType;
  by: string;
  at: string;
  note: string;
}

export interface OpenCase extends CaseSubmittedData {
  status: CaseStatus;
  departmentId: string;
  result: string;
  satisfaction: Satisfaction | "";
  reopenCount: number;
  timeline: TimelineEntry[];
  /** Fixed at acceptance; null before. */
  deadlines: CaseDeadlines | null;
  extensions: number;
  contactedAt: string;
  arrivedAt: string;
  resolvedAt: string;
  breaches: DeadlineKind[];
  /** The community's summons of departments (吹哨), while one is open. */
  whistle: Whistle | null;
  /** Supervision notices (督办) the command centre issued. */
  supervisions: number;
  /** The routing rule of the current dispatch; null when a dispatcher chose the department or none is chosen. */
  routedBy: RoutingRuleRef | null;
  /** The earliest deadline neither met nor recorded as passed; "" when none. The SLA watcher's index. */
  nextDueAt: string;
}

/** A summoned department's report (报到): it acknowledges, then arrives. */
export interface WhistleReport {
  departmentId: string;
  acknowledgedAt: string;
  arrivedAt: string;
}

export interface Whistle {
  reason: string;
  reportBy: string;
  reports: WhistleReport[];
  /** Set once the watcher escalated the departments still missing at `reportBy`. */
  escalated: boolean;
}

/** Departments summoned by the whistle that have not reported arrival. */
export function missingReports(whistle: Whistle): string[] {
  return whistle.reports.filter((report) => report.arrivedAt === "").map((report) => report.departmentId);
}

export type CaseState = { status: "none" } | OpenCase;

/**
 * Who may read the reporter's full phone: those who call the reporter back. The command
 * centre, and the staff of the area or of the department the case is dispatched to.
 */
export function mayReadReporterContact(
  state: OpenCase,
  actor: { roles: string[]; areas: string[]; department?: string },
): boolean {
  if (actor.roles.includes("command_centre")) return true;
  const inArea = AreaCode.anyCovers(actor.areas, state.areaId);
  if (inArea && (actor.roles.includes("community_staff") || actor.roles.includes("grid_worker"))) return true;
  return (
    actor.roles.includes("department_staff") &&
    actor.department !== undefined &&
    actor.department === state.departmentId
  );
}

/**
 * Who sees a case in full: its reporter (unless anonymous: anonymous callers share one
 * subject), the command centre and platform admins, staff of its area, and the department it
 * is dispatched to or summoned by its whistle. Anyone else holding its id, which works as a
 * tracking number, sees it {@link withoutPersonalDetails}.
 */
export function mayReadCaseInFull(
  state: OpenCase,
  actor: { subject: string; roles: string[]; areas: string[]; department?: string },
): boolean {
  if (state.submittedBy !== "anonymous" && state.submittedBy === actor.subject) return true;
  if (actor.roles.includes("platform_admin") || mayReadReporterContact(state, actor)) return true;
  return (
    actor.roles.includes("department_staff") &&
    (state.whistle?.reports.some((report) => report.departmentId === actor.department) ?? false)
  );
}

/** The case as the public may follow it: where it stands and when, without what residents wrote or who acted. */
export function withoutPersonalDetails(state: OpenCase): OpenCase {
  return {
    ...state,
    description: "",
    address: "",
    reporterName: "",
    reporterPhoneMasked: "",
    reporterPhoneSealed: "",
    submittedBy: "",
    result: "",
    whistle: state.whistle && { ...state.whistle, reason: "" },
    timeline: state.timeline.map((entry) => ({ ...entry, by: "", note: "" })),
  };
}

export const initialCaseState = (): CaseState => ({ status: "none" });

export function noteOf(event: CaseEvent): string {
  switch (event.type) {
    case "case.submitted":
      return event.data.title;
    case "case.rejected":
    case "case.reopened":
      return event.data.reason;
    case "case.dispatched": {
      const rule = event.data.routingRule;
      if (!rule) return event.data.departmentId;
      const scope = [
        rule.areaId && `area ${rule.areaId}`,
        rule.categoryCode && `category ${rule.categoryCode}`,
      ];
      return `${event.data.departmentId} (routing rules v${rule.version}: ${scope.filter(Boolean).join(", ")})`;
    }
    case "case.signed_for":
      return event.data.departmentId;
    case "case.returned":
      return `${event.data.reason} (basis: ${event.data.basis})`;
    case "case.resolved":
      return event.data.result;
    case "case.return_visited":
      return [event.data.satisfaction, event.data.comment].filter(Boolean).join(": ");
    case "case.extended":
      return `${event.data.reason} (due ${event.data.resolve})`;
    case "case.sla_breached":
      return `${event.data.deadline} deadline ${event.data.due} passed`;
    case "case.whistle_blown":
      return `${event.data.reason} (summoned: ${event.data.departmentIds.join(", ")}; report by ${event.data.reportBy})`;
    case "case.whistle_acknowledged":
    case "case.whistle_arrival_reported":
      return event.data.departmentId;
    case "case.whistle_overdue":
      return `not reported by ${event.data.reportBy}: ${event.data.departmentIds.join(", ")}`;
    case "case.supervision_issued":
      return event.data.note;
    default:
      return "";
  }
}

/** The status after each event; null keeps the status (steps that only record something). */
const statusAfter: Record<Exclude<CaseEventType, "case.submitted">, CaseStatus | null> = {
  "case.accepted": "accepted",
  "case.rejected": "rejected",
  "case.dispatched": "dispatched",
  "case.signed_for": "signed_for",
  "case.returned": "returned",
  "case.work_started": "in_progress",
  "case.resolved": "resolved",
  "case.return_visited": "visited",
  "case.reopened": "in_progress",
  "case.closed": "closed",
  "case.contacted": null,
  "case.arrived": null,
  "case.extended": null,
  "case.sla_breached": null,
  "case.whistle_blown": null,
  "case.whistle_acknowledged": null,
  "case.whistle_arrival_reported": null,
  "case.whistle_overdue": null,
  "case.supervision_issued": null,
};

const finishedStatuses: CaseStatus[] = ["rejected", "resolved", "visited", "closed"];

/** Whether a deadline still runs: set, not met, not already recorded as breached. */
export function deadlineRunning(state: OpenCase, kind: DeadlineKind): boolean {
  const due = state.deadlines?.[kind];
  if (!due || state.breaches.includes(kind)) return false;
  if (kind === "contact") return state.contactedAt === "";
  if (kind === "on_site") return state.arrivedAt === "";
  return state.resolvedAt === "" && !finishedStatuses.includes(state.status);
}

function withNextDue(state: OpenCase): OpenCase {
  const running = deadlineKinds
    .filter((kind) => deadlineRunning(state, kind))
    .map((kind) => state.deadlines?.[kind] as string)
    .sort();
  const whistle = state.whistle;
  if (whistle && !whistle.escalated && missingReports(whistle).length > 0) running.push(whistle.reportBy);
  running.sort();
  return { ...state, nextDueAt: running[0] ?? "" };
}

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === "case.submitted") {
    const entry = {
      type: event.type,
      by: event.data.submittedBy,
      at: event.data.submittedAt,
      note: noteOf(event),
    };
    const { taskProgress: _progress, ...submitted } = event.data;
    return {
      ...submitted,
      status: "submitted",
      departmentId: "",
      result: "",
      satisfaction: "",
      reopenCount: 0,
      timeline: [entry],
      deadlines: null,
      extensions: 0,
      contactedAt: "",
      arrivedAt: "",
      resolvedAt: "",
      breaches: [],
      whistle: null,
      supervisions: 0,
      routedBy: null,
      nextDueAt: "",
    };
  }
  if (state.status === "none") return state;
  return withNextDue(applyStep(state, event));
}

function applyStep(state: OpenCase, event: Exclude<CaseEvent, { type: "case.submitted" }>): OpenCase {
  const next: OpenCase = {
    ...state,
    status: statusAfter[event.type] ?? state.status,
    timeline: [
      ...state.timeline,
      { type: event.type, by: event.data.by, at: event.data.at, note: noteOf(event) },
    ],
  };
  switch (event.type) {
    case "case.dispatched":
      return { ...next, departmentId: event.data.departmentId, routedBy: event.data.routingRule ?? null };
    case "case.returned":
      return { ...next, departmentId: "", routedBy: null };
    case "case.accepted":
      return { ...next, deadlines: event.data.deadlines };
    case "case.resolved":
      return { ...next, result: event.data.result, resolvedAt: state.resolvedAt || event.data.at };
    case "case.contacted":
      return { ...next, contactedAt: event.data.at };
    case "case.arrived":
      return { ...next, arrivedAt: event.data.at };
    case "case.extended":
      return {
        ...next,
        extensions: state.extensions + 1,
        deadlines: state.deadlines && { ...state.deadlines, resolve: event.data.resolve },
      };
    case "case.sla_breached":
      return { ...next, breaches: [...state.breaches, event.data.deadline] };
    case "case.whistle_blown":
      return {
        ...next,
        whistle: {
          reason: event.data.reason,
          reportBy: event.data.reportBy,
          escalated: false,
          reports: event.data.departmentIds.map((departmentId) => ({
            departmentId,
            acknowledgedAt: "",
            arrivedAt: "",
          })),
        },
      };
    case "case.whistle_acknowledged":
    case "case.whistle_arrival_reported": {
      const field = event.type === "case.whistle_acknowledged" ? "acknowledgedAt" : "arrivedAt";
      const whistle = state.whistle;
      if (!whistle) return next;
      const reports = whistle.reports.map((report) =>
        report.departmentId === event.data.departmentId ? { ...report, [field]: event.data.at } : report,
      );
      return { ...next, whistle: { ...whistle, reports } };
    }
    case "case.whistle_overdue":
      return { ...next, whistle: state.whistle && { ...state.whistle, escalated: true } };
    case "case.supervision_issued":
      return { ...next, supervisions: state.supervisions + 1 };
    case "case.return_visited":
      return { ...next, satisfaction: event.data.satisfaction };
    case "case.reopened":
      return { ...next, reopenCount: state.reopenCount + 1, satisfaction: "", result: "" };
    default:
      return next;
  }
}
