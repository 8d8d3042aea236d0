import { type Caller, PermissionDeniedError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import { isOrganiserOf, requireOrganiserOf } from "../domain/authorisation.js";
import type { CouncilEvent, CouncilState } from "../domain/council.js";
import { requireCouncil } from "../domain/council-decisions.js";
import {
  decideAdjourn,
  decideAttendance,
  decideConvene,
  decideMotionVote,
  decideMove,
  decideOpen,
  decideSecond,
  decideSpeech,
  defaultSpeakingRules,
  type Meeting,
  type MeetingEvent,
  type MeetingState,
  requireMeeting,
  type SpeakingRules,
} from "../domain/meeting.js";

export interface MeetingView {
  meeting: Meeting;
  version: number;
}

/**
 * Use cases of meetings. Procedure (attendance, opening, recognising speakers, counting a
 * vote, adjourning) is the chair's or the area staff's; moving and seconding are the
 * members' own acts.
 */
export class MeetingDesk {
  constructor(
    private readonly meetings: AggregateRepository<MeetingState, MeetingEvent>,
    private readonly councils: AggregateRepository<CouncilState, CouncilEvent>,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async convene(
    councilId: string,
    input: { title: string; chairId: string; rules: Partial<SpeakingRules> },
    caller: Caller,
  ): Promise<MeetingView> {
    const council = requireCouncil((await this.councils.load(councilId)).state, councilId);
    requireOrganiserOf(caller, council.areaId, "convening a meeting");
    const meetingId = this.newId();
    const rules = { ...defaultSpeakingRules, ...input.rules };
    const convened = decideConvene(council, {
      ...input,
      rules,
      meetingId,
      by: caller.subject,
      at: this.now(),
    });
    const { state, version } = await this.meetings.create(meetingId, () => convened);
    return { meeting: requireMeeting(state, meetingId), version };
  }

  recordAttendance(meetingId: string, memberId: string, caller: Caller) {
    return this.chaired(meetingId, caller, (meeting) =>
      decideAttendance(meeting, memberId.trim(), caller.subject, this.now()),
    );
  }

  open(meetingId: string, caller: Caller) {
    return this.chaired(meetingId, caller, (meeting) => decideOpen(meeting, caller.subject, this.now()));
  }

  move(meetingId: string, input: { text: string; amends: string }, caller: Caller) {
    const motionId = this.newId();
    return this.act(meetingId, (meeting) =>
      decideMove(meeting, { ...input, motionId, mover: caller.subject, at: this.now() }),
    );
  }

  second(meetingId: string, motionId: string, caller: Caller) {
    return this.act(meetingId, (meeting) => decideSecond(meeting, motionId, caller.subject, this.now()));
  }

  recordSpeech(
    meetingId: string,
    input: { motionId: string; memberId: string; seconds: number },
    caller: Caller,
  ) {
    return this.chaired(meetingId, caller, (meeting) =>
      decideSpeech(meeting, {
        ...input,
        memberId: input.memberId.trim(),
        chair: caller.subject,
        at: this.now(),
      }),
    );
  }

  decideMotion(
    meetingId: string,
    input: { motionId: string; yes: number; no: number; abstain: number },
    caller: Caller,
  ) {
    return this.chaired(meetingId, caller, (meeting) =>
      decideMotionVote(meeting, { ...input, chair: caller.subject, at: this.now() }),
    );
  }

  adjourn(meetingId: string, caller: Caller) {
    return this.chaired(meetingId, caller, (meeting) => decideAdjourn(meeting, caller.subject, this.now()));
  }

  /** Meetings and their minutes are public. */
  async get(meetingId: string): Promise<MeetingView> {
    const { state, version } = await this.meetings.load(meetingId);
    return { meeting: requireMeeting(state, meetingId), version };
  }

  private chaired(meetingId: string, caller: Caller, decide: (meeting: Meeting) => MeetingEvent | undefined) {
    return this.act(meetingId, (meeting) => {
      if (meeting.chairId !== caller.subject && !isOrganiserOf(caller, meeting.areaId)) {
        throw new PermissionDeniedError("the chair runs the meeting", "NOT_THE_CHAIR");
      }
      return decide(meeting);
    });
  }

  private async act(
    meetingId: string,
    decide: (meeting: Meeting) => MeetingEvent | undefined,
  ): Promise<MeetingView> {
    const { state, version } = await this.meetings.execute(meetingId, (current) =>
      decide(requireMeeting(current, meetingId)),
    );
    return { meeting: requireMeeting(state, meetingId), version };
  }
}
