import { createHash } from "node:crypto";
import {
  type Caller,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import { type ReceivedActivityRequest, stationServesRequest } from "./activity-request.js";
import { managesArea } from "./authority.js";
import { StationFieldChecks } from "./field-checks.js";

/** Where an activity came from when another domain asked for it (TEAM contract 3). */
export interface Origin {
  domain: string;
  reference: string;
}

/** How far the task an activity fulfils has come, for the domain that asked for it. */
export interface TaskProgress {
  percent: number;
  note: string;
}

export interface Shift {
  shiftId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
}

export type ActivityStatus = "published" | "completed" | "cancelled";

export interface PublishedActivity {
  status: ActivityStatus;
  activityId: string;
  stationId: string;
  areaId: string;
  title: string;
  description: string;
  organiserId: string;
  shifts: Shift[];
  origin: Origin | null;
  publishedAt: string;
  /** SHA-256 of the current check-in and check-out code per shift: the codes are never stored. */
  codes: Record<string, { checkIn?: string; checkOut?: string }>;
}

export type ActivityState = { status: "none" } | PublishedActivity;

type TaskFields = { origin?: Origin; taskProgress?: TaskProgress };

export type ActivityEvent =
  | {
      type: "activity.published";
      data: Omit<PublishedActivity, "status" | "publishedAt" | "codes" | "origin"> & {
        by: string;
        at: string;
      } & TaskFields;
    }
  | {
      type: "activity.shift_code_issued";
      data: { shiftId: string; purpose: CodePurpose; codeHash: string; by: string; at: string };
    }
  | { type: "activity.completed"; data: { by: string; at: string; note: string } & TaskFields }
  | { type: "activity.cancelled"; data: { by: string; at: string; reason: string } & TaskFields };

export const codePurposes = ["check_in", "check_out"] as const;
export type CodePurpose = (typeof codePurposes)[number];

export interface PublishActivity {
  activityId: string;
  stationId: string;
  title: string;
  description: string;
  shifts: { startsAt?: Date | undefined; endsAt?: Date | undefined; capacity: number }[];
}

export const initialActivityState = (): ActivityState => ({ status: "none" });

export function evolveActivity(state: ActivityState, event: ActivityEvent): ActivityState {
  if (event.type === "activity.published") {
    const { by: _by, at, origin, taskProgress: _progress, ...activity } = event.data;
    return { status: "published", ...activity, origin: origin ?? null, publishedAt: at, codes: {} };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "activity.shift_code_issued": {
      const { shiftId, purpose, codeHash } = event.data;
      const key = purpose === "check_in" ? "checkIn" : "checkOut";
      return { ...state, codes: { ...state.codes, [shiftId]: { ...state.codes[shiftId], [key]: codeHash } } };
    }
    case "activity.completed":
      return { ...state, status: "completed" };
    case "activity.cancelled":
      return { ...state, status: "cancelled" };
  }
}

export const shiftIdOf = (activityId: string, index: number) => `${activityId}.${index + 1}`;

/** The activity a shift id belongs to: "<activityId>.<n>". */
export function activityIdOfShift(shiftId: string): string {
  const dot = shiftId.lastIndexOf(".");
  if (dot <= 0 || !/^\d{1,3}$/.test(shiftId.slice(dot + 1)))
    throw new InvalidArgumentError([
      { field: "shiftId", description: "must be <activityId>.<shift number>" },
    ]);
  return shiftId.slice(0, dot);
}

export function findShift(
  state: ActivityState,
  shiftId: string,
): { activity: PublishedActivity; shift: Shift } {
  if (state.status === "none") throw new NotFoundError("shift", shiftId);
  const shift = state.shifts.find((candidate) => candidate.shiftId === shiftId);
  if (!shift) throw new NotFoundError("shift", shiftId);
  return { activity: state, shift };
}

/** The organiser, their station's managers and staff of the area run an activity. */
export function mayOrganise(
  activity: PublishedActivity,
  caller: Caller,
  stationManagerIds: string[],
): boolean {
  return (
    caller.subject === activity.organiserId ||
    stationManagerIds.includes(caller.subject) ||
    managesArea(caller, activity.areaId)
  );
}

export function requireOrganiser(
  activity: PublishedActivity,
  caller: Caller,
  stationManagerIds: string[],
): void {
  if (!mayOrganise(activity, caller, stationManagerIds))
    throw new PermissionDeniedError(
      "only the organiser, the station's managers or staff of the area may do this",
    );
}

const maxShiftMinutes = 12 * 60;

/** How far a requested activity's task has come once a station published it (completion: 100). */
const publishedPercent = 10;

/**
 * `station`: the station that hosts it, as loaded (undefined when unknown); `request`: the
 * requested activity it publishes, whose origin it takes and whose area the station must serve.
 */
export function decidePublishActivity(
  command: PublishActivity,
  state: ActivityState,
  station: { areaId: string; managerIds: string[] } | undefined,
  caller: Caller,
  now: Date,
  request?: ReceivedActivityRequest,
): ActivityEvent {
  const checks = new StationFieldChecks()
    .text("title", command.title, { max: 100 })
    .text("description", command.description, { max: 2_000, optional: true })
    .check("stationId", station !== undefined, `${command.stationId} is not a registered station`)
    .check(
      "stationId",
      !station || !request || stationServesRequest(station.areaId, request),
      `does not serve area ${request?.areaId} of the request`,
    )
    .check("shifts", command.shifts.length >= 1 && command.shifts.length <= 50, "must have 1 to 50 shifts");
  command.shifts.forEach((shift, index) => {
    const field = `shifts[${index}]`;
    const { startsAt, endsAt } = shift;
    checks
      .check(
        `${field}.capacity`,
        Number.isInteger(shift.capacity) && shift.capacity >= 1 && shift.capacity <= 10_000,
        "must be 1 to 10,000",
      )
      .check(`${field}.startsAt`, startsAt !== undefined && startsAt > now, "must be in the future");
    if (startsAt && endsAt) {
      const minutes = (endsAt.getTime() - startsAt.getTime()) / 60_000;
      checks.check(
        `${field}.endsAt`,
        minutes > 0 && minutes <= maxShiftMinutes,
        "must be after startsAt, at most 12 hours",
      );
    } else checks.add(`${field}.endsAt`, "is required");
  });
  checks.throwIfAny();
  if (!station) throw new Error("unreachable: station checked above");
  if (!station.managerIds.includes(caller.subject) && !managesArea(caller, station.areaId))
    throw new PermissionDeniedError(
      "activities are published by the station's managers or staff of its area",
    );
  if (state.status !== "none")
    throw new FailedPreconditionError(`activity ${command.activityId} already exists`, "ACTIVITY_EXISTS");
  return {
    type: "activity.published",
    data: {
      activityId: command.activityId,
      stationId: command.stationId,
      areaId: station.areaId,
      title: command.title.trim(),
      description: command.description.trim(),
      organiserId: caller.subject,
      shifts: command.shifts.map((shift, index) => ({
        shiftId: shiftIdOf(command.activityId, index),
        startsAt: (shift.startsAt as Date).toISOString(),
        endsAt: (shift.endsAt as Date).toISOString(),
        capacity: shift.capacity,
      })),
      by: caller.subject,
      at: now.toISOString(),
      ...(request
        ? {
            origin: request.origin,
            taskProgress: { percent: publishedPercent, note: `activity published: ${command.title.trim()}` },
          }
        : {}),
    },
  };
}

export const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");

export function decideIssueShiftCode(
  shiftId: string,
  purpose: string,
  code: string,
  state: ActivityState,
  caller: Caller,
  stationManagerIds: string[],
  now: Date,
): ActivityEvent {
  new StationFieldChecks().oneOf("purpose", purpose, codePurposes).throwIfAny();
  const { activity } = findShift(state, shiftId);
  requireOrganiser(activity, caller, stationManagerIds);
  if (activity.status !== "published")
    throw new FailedPreconditionError(
      `activity ${activity.activityId} is ${activity.status}`,
      "ACTIVITY_CLOSED",
    );
  return {
    type: "activity.shift_code_issued",
    data: {
      shiftId,
      purpose: purpose as CodePurpose,
      codeHash: hashCode(code),
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

/** Throws unless `code` is the shift's current code for `purpose`. */
export function requireShiftCode(
  activity: PublishedActivity,
  shiftId: string,
  purpose: CodePurpose,
  code: string,
): void {
  const expected = activity.codes[shiftId]?.[purpose === "check_in" ? "checkIn" : "checkOut"];
  if (!expected || expected !== hashCode(code))
    throw new InvalidArgumentError([
      { field: "code", description: `is not this shift's ${purpose.replace("_", "-")} code` },
    ]);
}

export function decideCloseActivity(
  outcome: "completed" | "cancelled",
  note: string,
  state: ActivityState,
  activityId: string,
  caller: Caller,
  stationManagerIds: string[],
  now: Date,
): ActivityEvent {
  new StationFieldChecks().text("note", note, { max: 500, optional: true }).throwIfAny();
  if (state.status === "none") throw new NotFoundError("activity", activityId);
  requireOrganiser(state, caller, stationManagerIds);
  if (state.status !== "published")
    throw new FailedPreconditionError(`activity ${activityId} is already ${state.status}`, "ACTIVITY_CLOSED");
  const task = state.origin
    ? {
        origin: state.origin,
        taskProgress: {
          percent: 100,
          note: outcome === "completed" ? note || "activity completed" : `activity cancelled: ${note}`,
        },
      }
    : {};
  return outcome === "completed"
    ? {
        type: "activity.completed",
        data: { by: caller.subject, at: now.toISOString(), note: note.trim(), ...task },
      }
    : {
        type: "activity.cancelled",
        data: { by: caller.subject, at: now.toISOString(), reason: note.trim(), ...task },
      };
}
