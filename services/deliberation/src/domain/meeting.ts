import {
  FailedPreconditionError,
  FieldChecks,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { Council } from "./council.js";

/**
 * A council meeting under simplified Robert's Rules (萝卜议事规则): quorum from recorded
 * attendance; a motion (seconded where the rules require it) before debate; the chair
 * recognises speakers; each member speaks at most `maxSpeeches` times per motion, each time
 * for at most `maxSpeechSeconds`; amendments are decided before the motion they amend; a
 * vote on each motion; minutes follow from the record.
 */
export interface SpeakingRules {
  maxSpeeches: number;
  maxSpeechSeconds: number;
  /** Whether a motion needs a second before debate. */
  secondRequired: boolean;
}

export const defaultSpeakingRules: SpeakingRules = {
  maxSpeeches: 2,
  maxSpeechSeconds: 120,
  secondRequired: true,
};

export type MotionStatus = "awaiting_second" | "debate" | "adopted" | "rejected";

export interface Motion {
  motionId: string;
  text: string;
  movedBy: string;
  /** The motion this one amends, "" for a main motion. */
  amends: string;
  secondedBy: string;
  status: MotionStatus;
  speeches: { memberId: string; seconds: number; at: string }[];
  result: { yes: number; no: number; abstain: number } | null;
}

export interface MeetingConvenedData {
  meetingId: string;
  councilId: string;
  areaId: string;
  title: string;
  chairId: string;
  /** The council's members when the meeting was convened: quorum counts against them. */
  memberIds: string[];
  rules: SpeakingRules;
  convenedBy: string;
  at: string;
}

type By = { meetingId: string; by: string; at: string };

export type MeetingEvent =
  | { type: "meeting.convened"; data: MeetingConvenedData }
  | { type: "meeting.attendance_recorded"; data: By & { memberId: string } }
  | { type: "meeting.opened"; data: By & { attendance: number; quorum: number } }
  | {
      type: "meeting.motion_moved";
      data: By & { motionId: string; text: string; amends: string; needsSecond: boolean };
    }
  | { type: "meeting.motion_seconded"; data: By & { motionId: string } }
  | { type: "meeting.speech_recorded"; data: By & { motionId: string; memberId: string; seconds: number } }
  | {
      type: "meeting.motion_decided";
      data: By & { motionId: string; yes: number; no: number; abstain: number; adopted: boolean };
    }
  | { type: "meeting.adjourned"; data: By };

export type MeetingState =
  | { status: "none" }
  | (MeetingConvenedData & {
      status: "convened" | "in_session" | "adjourned";
      attendees: string[];
      motions: Motion[];
      record: MeetingEvent[];
    });
export type Meeting = Exclude<MeetingState, { status: "none" }>;

export const initialMeetingState = (): MeetingState => ({ status: "none" });

const updateMotion = (meeting: Meeting, motionId: string, change: (motion: Motion) => Motion): Motion[] =>
  meeting.motions.map((motion) => (motion.motionId === motionId ? change(motion) : motion));

export function evolveMeeting(state: MeetingState, event: MeetingEvent): MeetingState {
  if (event.type === "meeting.convened") {
    return { ...event.data, status: "convened", attendees: [], motions: [], record: [event] };
  }
  if (state.status === "none") return state;
  const meeting = { ...state, record: [...state.record, event] };
  switch (event.type) {
    case "meeting.attendance_recorded":
      return { ...meeting, attendees: [...meeting.attendees, event.data.memberId] };
    case "meeting.opened":
      return { ...meeting, status: "in_session" };
    case "meeting.motion_moved": {
      const { motionId, text, amends, by, needsSecond } = event.data;
      const motion: Motion = {
        motionId,
        text,
        movedBy: by,
        amends,
        secondedBy: "",
        status: needsSecond ? "awaiting_second" : "debate",
        speeches: [],
        result: null,
      };
      return { ...meeting, motions: [...meeting.motions, motion] };
    }
    case "meeting.motion_seconded":
      return {
        ...meeting,
        motions: updateMotion(meeting, event.data.motionId, (motion) => ({
          ...motion,
          secondedBy: event.data.by,
          status: "debate",
        })),
      };
    case "meeting.speech_recorded": {
      const { memberId, seconds, at } = event.data;
      return {
        ...meeting,
        motions: updateMotion(meeting, event.data.motionId, (motion) => ({
          ...motion,
          speeches: [...motion.speeches, { memberId, seconds, at }],
        })),
      };
    }
    case "meeting.motion_decided": {
      const { yes, no, abstain, adopted } = event.data;
      return {
        ...meeting,
        motions: updateMotion(meeting, event.data.motionId, (motion) => ({
          ...motion,
          status: adopted ? "adopted" : "rejected",
          result: { yes, no, abstain },
        })),
      };
    }
    case "meeting.adjourned":
      return { ...meeting, status: "adjourned" };
  }
}

export function requireMeeting(state: MeetingState, meetingId: string): Meeting {
  if (state.status === "none") throw new NotFoundError("meeting", meetingId);
  return state;
}

export function decideConvene(
  council: Council,
  command: { meetingId: string; title: string; chairId: string; rules: SpeakingRules; by: string; at: Date },
): MeetingEvent {
  const { rules } = command;
  new FieldChecks()
    .requiredText("title", command.title, 200)
    .check(
      "chairId",
      council.members.some((member) => member.memberId === command.chairId.trim()),
      "must be a member of the council",
    )
    .check(
      "maxSpeeches",
      Number.isInteger(rules.maxSpeeches) && rules.maxSpeeches >= 1 && rules.maxSpeeches <= 10,
      "must be 1 to 10",
    )
    .check(
      "maxSpeechSeconds",
      Number.isInteger(rules.maxSpeechSeconds) &&
        rules.maxSpeechSeconds >= 30 &&
        rules.maxSpeechSeconds <= 1800,
      "must be 30 to 1,800 seconds",
    )
    .throwIfAny();
  return {
    type: "meeting.convened",
    data: {
      meetingId: command.meetingId,
      councilId: council.councilId,
      areaId: council.areaId,
      title: command.title.trim(),
      chairId: command.chairId.trim(),
      memberIds: council.members.map((member) => member.memberId),
      rules,
      convenedBy: command.by,
      at: command.at.toISOString(),
    },
  };
}

const by = (meeting: Meeting, actor: string, at: Date) => ({
  meetingId: meeting.meetingId,
  by: actor,
  at: at.toISOString(),
});

/** Quorum: more than half of the council's members present. */
export const quorumOf = (meeting: Pick<Meeting, "memberIds">): number =>
  Math.floor(meeting.memberIds.length / 2) + 1;

export function decideAttendance(
  meeting: Meeting,
  memberId: string,
  actor: string,
  at: Date,
): MeetingEvent | undefined {
  if (meeting.status === "adjourned")
    throw new FailedPreconditionError("the meeting is adjourned", "MEETING_ADJOURNED");
  if (!meeting.memberIds.includes(memberId)) {
    throw new PermissionDeniedError(`${memberId} is not a member of this council`, "NOT_A_MEMBER");
  }
  if (meeting.attendees.includes(memberId)) return undefined;
  return { type: "meeting.attendance_recorded", data: { ...by(meeting, actor, at), memberId } };
}

export function decideOpen(meeting: Meeting, actor: string, at: Date): MeetingEvent {
  if (meeting.status !== "convened")
    throw new FailedPreconditionError("the meeting is already open or over", "MEETING_NOT_CONVENED");
  const quorum = quorumOf(meeting);
  if (meeting.attendees.length < quorum) {
    throw new FailedPreconditionError(
      `no quorum: ${meeting.attendees.length} of ${meeting.memberIds.length} members present, ${quorum} needed`,
      "NO_QUORUM",
    );
  }
  return {
    type: "meeting.opened",
    data: { ...by(meeting, actor, at), attendance: meeting.attendees.length, quorum },
  };
}

function requireInSession(meeting: Meeting): void {
  if (meeting.status !== "in_session")
    throw new FailedPreconditionError("the meeting is not in session", "NOT_IN_SESSION");
}

function requireAttendee(meeting: Meeting, memberId: string, what: string): void {
  if (!meeting.attendees.includes(memberId)) {
    throw new PermissionDeniedError(
      `${what}: ${memberId} is not a member present at this meeting`,
      "NOT_PRESENT",
    );
  }
}

function requireMotion(meeting: Meeting, motionId: string): Motion {
  const motion = meeting.motions.find((candidate) => candidate.motionId === motionId);
  if (!motion) throw new NotFoundError(`motion of meeting ${meeting.meetingId}`, motionId);
  return motion;
}

const pending = (motion: Motion) => motion.status === "awaiting_second" || motion.status === "debate";

export function decideMove(
  meeting: Meeting,
  command: { motionId: string; text: string; amends: string; mover: string; at: Date },
): MeetingEvent {
  requireInSession(meeting);
  requireAttendee(meeting, command.mover, "moving a motion");
  new FieldChecks().requiredText("text", command.text, 2000).throwIfAny();
  const amends = command.amends.trim();
  if (amends !== "") {
    const main = requireMotion(meeting, amends);
    if (main.amends !== "" || !pending(main)) {
      throw new FailedPreconditionError("only a pending main motion can be amended", "NOT_AMENDABLE");
    }
  } else if (meeting.motions.some((motion) => motion.amends === "" && pending(motion))) {
    throw new FailedPreconditionError(
      "one main motion at a time: decide the pending one first",
      "MOTION_PENDING",
    );
  }
  return {
    type: "meeting.motion_moved",
    data: {
      ...by(meeting, command.mover, command.at),
      motionId: command.motionId,
      text: command.text.trim(),
      amends,
      needsSecond: meeting.rules.secondRequired,
    },
  };
}

export function decideSecond(meeting: Meeting, motionId: string, seconder: string, at: Date): MeetingEvent {
  requireInSession(meeting);
  requireAttendee(meeting, seconder, "seconding a motion");
  const motion = requireMotion(meeting, motionId);
  if (motion.status !== "awaiting_second")
    throw new FailedPreconditionError("the motion needs no second now", "NOT_AWAITING_SECOND");
  if (motion.movedBy === seconder)
    throw new FailedPreconditionError("the mover cannot second their own motion", "SELF_SECOND");
  return { type: "meeting.motion_seconded", data: { ...by(meeting, seconder, at), motionId } };
}

/** The chair recognises a speaker; a speech beyond the count or the time limit is refused. */
export function decideSpeech(
  meeting: Meeting,
  command: { motionId: string; memberId: string; seconds: number; chair: string; at: Date },
): MeetingEvent {
  requireInSession(meeting);
  requireAttendee(meeting, command.memberId, "speaking");
  new FieldChecks()
    .check(
      "seconds",
      Number.isInteger(command.seconds) && command.seconds >= 1,
      "must be a whole number of seconds, at least 1",
    )
    .throwIfAny();
  const motion = requireMotion(meeting, command.motionId);
  if (motion.status === "awaiting_second") {
    throw new FailedPreconditionError("no debate before the motion is seconded", "MOTION_NOT_SECONDED");
  }
  if (motion.status !== "debate")
    throw new FailedPreconditionError("the motion has been decided", "MOTION_DECIDED");
  const spoken = motion.speeches.filter((speech) => speech.memberId === command.memberId).length;
  if (spoken >= meeting.rules.maxSpeeches) {
    throw new FailedPreconditionError(
      `${command.memberId} has spoken ${spoken} times on this motion: the limit is ${meeting.rules.maxSpeeches}`,
      "SPEAKING_LIMIT_REACHED",
    );
  }
  if (command.seconds > meeting.rules.maxSpeechSeconds) {
    throw new FailedPreconditionError(
      `a speech may last ${meeting.rules.maxSpeechSeconds} seconds, not ${command.seconds}`,
      "SPEECH_TOO_LONG",
    );
  }
  return {
    type: "meeting.speech_recorded",
    data: {
      ...by(meeting, command.chair, command.at),
      motionId: command.motionId,
      memberId: command.memberId,
      seconds: command.seconds,
    },
  };
}

/** A vote on each motion (hands counted among those present; more than half of the votes cast). */
export function decideMotionVote(
  meeting: Meeting,
  command: { motionId: string; yes: number; no: number; abstain: number; chair: string; at: Date },
): MeetingEvent {
  requireInSession(meeting);
  const motion = requireMotion(meeting, command.motionId);
  if (motion.status === "awaiting_second") {
    throw new FailedPreconditionError(
      "the motion was not seconded: it cannot be put to a vote",
      "MOTION_NOT_SECONDED",
    );
  }
  if (motion.status !== "debate")
    throw new FailedPreconditionError("the motion has been decided", "MOTION_DECIDED");
  if (meeting.motions.some((other) => other.amends === motion.motionId && pending(other))) {
    throw new FailedPreconditionError("decide the pending amendment first", "AMENDMENT_PENDING");
  }
  const counts = [command.yes, command.no, command.abstain];
  new FieldChecks()
    .check(
      "yes",
      counts.every((count) => Number.isInteger(count) && count >= 0),
      "counts must be whole numbers, at least 0",
    )
    .check(
      "yes",
      counts.reduce((sum, count) => sum + count, 0) <= meeting.attendees.length,
      "more hands than members present",
    )
    .throwIfAny();
  const cast = command.yes + command.no + command.abstain;
  return {
    type: "meeting.motion_decided",
    data: {
      ...by(meeting, command.chair, command.at),
      motionId: command.motionId,
      yes: command.yes,
      no: command.no,
      abstain: command.abstain,
      adopted: command.yes * 2 > cast,
    },
  };
}

export function decideAdjourn(meeting: Meeting, chair: string, at: Date): MeetingEvent {
  requireInSession(meeting);
  return { type: "meeting.adjourned", data: by(meeting, chair, at) };
}

/** Minutes (会议纪要) written from the record, one line per recorded act. */
export function minutesOf(meeting: Meeting): string[] {
  const motionText = (motionId: string) =>
    meeting.motions.find((motion) => motion.motionId === motionId)?.text ?? motionId;
  return meeting.record.map((event) => minuteOf(event, motionText));
}

function minuteOf(event: MeetingEvent, motionText: (motionId: string) => string): string {
  const at = event.data.at.slice(0, 16).replace("T", " ");
  switch (event.type) {
    case "meeting.convened":
      return `${at} ${event.data.title}: convened by ${event.data.convenedBy}, chair ${event.data.chairId}, ${event.data.memberIds.length} members; at most ${event.data.rules.maxSpeeches} speeches of ${event.data.rules.maxSpeechSeconds} s per member per motion`;
    case "meeting.attendance_recorded":
      return `${at} present: ${event.data.memberId}`;
    case "meeting.opened":
      return `${at} opened with ${event.data.attendance} present (quorum ${event.data.quorum})`;
    case "meeting.motion_moved":
      return `${at} ${event.data.by} moved${event.data.amends ? ` to amend "${motionText(event.data.amends)}"` : ""}: "${event.data.text}"`;
    case "meeting.motion_seconded":
      return `${at} ${event.data.by} seconded "${motionText(event.data.motionId)}"`;
    case "meeting.speech_recorded":
      return `${at} ${event.data.memberId} spoke ${event.data.seconds} s on "${motionText(event.data.motionId)}"`;
    case "meeting.motion_decided":
      return `${at} "${motionText(event.data.motionId)}" ${event.data.adopted ? "adopted" : "rejected"}: ${event.data.yes} for, ${event.data.no} against, ${event.data.abstain} abstaining`;
    case "meeting.adjourned":
      return `${at} adjourned by ${event.data.by}`;
  }
}
