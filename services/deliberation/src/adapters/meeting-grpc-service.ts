import type { deliberationV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { MeetingDesk, MeetingView } from "../app/meeting-desk.js";
import { minutesOf, quorumOf } from "../domain/meeting.js";
import { requireId } from "./council-grpc-service.js";

const rpc = (name: string) => `civic.deliberation.v1.MeetingService/${name}`;
type Answer = Promise<{ meeting: deliberationV1.Meeting }>;
const answer = async (view: Promise<MeetingView>): Answer => ({ meeting: toProtoMeeting(await view) });

/** gRPC face of the meeting use cases. */
export function meetingGrpcService(desk: MeetingDesk): deliberationV1.MeetingServiceServer {
  return {
    conveneMeeting: unaryHandler(
      rpc("ConveneMeeting"),
      (request: deliberationV1.ConveneMeetingRequest, { caller }) =>
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
    ),
    recordAttendance: unaryHandler(
      rpc("RecordAttendance"),
      (request: deliberationV1.RecordAttendanceRequest, { caller }) =>
        answer(
          desk.recordAttendance(
            requireId("meetingId", request.meetingId),
            requireId("memberId", request.memberId),
            caller,
          ),
        ),
    ),
    openMeeting: unaryHandler(rpc("OpenMeeting"), (request: deliberationV1.OpenMeetingRequest, { caller }) =>
      answer(desk.open(requireId("meetingId", request.meetingId), caller)),
    ),
    moveMotion: unaryHandler(rpc("MoveMotion"), (request: deliberationV1.MoveMotionRequest, { caller }) =>
      answer(
        desk.move(
          requireId("meetingId", request.meetingId),
          { text: request.text, amends: request.amends },
          caller,
        ),
      ),
    ),
    secondMotion: unaryHandler(
      rpc("SecondMotion"),
      (request: deliberationV1.SecondMotionRequest, { caller }) =>
        answer(
          desk.second(
            requireId("meetingId", request.meetingId),
            requireId("motionId", request.motionId),
            caller,
          ),
        ),
    ),
    recordSpeech: unaryHandler(
      rpc("RecordSpeech"),
      (request: deliberationV1.RecordSpeechRequest, { caller }) =>
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
    ),
    decideMotion: unaryHandler(
      rpc("DecideMotion"),
      (request: deliberationV1.DecideMotionRequest, { caller }) =>
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
    ),
    adjournMeeting: unaryHandler(
      rpc("AdjournMeeting"),
      (request: deliberationV1.AdjournMeetingRequest, { caller }) =>
        answer(desk.adjourn(requireId("meetingId", request.meetingId), caller)),
    ),
    getMeeting: unaryHandler(rpc("GetMeeting"), (request: deliberationV1.GetMeetingRequest) =>
      answer(desk.get(requireId("meetingId", request.meetingId))),
    ),
  };
}

function toProtoMeeting({ meeting, version }: MeetingView): deliberationV1.Meeting {
  return {
    meetingId: meeting.meetingId,
    councilId: meeting.councilId,
    areaId: meeting.areaId,
    title: meeting.title,
    chairId: meeting.chairId,
    memberCount: meeting.memberIds.length,
    quorum: quorumOf(meeting),
    maxSpeeches: meeting.rules.maxSpeeches,
    maxSpeechSeconds: meeting.rules.maxSpeechSeconds,
    secondRequired: meeting.rules.secondRequired,
    status: meeting.status,
    attendees: meeting.attendees,
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
