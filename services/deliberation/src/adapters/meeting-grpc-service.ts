import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { MeetingDesk, MeetingView } from "../app/meeting-desk.js";
import { minutesOf, quorumOf } from "../domain/meeting.js";
import { requireId } from "./council-grpc-service.js";

const answer = replyWith("meeting", toProtoMeeting);

/** gRPC face of the meeting use cases. */
export function meetingGrpcService(desk: MeetingDesk): GrpcServiceRegistration {
  return unaryService(deliberationV1.MeetingServiceService, {
    conveneMeeting: (request, { caller }) =>
      answer(
        desk.convene(
          requireId("councilId", request.councilId),
          {
            title: request.title,
            chairId: request.chairId,
            rules: {
              ...(request.maxSpeeches ? { maxSpeeches: request.maxSpeeches } : {}),
              ...(request.maxSpeechSeconds ? { maxSpeechSeconds: request.maxSpeechSeconds } : {}),
              secondRequired: !request.noSecondRequired,
            },
          },
          caller,
        ),
      ),
    recordAttendance: (request, { caller }) =>
      answer(
        desk.recordAttendance(
          requireId("meetingId", request.meetingId),
          requireId("memberId", request.memberId),
          caller,
        ),
      ),
    openMeeting: (request, { caller }) =>
      answer(desk.open(requireId("meetingId", request.meetingId), caller)),
    moveMotion: (request, { caller }) =>
      answer(
        desk.move(
          requireId("meetingId", request.meetingId),
          { text: request.text, amends: request.amends },
          caller,
        ),
      ),
    secondMotion: (request, { caller }) =>
      answer(
        desk.second(
          requireId("meetingId", request.meetingId),
          requireId("motionId", request.motionId),
          caller,
        ),
      ),
    recordSpeech: (request, { caller }) =>
      answer(
        desk.recordSpeech(
          requireId("meetingId", request.meetingId),
          {
            motionId: requireId("motionId", request.motionId),
            memberId: requireId("memberId", request.memberId),
            seconds: request.seconds,
          },
          caller,
        ),
      ),
    decideMotion: (request, { caller }) =>
      answer(
        desk.decideMotion(
          requireId("meetingId", request.meetingId),
          {
            motionId: requireId("motionId", request.motionId),
            yes: request.yes,
            no: request.no,
            abstain: request.abstain,
          },
          caller,
        ),
      ),
    adjournMeeting: (request, { caller }) =>
      answer(desk.adjourn(requireId("meetingId", request.meetingId), caller)),
    getMeeting: (request) => answer(desk.get(requireId("meetingId", request.meetingId))),
  });
}

function toProtoMeeting({ meeting, version }: MeetingView): deliberationV1.Meeting {
  return {
    ...meeting,
    memberCount: meeting.memberIds.length,
    quorum: quorumOf(meeting),
    maxSpeeches: meeting.rules.maxSpeeches,
    maxSpeechSeconds: meeting.rules.maxSpeechSeconds,
    secondRequired: meeting.rules.secondRequired,
    motions: meeting.motions.map((motion) => ({
      motionId: motion.motionId,
      text: motion.text,
      movedBy: motion.movedBy,
      amends: motion.amends,
      secondedBy: motion.secondedBy,
      status: motion.status,
      speeches: motion.speeches.map((speech) => ({ ...speech, at: new Date(speech.at) })),
      yes: motion.result?.yes ?? 0,
      no: motion.result?.no ?? 0,
      abstain: motion.result?.abstain ?? 0,
    })),
    minutes: minutesOf(meeting),
    convenedAt: new Date(meeting.at),
    version,
  };
}
