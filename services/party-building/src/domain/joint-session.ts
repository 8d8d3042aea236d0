import {
  AlreadyExistsError,
  FieldChecks,
  type FieldViolation,
  InvalidArgumentError,
  isCalendarDate,
} from "@civic/domain-kit";
import { type JointMeetingState, memberUnit } from "./joint-meeting.js";

/** A joint meeting held (联席会议召开): its date, the member units that attended, minutes. */
export interface HoldSession {
  heldOn: string;
  title: string;
  attendeeUnitIds: string[];
  minutes: string;
}

export interface JointSession extends HoldSession {
  status: "held";
  sessionId: string;
  communityAreaId: string;
  recordedBy: string;
  recordedAt: string;
}

export type JointSessionState = { status: "none" } | JointSession;

export type JointSessionEvent = {
  type: "joint_session.held";
  data: HoldSession & { sessionId: string; areaId: string; by: string; at: string };
};

export const initialJointSessionState = (): JointSessionState => ({ status: "none" });

export function evolveJointSession(_state: JointSessionState, event: JointSessionEvent): JointSessionState {
  const { by, at, areaId, ...session } = event.data;
  return { status: "held", ...session, communityAreaId: areaId, recordedBy: by, recordedAt: at };
}

export function validateSession(command: HoldSession): void {
  const checks = new FieldChecks()
    .check("heldOn", isCalendarDate(command.heldOn), "must be a date, YYYY-MM-DD")
    .text("title", command.title, { max: 200 })
    .check(
      "attendeeUnitIds",
      command.attendeeUnitIds.length > 0 && command.attendeeUnitIds.length <= 100,
      "must name 1 to 100 member units",
    );
  command.attendeeUnitIds.forEach((unitId, index) => {
    checks.check(
      `attendeeUnitIds[${index}]`,
      command.attendeeUnitIds.indexOf(unitId) === index,
      "is named twice",
    );
  });
  checks
    .check("minutes", [...command.minutes].length <= 5_000, "must be at most 5,000 characters")
    .throwIfAny();
}

/** Attendees are units that sit on the community's joint meeting. */
export function decideHoldSession(
  command: HoldSession,
  sessionId: string,
  communityAreaId: string,
  jointMeeting: JointMeetingState,
  state: JointSessionState,
  by: string,
  now: Date,
): JointSessionEvent {
  const strangers: FieldViolation[] = command.attendeeUnitIds.flatMap((unitId, index) =>
    memberUnit(jointMeeting, unitId)
      ? []
      : [{ field: `attendeeUnitIds[${index}]`, description: "is not a member unit of this joint meeting" }],
  );
  if (strangers.length > 0) throw new InvalidArgumentError(strangers);
  if (state.status !== "none") throw new AlreadyExistsError(`session ${sessionId} is already recorded`);
  return {
    type: "joint_session.held",
    data: {
      sessionId,
      areaId: communityAreaId,
      heldOn: command.heldOn,
      title: command.title.trim(),
      attendeeUnitIds: command.attendeeUnitIds,
      minutes: command.minutes,
      by,
      at: now.toISOString(),
    },
  };
}
