import {
  AreaCode,
  FailedPreconditionError,
  hasAnyRole,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";
import {
  type Actor,
  type CaseEvent,
  type CaseState,
  type CaseStatus,
  deadlineRunning,
  missingReports,
  type OpenCase,
  type Satisfaction,
  satisfactions,
} from "./case.js";
import { withReferralFeedback } from "./case-referral.js";
import { deadlineKinds, type SlaClock } from "./sla.js";

/** Roles that act on cases; the gateway puts them in the caller's identity. */
export const caseRoles = {
  commandCentre: roles.commandCentre,
  communityStaff: roles.communityStaff,
  gridWorker: roles.gridWorker,
  departmentStaff: roles.departmentStaff,
} as const;

export interface CaseActor {
  subject: string;
  roles: string[];
  /** Area codes the actor is responsible for; a code covers every area that starts with it. */
  areas: string[];
  department?: string;
}

export type CaseCommand =
  | { kind: "accept" }
  | { kind: "reject"; reason: string }
  | { kind: "dispatch"; departmentId: string }
  | { kind: "sign_for" }
  | { kind: "return"; reason: string; basis: string }
  | { kind: "start_work" }
  | { kind: "resolve"; result: string }
  | { kind: "record_return_visit"; satisfaction: string; comment: string }
  | { kind: "reopen"; reason: string }
  | { kind: "close" }
  | { kind: "record_contact" }
  | { kind: "record_arrival" }
  | { kind: "extend"; reason: string }
  | { kind: "blow_whistle"; departmentIds: string[]; reason: string; reportWithinHours: number }
  | { kind: "acknowledge_whistle" }
  | { kind: "report_arrival" }
  | { kind: "issue_supervision"; note: string };

export type CaseCommandKind = CaseCommand["kind"];

/**
 * Who may act where: staff of the case's area (its grid code or an ancestor's prefix),
 * or the department the case was dispatched to.
 */
type Scope = "area" | "department" | "summoned";

interface Transition {
  from: CaseStatus[];
  roles: string[];
  scope: Scope;
}

const { commandCentre, communityStaff, gridWorker, departmentStaff } = caseRoles;

/** States in which a case is being handled: whistles and their reports happen here. */
const handling: CaseStatus[] = ["accepted", "dispatched", "signed_for", "returned", "in_progress"];

/** The lifecycle as data: for each command, the states it leaves and who may give it. */
export const caseTransitions: Record<CaseCommandKind, Transition> = {
  accept: { from: ["submitted"], roles: [commandCentre, communityStaff, gridWorker], scope: "area" },
  reject: { from: ["submitted"], roles: [commandCentre, communityStaff, gridWorker], scope: "area" },
  dispatch: { from: ["accepted", "returned"], roles: [commandCentre], scope: "area" },
  sign_for: { from: ["dispatched"], roles: [departmentStaff], scope: "department" },
  return: { from: ["dispatched"], roles: [departmentStaff], scope: "department" },
  start_work: { from: ["signed_for"], roles: [departmentStaff], scope: "department" },
  resolve: { from: ["in_progress"], roles: [departmentStaff], scope: "department" },
  record_return_visit: { from: ["resolved"], roles: [commandCentre, communityStaff], scope: "area" },
  reopen: { from: ["visited"], roles: [commandCentre], scope: "area" },
  close: { from: ["visited"], roles: [commandCentre], scope: "area" },
  record_contact: { from: ["signed_for", "in_progress"], roles: [departmentStaff], scope: "department" },
  record_arrival: { from: ["signed_for", "in_progress"], roles: [departmentStaff], scope: "department" },
  extend: { from: ["dispatched", "signed_for", "in_progress"], roles: [commandCentre], scope: "area" },
  blow_whistle: { from: handling, roles: [communityStaff, commandCentre], scope: "area" },
  acknowledge_whistle: { from: handling, roles: [departmentStaff], scope: "summoned" },
  report_arrival: { from: handling, roles: [departmentStaff], scope: "summoned" },
  issue_supervision: {
    from: [...handling, "submitted", "resolved", "visited"],
    roles: [commandCentre],
    scope: "area",
  },
};

/** A case is reopened at most once, and only after a dissatisfied return visit. */
export const maxReopens = 1;

/** The hours summoned departments have to report when the whistle names none. */
export const defaultWhistleHours = 24;

/** The most departments one whistle summons. */
export const maxWhistleDepartments = 20;

function requireText(field: string, value: string, max: number) {
  const length = [...value.trim()].length;
  if (length === 0) return { field, description: "must not be empty" };
  if (length > max) return { field, description: `must be at most ${max} characters` };
  return undefined;
}

function validate(command: CaseCommand): void {
  const violations = (() => {
    switch (command.kind) {
      case "reject":
      case "reopen":
      case "extend":
        return [requireText("reason", command.reason, 500)];
      case "dispatch":
        return [requireText("departmentId", command.departmentId, 64)];
      case "return":
        return [requireText("reason", command.reason, 500), requireText("basis", command.basis, 500)];
      case "resolve":
        return [requireText("result", command.result, 2000)];
      case "issue_supervision":
        return [requireText("note", command.note, 500)];
      case "blow_whistle": {
        const ids = command.departmentIds.map((id) => id.trim());
        return [
          requireText("reason", command.reason, 500),
          ids.length === 0 || ids.length > maxWhistleDepartments
            ? {
                field: "departmentIds",
                description: `must summon 1 to ${maxWhistleDepartments} departments`,
              }
            : undefined,
          ids.some((id) => id === "" || id.length > 64)
            ? { field: "departmentIds", description: "must be department ids of 1 to 64 characters" }
            : undefined,
          new Set(ids).size !== ids.length
            ? { field: "departmentIds", description: "must not repeat a department" }
            : undefined,
          Number.isInteger(command.reportWithinHours) &&
          command.reportWithinHours >= 1 &&
          command.reportWithinHours <= 168
            ? undefined
            : { field: "reportWithinHours", description: "must be a whole number of hours from 1 to 168" },
        ];
      }
      case "record_return_visit":
        return [
          satisfactions.includes(command.satisfaction as Satisfaction)
            ? undefined
            : { field: "satisfaction", description: `must be one of ${satisfactions.join(", ")}` },
          [...command.comment].length > 500
            ? { field: "comment", description: "must be at most 500 characters" }
            : undefined,
        ];
      default:
        return [];
    }
  })().filter((violation) => violation !== undefined);
  if (violations.length > 0) throw new InvalidArgumentError(violations);
}

function inScope(scope: Scope, current: OpenCase, actor: CaseActor): boolean {
  switch (scope) {
    case "area":
      return AreaCode.anyCovers(actor.areas, current.areaId);
    case "department":
      return actor.department !== undefined && actor.department === current.departmentId;
    case "summoned":
      return current.whistle?.reports.some((report) => report.departmentId === actor.department) ?? false;
  }
}

const outOfScope: Record<Scope, string> = {
  area: "is outside the caller's areas",
  department: "is not dispatched to the caller's department",
  summoned: "has no whistle summoning the caller's department",
};

function authorise(transition: Transition, current: OpenCase, actor: CaseActor, kind: CaseCommandKind): void {
  if (!hasAnyRole(actor, transition.roles)) {
    throw new PermissionDeniedError(`${kind} needs one of the roles ${transition.roles.join(", ")}`);
  }
  if (!inScope(transition.scope, current, actor)) {
    throw new PermissionDeniedError(`case ${current.caseId} ${outOfScope[transition.scope]}`);
  }
}

/**
 * Decides one lifecycle step: the input must be valid, the case must exist and be in a
 * state the step leaves, and the actor must have the role and the area or department.
 */
export function decideCaseTransition(
  command: CaseCommand,
  state: CaseState,
  actor: CaseActor,
  now: Date,
  sla: SlaClock,
): CaseEvent {
  validate(command);
  if (state.status === "none") throw new NotFoundError("case", "");
  const transition = caseTransitions[command.kind];
  if (!transition.from.includes(state.status)) {
    throw new FailedPreconditionError(
      `cannot ${command.kind.replaceAll("_", " ")} a case in state ${state.status}`,
      "INVALID_CASE_TRANSITION",
    );
  }
  authorise(transition, state, actor, command.kind);
  const by = {
    by: actor.subject,
    at: now.toISOString(),
    areaId: state.areaId,
    categoryCode: state.categoryCode,
  };
  return withReferralFeedback(state.origin, stepEvent(command, state, actor, by, now, sla));
}

function stepEvent(
  command: CaseCommand,
  state: OpenCase,
  actor: CaseActor,
  by: Actor,
  now: Date,
  sla: SlaClock,
): CaseEvent {
  switch (command.kind) {
    case "accept":
      return {
        type: "case.accepted",
        data: {
          ...by,
          deadlines: sla.deadlines(state.categoryCode, state.requestType, now, state.categoryVersion ?? 1),
        },
      };
    case "reject":
      return { type: "case.rejected", data: { ...by, reason: command.reason.trim() } };
    case "dispatch":
      return { type: "case.dispatched", data: { ...by, departmentId: command.departmentId.trim() } };
    case "sign_for":
      return { type: "case.signed_for", data: { ...by, departmentId: state.departmentId } };
    case "return":
      return {
        type: "case.returned",
        data: {
          ...by,
          departmentId: state.departmentId,
          reason: command.reason.trim(),
          basis: command.basis.trim(),
        },
      };
    case "start_work":
      return { type: "case.work_started", data: by };
    case "resolve":
      return {
        type: "case.resolved",
        data: {
          ...by,
          departmentId: state.departmentId,
          result: command.result.trim(),
          firstResolution: state.resolvedAt === "",
        },
      };
    case "record_return_visit":
      return {
        type: "case.return_visited",
        data: { ...by, satisfaction: command.satisfaction as Satisfaction, comment: command.comment.trim() },
      };
    case "reopen":
      if (state.satisfaction !== "dissatisfied") {
        throw new FailedPreconditionError(
          "only a case whose resident was dissatisfied can be reopened",
          "NOT_DISSATISFIED",
        );
      }
      if (state.reopenCount >= maxReopens) {
        throw new FailedPreconditionError(
          `case ${state.caseId} was already reopened once`,
          "REOPEN_LIMIT_REACHED",
        );
      }
      return { type: "case.reopened", data: { ...by, reason: command.reason.trim() } };
    case "close": {
      const due = state.deadlines?.resolve;
      const resolvedOnTime = state.resolvedAt !== "" && (!due || state.resolvedAt <= due);
      const wasOverdue = state.breaches.includes("resolve");
      return {
        type: "case.closed",
        data: { ...by, departmentId: state.departmentId, resolvedOnTime, wasOverdue },
      };
    }
    case "record_contact":
      return { type: "case.contacted", data: by };
    case "record_arrival":
      return { type: "case.arrived", data: by };
    case "blow_whistle":
      if (state.whistle && missingReports(state.whistle).length > 0) {
        throw new FailedPreconditionError(`case ${state.caseId} already has an open whistle`, "WHISTLE_OPEN");
      }
      return {
        type: "case.whistle_blown",
        data: {
          ...by,
          departmentIds: command.departmentIds.map((id) => id.trim()),
          reason: command.reason.trim(),
          reportBy: new Date(now.getTime() + command.reportWithinHours * 3_600_000).toISOString(),
        },
      };
    case "acknowledge_whistle":
    case "report_arrival": {
      const report = state.whistle?.reports.find((candidate) => candidate.departmentId === actor.department);
      const done = command.kind === "acknowledge_whistle" ? report?.acknowledgedAt : report?.arrivedAt;
      if (!report || done) {
        throw new FailedPreconditionError(
          `${actor.department} has already done this for case ${state.caseId}`,
          "ALREADY_REPORTED",
        );
      }
      if (command.kind === "report_arrival" && report.acknowledgedAt === "") {
        throw new FailedPreconditionError(
          "acknowledge the whistle before reporting arrival",
          "NOT_ACKNOWLEDGED",
        );
      }
      const type =
        command.kind === "acknowledge_whistle"
          ? "case.whistle_acknowledged"
          : "case.whistle_arrival_reported";
      return { type, data: { ...by, departmentId: report.departmentId } };
    }
    case "issue_supervision":
      if (state.breaches.length === 0 && !state.whistle?.escalated) {
        throw new FailedPreconditionError(`case ${state.caseId} is not overdue`, "NOT_OVERDUE");
      }
      return { type: "case.supervision_issued", data: { ...by, note: command.note.trim() } };
    case "extend": {
      const previousResolve = state.deadlines?.resolve ?? "";
      const resolve =
        previousResolve &&
        sla.extendedResolve(
          state.categoryCode,
          state.requestType,
          previousResolve,
          state.extensions,
          state.categoryVersion ?? 1,
        );
      if (!resolve) {
        throw new FailedPreconditionError(
          `case ${state.caseId} cannot be extended again`,
          "EXTENSION_LIMIT_REACHED",
        );
      }
      return {
        type: "case.extended",
        data: { ...by, reason: command.reason.trim(), previousResolve, resolve },
      };
    }
  }
}

/** The subject the SLA watcher records breaches as. */
export const slaWatcher = "system:sla-watcher";

/**
 * The first deadline of the case that has passed and is not yet recorded, as a breach
 * event (or, for a whistle, the escalation of the departments that did not report);
 * undefined when there is none. Two watchers deciding on the same version decide
 * the same event, and the event log lets exactly one of them commit it.
 */
export function decideSlaBreach(state: CaseState, now: Date): CaseEvent | undefined {
  if (state.status === "none") return undefined;
  const breach = passedDeadline(state, now);
  return breach && withReferralFeedback(state.origin, breach);
}

function passedDeadline(state: OpenCase, now: Date): CaseEvent | undefined {
  for (const kind of deadlineKinds) {
    const due = state.deadlines?.[kind];
    if (due && deadlineRunning(state, kind) && Date.parse(due) <= now.getTime()) {
      return {
        type: "case.sla_breached",
        data: {
          by: slaWatcher,
          at: now.toISOString(),
          areaId: state.areaId,
          categoryCode: state.categoryCode,
          deadline: kind,
          due,
        },
      };
    }
  }
  const whistle = state.whistle;
  const missing = whistle && !whistle.escalated ? missingReports(whistle) : [];
  if (whistle && missing.length > 0 && Date.parse(whistle.reportBy) <= now.getTime()) {
    return {
      type: "case.whistle_overdue",
      data: {
        by: slaWatcher,
        at: now.toISOString(),
        areaId: state.areaId,
        categoryCode: state.categoryCode,
        departmentIds: missing,
        reportBy: whistle.reportBy,
      },
    };
  }
  return undefined;
}
