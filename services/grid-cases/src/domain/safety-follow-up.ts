import {
  AreaCode,
  type Caller,
  FailedPreconditionError,
  FieldChecks,
  hasAnyRole,
  NotFoundError,
  roles,
} from "@civic/domain-kit";
import type { SafetyLevel } from "./safety-index.js";

/**
 * When a street's published safety index turns orange or red, the 六位一体 work opens three
 * follow-up tasks for it: analysis of the causes (分析研判), supervision of the remedies
 * (督导检查) and accountability (问责). They are opened once per street and month, on the
 * stream `safety_follow_up-<street>_<month>` whose first version only one publication can
 * write, and each is tracked to closure with its outcome.
 */
export const followUpTaskKinds = ["analysis", "supervision", "accountability"] as const;
export type FollowUpTaskKind = (typeof followUpTaskKinds)[number];

/** The levels that call for follow-up. */
export const followUpLevels: readonly SafetyLevel[] = ["orange", "red"];

export interface FollowUpTask {
  kind: FollowUpTaskKind;
  status: "open" | "closed";
  outcome: string;
  closedBy: string;
  closedAt: string;
}

export interface SafetyFollowUpOpenedData {
  areaId: string;
  period: string;
  level: SafetyLevel;
  score: number;
  openedAt: string;
}

export type SafetyFollowUpEvent =
  | { type: "safety_follow_up.opened"; data: SafetyFollowUpOpenedData }
  | {
      type: "safety_follow_up.task_closed";
      data: {
        areaId: string;
        period: string;
        kind: FollowUpTaskKind;
        outcome: string;
        by: string;
        at: string;
      };
    };

export type SafetyFollowUpState =
  | { status: "none" }
  | (SafetyFollowUpOpenedData & { status: "open" | "closed"; tasks: FollowUpTask[] });
export type SafetyFollowUp = Exclude<SafetyFollowUpState, { status: "none" }>;

export const initialSafetyFollowUpState = (): SafetyFollowUpState => ({ status: "none" });

export const safetyFollowUpId = (areaId: string, period: string) => `${areaId}_${period}`;

export function evolveSafetyFollowUp(
  state: SafetyFollowUpState,
  event: SafetyFollowUpEvent,
): SafetyFollowUpState {
  if (event.type === "safety_follow_up.opened") {
    return {
      ...event.data,
      status: "open",
      tasks: followUpTaskKinds.map((kind) => ({
        kind,
        status: "open",
        outcome: "",
        closedBy: "",
        closedAt: "",
      })),
    };
  }
  if (state.status === "none") return state;
  const tasks = state.tasks.map((task) =>
    task.kind === event.data.kind
      ? {
          ...task,
          status: "closed" as const,
          outcome: event.data.outcome,
          closedBy: event.data.by,
          closedAt: event.data.at,
        }
      : task,
  );
  return { ...state, tasks, status: tasks.every((task) => task.status === "closed") ? "closed" : "open" };
}

/** The follow-up a published index calls for: a street's, at orange or red; otherwise none. */
export function decideOpenFollowUp(published: {
  areaId: string;
  period: string;
  level: SafetyLevel;
  score: number;
  at: string;
}): SafetyFollowUpEvent | undefined {
  if (AreaCode.level(published.areaId) !== "street" || !followUpLevels.includes(published.level)) {
    return undefined;
  }
  return {
    type: "safety_follow_up.opened",
    data: {
      areaId: published.areaId,
      period: published.period,
      level: published.level,
      score: published.score,
      openedAt: published.at,
    },
  };
}

export function requireFollowUp(state: SafetyFollowUpState, areaId: string, period: string): SafetyFollowUp {
  if (state.status === "none") throw new NotFoundError("safety follow-up of", `${areaId} ${period}`);
  return state;
}

/** Follow-up tasks are closed by the command centre or by staff of the street. */
export const mayCloseFollowUpTasks = (caller: Caller, streetId: string): boolean =>
  hasAnyRole(caller, [roles.commandCentre]) ||
  (hasAnyRole(caller, [roles.streetStaff]) && AreaCode.anyCovers(caller.areas, streetId));

/** Closes one task with its outcome; a task closed already stays as it was closed. */
export function decideCloseFollowUpTask(
  followUp: SafetyFollowUp,
  command: { kind: string; outcome: string; by: string; at: Date },
): SafetyFollowUpEvent {
  new FieldChecks()
    .oneOf("kind", command.kind, followUpTaskKinds)
    .requiredText("outcome", command.outcome, 1000)
    .throwIfAny();
  const task = followUp.tasks.find((candidate) => candidate.kind === command.kind);
  if (task?.status === "closed") {
    throw new FailedPreconditionError(
      `the ${command.kind} task of ${followUp.areaId} ${followUp.period} was closed by ${task.closedBy} at ${task.closedAt}`,
      "FOLLOW_UP_TASK_CLOSED",
    );
  }
  return {
    type: "safety_follow_up.task_closed",
    data: {
      areaId: followUp.areaId,
      period: followUp.period,
      kind: command.kind as FollowUpTaskKind,
      outcome: command.outcome.trim(),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}
