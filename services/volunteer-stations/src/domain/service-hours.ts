import {
  type Caller,
  FailedPreconditionError,
  FieldChecks,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { PublishedActivity, Shift } from "./activity.js";
import { mayOrganise } from "./activity.js";

/**
 * The hours one volunteer served on one shift (id: the sign-up's id, "<shiftId>~<volunteerId>";
 * a checked-out sign-up is final, so there is one record per sign-up). Recorded from a
 * verified check-in and check-out (or by the organiser when codes could not be used),
 * pending until the organising side approves or declines; never deleted. Approved minutes
 * reach the volunteer's ledger; a correction of approved minutes is posted as a reversing
 * entry and a new one.
 */
export type ServiceHoursStatus = "none" | "pending" | "approved" | "declined";

export interface ServiceHoursState {
  status: ServiceHoursStatus;
  recordId: string;
  volunteerId: string;
  activityId: string;
  shiftId: string;
  areaId: string;
  minutes: number;
  /** The shift's length: recorded minutes never exceed it. */
  shiftMinutes: number;
  /** "check_out" (verified by the shift's codes), "auto_check_out" (24-hour rule) or "organiser". */
  source: ServiceHoursSource;
  /** Set when the hours come from the automatic check-out: someone should look at them. */
  flagged: boolean;
  recordedBy: string;
  recordedAt: string;
  decidedBy: string;
  decidedAt: string;
  declineReason: string;
  /** The shift's start, the date of service on a certificate. */
  servedOn: string;
}

export type ServiceHoursSource = "check_out" | "auto_check_out" | "organiser";

interface RecordIds {
  recordId: string;
  volunteerId: string;
  activityId: string;
  shiftId: string;
  areaId: string;
}

export type ServiceHoursEvent =
  | {
      type: "hours.recorded";
      data: RecordIds & {
        minutes: number;
        shiftMinutes: number;
        source: ServiceHoursSource;
        flagged: boolean;
        servedOn: string;
        note: string;
        by: string;
        at: string;
      };
    }
  | { type: "hours.approved"; data: RecordIds & { minutes: number; by: string; at: string } }
  | { type: "hours.declined"; data: RecordIds & { reason: string; by: string; at: string } }
  | {
      type: "hours.corrected";
      data: RecordIds & {
        previousMinutes: number;
        minutes: number;
        /** Whether the previous minutes were on the ledger (then reversed there). */
        wasApproved: boolean;
        reason: string;
        by: string;
        at: string;
      };
    };

export const initialServiceHoursState = (): ServiceHoursState => ({
  status: "none",
  recordId: "",
  volunteerId: "",
  activityId: "",
  shiftId: "",
  areaId: "",
  minutes: 0,
  shiftMinutes: 0,
  source: "check_out",
  flagged: false,
  recordedBy: "",
  recordedAt: "",
  decidedBy: "",
  decidedAt: "",
  declineReason: "",
  servedOn: "",
});

export function evolveServiceHours(state: ServiceHoursState, event: ServiceHoursEvent): ServiceHoursState {
  switch (event.type) {
    case "hours.recorded": {
      const { note: _note, by, at, ...recorded } = event.data;
      return {
        ...initialServiceHoursState(),
        ...recorded,
        status: "pending",
        recordedBy: by,
        recordedAt: at,
      };
    }
    case "hours.approved":
      return { ...state, status: "approved", decidedBy: event.data.by, decidedAt: event.data.at };
    case "hours.declined":
      return {
        ...state,
        status: "declined",
        decidedBy: event.data.by,
        decidedAt: event.data.at,
        declineReason: event.data.reason,
      };
    case "hours.corrected":
      // A correction goes back to pending: the corrected minutes are certified afresh.
      return { ...state, status: "pending", minutes: event.data.minutes, decidedBy: "", decidedAt: "" };
  }
}

export const shiftMinutesOf = (shift: Shift) =>
  Math.round((Date.parse(shift.endsAt) - Date.parse(shift.startsAt)) / 60_000);

/** Why hours are declined or corrected, in 1 to 500 characters. */
const checkReason = (checks: FieldChecks, reason: string): FieldChecks =>
  checks.check(
    "reason",
    reason.trim().length > 0 && reason.length <= 500,
    "must say why, in 1 to 500 characters",
  );

/** Served minutes: a whole number from 1 to the shift's length. */
function checkMinutes(checks: FieldChecks, minutes: number, shift: Shift): FieldChecks {
  const shiftMinutes = shiftMinutesOf(shift);
  if (!Number.isInteger(minutes) || minutes < 1)
    return checks.add("minutes", "must be a whole number of minutes, at least 1");
  return checks.check(
    "minutes",
    minutes <= shiftMinutes,
    `must not exceed the shift's length of ${shiftMinutes} minutes`,
  );
}

const idsOf = (state: ServiceHoursState): RecordIds => ({
  recordId: state.recordId,
  volunteerId: state.volunteerId,
  activityId: state.activityId,
  shiftId: state.shiftId,
  areaId: state.areaId,
});

/** From a check-out (verified by the shift's codes, or automatic): idempotent by record id. */
export function decideRecordFromCheckOut(
  ids: Omit<RecordIds, "areaId">,
  activity: PublishedActivity,
  shift: Shift,
  servedMinutes: number,
  automatic: boolean,
  at: string,
): ServiceHoursEvent {
  return {
    type: "hours.recorded",
    data: {
      ...ids,
      areaId: activity.areaId,
      minutes: Math.min(servedMinutes, shiftMinutesOf(shift)),
      shiftMinutes: shiftMinutesOf(shift),
      source: automatic ? "auto_check_out" : "check_out",
      flagged: automatic,
      servedOn: shift.startsAt,
      note: automatic ? "checked out automatically 24 hours after check-in" : "",
      // The organiser records: the check-out codes are theirs.
      by: activity.organiserId,
      at,
    },
  };
}

/** The organiser records hours themselves (e.g. the codes could not be used on site). */
export function decideRecordByOrganiser(
  ids: Omit<RecordIds, "areaId">,
  state: ServiceHoursState,
  activity: PublishedActivity,
  shift: Shift,
  signUpStatus: string,
  minutes: number,
  note: string,
  caller: Caller,
  managers: string[],
  now: Date,
): ServiceHoursEvent {
  checkMinutes(new FieldChecks(), minutes, shift).throwIfAny();
  requireOrganisingSide(activity, caller, managers, ids.volunteerId, "recording service hours");
  if (!["confirmed", "checked_in", "no_show"].includes(signUpStatus))
    throw new FailedPreconditionError(
      signUpStatus === "checked_out"
        ? "hours of a checked-out sign-up are recorded from its check-out"
        : "hours are recorded for a confirmed place on the shift",
      signUpStatus === "checked_out" ? "ALREADY_RECORDED" : "NOT_SIGNED_UP",
    );
  if (state.status !== "none")
    throw new FailedPreconditionError(`hours of ${ids.recordId} are already recorded`, "ALREADY_RECORDED");
  if (now.getTime() < Date.parse(shift.startsAt))
    throw new FailedPreconditionError("hours are recorded once the shift has started", "SHIFT_NOT_STARTED");
  return {
    type: "hours.recorded",
    data: {
      ...ids,
      areaId: activity.areaId,
      minutes,
      shiftMinutes: shiftMinutesOf(shift),
      source: "organiser",
      flagged: false,
      servedOn: shift.startsAt,
      note,
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

/**
 * "Whoever organises records, whoever records certifies": the organising side (the
 * organiser, the station's managers, staff of the area) certifies, and never the volunteer
 * whose hours they are, whatever roles they hold.
 */
function requireOrganisingSide(
  activity: PublishedActivity,
  caller: Caller,
  managers: string[],
  volunteerId: string,
  what: string,
): void {
  if (caller.subject === volunteerId)
    throw new PermissionDeniedError(`${what}: a volunteer never certifies their own hours`);
  if (!mayOrganise(activity, caller, managers))
    throw new PermissionDeniedError(
      `${what} is for the organiser, the station's managers or staff of the activity's area`,
    );
}

function requireRecorded(state: ServiceHoursState, recordId: string): void {
  if (state.status === "none") throw new NotFoundError("service hours", recordId);
}

/** Approving approved hours again changes nothing. */
export function decideApproveHours(
  state: ServiceHoursState,
  recordId: string,
  activity: PublishedActivity,
  caller: Caller,
  managers: string[],
  now: Date,
): ServiceHoursEvent | undefined {
  requireRecorded(state, recordId);
  requireOrganisingSide(activity, caller, managers, state.volunteerId, "approving service hours");
  if (state.status === "approved") return undefined;
  if (state.status === "declined")
    throw new FailedPreconditionError("declined hours are corrected first, then approved", "HOURS_DECLINED");
  return {
    type: "hours.approved",
    data: { ...idsOf(state), minutes: state.minutes, by: caller.subject, at: now.toISOString() },
  };
}

export function decideDeclineHours(
  state: ServiceHoursState,
  recordId: string,
  reason: string,
  activity: PublishedActivity,
  caller: Caller,
  managers: string[],
  now: Date,
): ServiceHoursEvent | undefined {
  checkReason(new FieldChecks(), reason).throwIfAny();
  requireRecorded(state, recordId);
  requireOrganisingSide(activity, caller, managers, state.volunteerId, "declining service hours");
  if (state.status === "declined") return undefined;
  if (state.status === "approved")
    throw new FailedPreconditionError(
      "approved hours are on the ledger: correct them instead (a reversing entry)",
      "HOURS_APPROVED",
    );
  return {
    type: "hours.declined",
    data: { ...idsOf(state), reason: reason.trim(), by: caller.subject, at: now.toISOString() },
  };
}

/** New minutes, pending again; approved minutes are reversed on the ledger. */
export function decideCorrectHours(
  state: ServiceHoursState,
  recordId: string,
  minutes: number,
  reason: string,
  activity: PublishedActivity,
  shift: Shift,
  caller: Caller,
  managers: string[],
  now: Date,
): ServiceHoursEvent {
  checkReason(checkMinutes(new FieldChecks(), minutes, shift), reason).throwIfAny();
  requireRecorded(state, recordId);
  requireOrganisingSide(activity, caller, managers, state.volunteerId, "correcting service hours");
  return {
    type: "hours.corrected",
    data: {
      ...idsOf(state),
      previousMinutes: state.minutes,
      minutes,
      wasApproved: state.status === "approved",
      reason: reason.trim(),
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

/** Star levels by approved hours (national standard): 100, 300, 600, 1,000 and 1,500 hours. */
export const starThresholdHours = [100, 300, 600, 1_000, 1_500] as const;

export function starLevelFor(approvedMinutes: number): number {
  return starThresholdHours.filter((hours) => approvedMinutes >= hours * 60).length;
}
