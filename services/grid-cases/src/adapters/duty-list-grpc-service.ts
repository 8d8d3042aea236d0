import { gridCasesV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { CommunityTaskDesk, DutyReportView } from "../app/community-task-desk.js";
import type { DutyListDesk } from "../app/duty-list-desk.js";
import type { CommunityTask, CommunityTaskStatus } from "../domain/community-task.js";
import type { PublishedDutyList } from "../domain/duty-list.js";
import type { DutyTaskCounts } from "../domain/duty-report.js";

const { CommunityTaskStatus: ProtoStatus } = gridCasesV1;
const statusToProto: Record<CommunityTaskStatus, gridCasesV1.CommunityTaskStatus> = {
  accepted_within_list: ProtoStatus.COMMUNITY_TASK_STATUS_ACCEPTED_WITHIN_LIST,
  accepted_with_funds: ProtoStatus.COMMUNITY_TASK_STATUS_ACCEPTED_WITH_FUNDS,
  refused: ProtoStatus.COMMUNITY_TASK_STATUS_REFUSED,
};

/** gRPC face of community duty lists, the tasks handed to communities and the duty report. */
export function dutyListGrpcService(
  dutyLists: DutyListDesk,
  tasks: CommunityTaskDesk,
): GrpcServiceRegistration {
  const dutyListReply = replyWith("dutyList", toProtoDutyList);
  const taskReply = replyWith("task", toProtoTask);
  return unaryService(gridCasesV1.DutyListServiceService, {
    publishDutyList: (request, { caller }) =>
      dutyListReply(dutyLists.publish(request.areaId, request.baseVersion, request.items, caller)),
    getDutyList: (request) => dutyListReply(dutyLists.get(request.areaId, request.version)),
    getApplicableDutyList: (request) => dutyListReply(dutyLists.applicableOrFail(request.communityId)),
    handCommunityTask: (request, { caller }) =>
      taskReply(
        tasks.hand(
          {
            communityId: request.communityId,
            title: request.title,
            description: request.description,
            taskKind: request.taskKind,
            caseCategoryCode: request.caseCategoryCode,
            ...(request.fundsTransfer ? { fundsTransfer: request.fundsTransfer } : {}),
          },
          caller,
        ),
      ),
    getCommunityTask: (request, { caller }) => taskReply(tasks.get(request.taskId, caller)),
    listCommunityTasks: async (request, { caller }) => {
      const found = await tasks.list(
        request.communityId,
        { pageSize: request.pageSize, pageToken: request.pageToken },
        caller,
      );
      return { tasks: found.tasks.map(toProtoTask), nextPageToken: found.nextPageToken };
    },
    getDutyReport: async (request, { caller }) =>
      toProtoReport(await tasks.report(request.areaId, request.period, caller)),
  });
}

function toProtoDutyList(list: PublishedDutyList): gridCasesV1.DutyList {
  return {
    ...list,
    items: [...list.items].sort((a, b) => (a.code < b.code ? -1 : 1)),
    publishedAt: new Date(list.publishedAt),
  };
}

function toProtoTask(task: CommunityTask): gridCasesV1.CommunityTask {
  return {
    ...task,
    issuerKind: task.issuer.kind,
    issuerId: task.issuer.id,
    status: statusToProto[task.status],
    handedBy: task.by,
    handedAt: new Date(task.at),
  };
}

const toProtoCounts = (counts: DutyTaskCounts): gridCasesV1.DutyTaskCounts => ({ ...counts });

function toProtoReport(report: DutyReportView): gridCasesV1.GetDutyReportResponse {
  return {
    ...report,
    total: toProtoCounts(report.total),
    byArea: report.byArea.map((row) => ({ areaId: row.areaId, counts: toProtoCounts(row.counts) })),
  };
}
