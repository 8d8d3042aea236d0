/** Vocabulary and state of a grid case, free of any transport or storage concern. */

export const channels = [
  "hotline_12345",
  "app",
  "grid_patrol",
  "party_visit",
  "deliberation",
  "walk_in",
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

export interface CaseSubmittedData {
  caseId: string;
  channel: Channel;
  requestType: RequestType;
  categoryCode: string;
  title: string;
  description: string;
  areaId: string;
  address: string;
  reporterName: string;
  submittedBy: string;
  /** ISO 8601 instant. */
  submittedAt: string;
}

/** Who did a lifecycle step and when (ISO 8601). */
export interface Actor {
  by: string;
  at: string;
}

export type CaseEvent =
  | { type: "case.submitted"; data: CaseSubmittedData }
  | { type: "case.accepted"; data: Actor }
  | { type: "case.rejected"; data: Actor & { reason: string } }
  | { type: "case.dispatched"; data: Actor & { departmentId: string } }
  | { type: "case.signed_for"; data: Actor & { departmentId: string } }
  | { type: "case.returned"; data: Actor & { departmentId: string; reason: string; basis: string } }
  | { type: "case.work_started"; data: Actor }
  | { type: "case.resolved"; data: Actor & { result: string } }
  | { type: "case.return_visited"; data: Actor & { satisfaction: Satisfaction; comment: string } }
  | { type: "case.reopened"; data: Actor & { reason: string } }
  | { type: "case.closed"; data: Actor };

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
}

export type CaseState = { status: "none" } | OpenCase;

export const initialCaseState = (): CaseState => ({ status: "none" });

function noteOf(event: CaseEvent): string {
  switch (event.type) {
    case "case.submitted":
      return event.data.title;
    case "case.rejected":
    case "case.reopened":
      return event.data.reason;
    case "case.dispatched":
    case "case.signed_for":
      return event.data.departmentId;
    case "case.returned":
      return `${event.data.reason} (basis: ${event.data.basis})`;
    case "case.resolved":
      return event.data.result;
    case "case.return_visited":
      return [event.data.satisfaction, event.data.comment].filter(Boolean).join(": ");
    default:
      return "";
  }
}

const statusAfter: Record<Exclude<CaseEventType, "case.submitted">, CaseStatus> = {
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
};

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === "case.submitted") {
    const entry = {
      type: event.type,
      by: event.data.submittedBy,
      at: event.data.submittedAt,
      note: noteOf(event),
    };
    return {
      ...event.data,
      status: "submitted",
      departmentId: "",
      result: "",
      satisfaction: "",
      reopenCount: 0,
      timeline: [entry],
    };
  }
  if (state.status === "none") return state;
  const next: OpenCase = {
    ...state,
    status: statusAfter[event.type],
    timeline: [
      ...state.timeline,
      { type: event.type, by: event.data.by, at: event.data.at, note: noteOf(event) },
    ],
  };
  switch (event.type) {
    case "case.dispatched":
      return { ...next, departmentId: event.data.departmentId };
    case "case.returned":
      return { ...next, departmentId: "" };
    case "case.resolved":
      return { ...next, result: event.data.result };
    case "case.return_visited":
      return { ...next, satisfaction: event.data.satisfaction };
    case "case.reopened":
      return { ...next, reopenCount: state.reopenCount + 1, satisfaction: "", result: "" };
    default:
      return next;
  }
}
