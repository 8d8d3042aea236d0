import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { TopicDesk, TopicView } from "../app/topic-desk.js";
import { sixSteps } from "../domain/topic.js";
import { requireId } from "./council-grpc-service.js";

/** gRPC face of the topic use cases. */
export function topicGrpcService(desk: TopicDesk): GrpcServiceRegistration {
  const topicReply = replyWith("topic", toProtoTopic);
  const topicsPage = pageWith("topics", toProtoTopic);
  return unaryService(deliberationV1.TopicServiceService, {
    proposeTopic: (request, { caller }) =>
      topicReply(
        desk.propose(
          {
            areaId: request.areaId,
            title: request.title,
            description: request.description,
            categoryCode: request.categoryCode,
            proposerKind: request.proposerKind,
            origin:
              request.originDomain || request.originReference
                ? { domain: request.originDomain.trim(), reference: request.originReference.trim() }
                : null,
          },
          caller,
        ),
      ),
    recordTopicStep: (request, { caller }) =>
      topicReply(
        desk.recordStep(
          requireId("topicId", request.topicId),
          { step: request.step, record: request.record, reference: request.reference },
          caller,
        ),
      ),
    getTopic: (request) => topicReply(desk.get(requireId("topicId", request.topicId))),
    listTopics: (request) =>
      topicsPage(
        desk.list(request.areaId.trim(), {
          pageSize: request.pageSize,
          pageToken: request.pageToken,
        }),
      ),
    listAdmissibilityRules: async () => ({
      rules: desk.admissibilityRules(),
    }),
  });
}

function toProtoTopic({ topic, version }: TopicView): deliberationV1.Topic {
  const open = topic.status === "in_progress";
  return {
    topicId: topic.topicId,
    areaId: topic.areaId,
    title: topic.title,
    description: topic.description,
    categoryCode: topic.categoryCode,
    proposerKind: topic.proposerKind,
    proposedBy: topic.proposedBy,
    originDomain: topic.origin?.domain ?? "",
    originReference: topic.origin?.reference ?? "",
    admissible: topic.admissible,
    admissibilityReason: topic.admissibilityReason,
    status: topic.status,
    steps: topic.steps.map((step) => ({ ...step, at: new Date(step.at) })),
    nextStep: open ? (sixSteps[topic.steps.length] ?? "") : "",
    proposedAt: new Date(topic.at),
    version,
  };
}
