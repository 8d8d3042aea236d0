import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { ResolutionDesk, ResolutionView } from "../app/resolution-desk.js";
import { requireId } from "./council-grpc-service.js";
import { toProtoResult } from "./vote-grpc-service.js";

/** gRPC face of the resolution use cases. */
export function resolutionGrpcService(desk: ResolutionDesk): GrpcServiceRegistration {
  const resolutionReply = replyWith("resolution", toProtoResolution);
  return unaryService(deliberationV1.ResolutionServiceService, {
    adoptResolution: (request, { caller }) =>
      resolutionReply(
        desk.adopt(
          requireId("voteId", request.voteId),
          { title: request.title, text: request.text, reviewDate: request.reviewDate },
          caller,
        ),
      ),
    adoptResolutionFromMotion: (request, { caller }) =>
      resolutionReply(
        desk.adoptFromMotion(
          requireId("meetingId", request.meetingId),
          requireId("motionId", request.motionId),
          { title: request.title, text: request.text, reviewDate: request.reviewDate },
          caller,
        ),
      ),
    requestTask: (request, { caller }) =>
      resolutionReply(
        desk.requestTask(
          requireId("resolutionId", request.resolutionId),
          {
            kind: request.kind,
            areaId: request.areaId,
            title: request.title,
            description: request.description,
            categoryCode: request.categoryCode,
            budgetFen: request.budgetFen,
          },
          caller,
        ),
      ),
    reviewResolution: (request, { caller }) =>
      resolutionReply(desk.review(requireId("resolutionId", request.resolutionId), request.outcome, caller)),
    getResolution: (request) => resolutionReply(desk.get(requireId("resolutionId", request.resolutionId))),
    getResolutionDisclosure: async (request) => {
      const resolutionId = requireId("resolutionId", request.resolutionId);
      const disclosure = await desk.disclosure(resolutionId);
      return {
        resolution: toProtoResolution(disclosure),
        voteResult: disclosure.result ? toProtoResult(disclosure.result) : undefined,
        reviewDue: disclosure.reviewDue,
      };
    },
  });
}

function toProtoResolution({ resolution, version }: ResolutionView): deliberationV1.Resolution {
  return {
    ...resolution,
    adoptedAt: new Date(resolution.at),
    tasks: resolution.tasks.map((task) => ({
      taskId: task.taskId,
      kind: task.kind,
      areaId: task.areaId,
      title: task.title,
      description: task.description,
      categoryCode: task.categoryCode,
      ...(task.budgetFen === null ? {} : { budgetFen: task.budgetFen }),
      requestedBy: task.requestedBy,
      requestedAt: new Date(task.requestedAt),
      percent: task.percent,
      timeline: task.timeline.map((entry) => ({
        percent: entry.percent,
        note: entry.note,
        domain: entry.domain,
        at: new Date(entry.at),
      })),
    })),
    reviewOutcome: resolution.review?.outcome ?? "",
    reviewedAt: resolution.review ? new Date(resolution.review.at) : undefined,
    version,
  };
}
