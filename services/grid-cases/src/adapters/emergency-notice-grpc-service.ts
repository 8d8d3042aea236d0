import { enumNames, gridCasesV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { EmergencyNoticeDesk, NoticeView } from "../app/emergency-notice-desk.js";

const answerNames = enumNames(gridCasesV1.CheckInAnswer, "CHECK_IN_ANSWER_");

const toProtoNotice = ({ broadcastAt, ...notice }: NoticeView): gridCasesV1.EmergencyNotice => ({
  noticeId: notice.noticeId,
  title: notice.title,
  message: notice.message,
  communities: notice.communities,
  broadcastBy: notice.broadcastBy,
  broadcastAt: new Date(broadcastAt),
});

/** gRPC face of emergency notices. */
export function emergencyNoticeGrpcService(desk: EmergencyNoticeDesk): GrpcServiceRegistration {
  const noticeReply = replyWith("notice", toProtoNotice);
  return unaryService(gridCasesV1.EmergencyNoticeServiceService, {
    broadcastEmergencyNotice: (request, { caller }) =>
      noticeReply(
        desk.broadcast(
          { title: request.title, message: request.message, communityIds: request.communityIds },
          caller,
        ),
      ),
    getEmergencyNotice: (request, { caller }) => noticeReply(desk.get(request.noticeId, caller)),
    checkInHousehold: async (request, { caller }) =>
      desk.checkIn(
        request.noticeId,
        {
          householdId: request.householdId,
          answer: answerNames.toName(request.answer),
          note: request.note,
        },
        caller,
      ),
    listUnansweredHouseholds: async (request, { caller }) =>
      desk.listUnanswered(
        request.noticeId,
        request.communityId,
        { pageSize: request.pageSize, pageToken: request.pageToken },
        caller,
      ),
  });
}
