import {
  AlreadyExistsError,
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
  const violations: FieldViolation[] = [];
  if (!isCalendarDate(command.heldOn))
    violations.push({ field: "heldOn", description: "must be a date, YYYY-MM-DD" });
  const title = command.title.trim();
  if (title === "" || [...title].length > 200)
    violations.push({ field: "title", description: "must be 1 to 200 characters" });
  if (command.attendeeUnitIds.length === 0 || command.attendeeUnitIds.length > 100)
    violations.push({ field: "attendeeUnitIds", description: "must name 1 to 100 member units" });
  command.attendeeUnitIds.forEach((unitId, index) => {
    if (command.attendeeUnitIds.indexOf(unitId) !== index)
      violations.push({ field: `attendeeUnitIds[${index}]`, description: "is named twice" });
  });
  if ([...command.minutes].length > 5_000)
    violations.push({ field: "minutes", description: "must be at most 5,000 characters" });
  if (violations.length > 0) throw new InvalidArgumentError(violations);
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
