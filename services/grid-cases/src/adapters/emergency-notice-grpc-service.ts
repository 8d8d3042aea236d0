import { enumNames, gridCasesV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { EmergencyNoticeDesk, NoticeView } from "../app/emergency-notice-desk.js";

const answerNames = enumNames(gridCasesV1.CheckInAnswer, "CHECK_IN_ANSWER_");
const method = (name: string) => `civic.grid_cases.v1.EmergencyNoticeService/${name}`;

const toProtoNotice = ({ broadcastAt, ...notice }: NoticeView): gridCasesV1.EmergencyNotice => ({
  noticeId: notice.noticeId,
  title: notice.title,
  message: notice.message,
  communities: notice.communities,
  broadcastBy: notice.broadcastBy,
  broadcastAt: new Date(broadcastAt),
});

/** gRPC face of emergency notices. */
export function emergencyNoticeGrpcService(
  desk: EmergencyNoticeDesk,
): gridCasesV1.EmergencyNoticeServiceServer {
  return {
    broadcastEmergencyNotice: unaryHandler(
      method("BroadcastEmergencyNotice"),
      async (request: gridCasesV1.BroadcastEmergencyNoticeRequest, { caller }) => ({
        notice: toProtoNotice(
          await desk.broadcast(
            { title: request.title, message: request.message, communityIds: request.communityIds },
            caller,
          ),
        ),
      }),
    ),
    getEmergencyNotice: unaryHandler(
      method("GetEmergencyNotice"),
      async (request: gridCasesV1.GetEmergencyNoticeRequest, { caller }) => ({
        notice: toProtoNotice(await desk.get(request.noticeId, caller)),
      }),
    ),
    checkInHousehold: unaryHandler(
      method("CheckInHousehold"),
      async (request: gridCasesV1.CheckInHouseholdRequest, { caller }) =>
        desk.checkIn(
          request.noticeId,
          {
            householdId: request.householdId,
            answer: answerNames.toName(request.answer),
            note: request.note,
          },
          caller,
        ),
    ),
    listUnansweredHouseholds: unaryHandler(
      method("ListUnansweredHouseholds"),
      async (request: gridCasesV1.ListUnansweredHouseholdsRequest, { caller }) =>
        desk.listUnanswered(
          request.noticeId,
          request.communityId,
          { pageSize: request.pageSize, pageToken: request.pageToken },
          caller,
        ),
    ),
  };
}
