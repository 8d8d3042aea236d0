import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { TopicDesk, TopicView } from "../app/topic-desk.js";
import { sixSteps } from "../domain/topic.js";
import { requireId } from "./council-grpc-service.js";

/** gRPC face of the topic use cases. */
export function topicGrpcService(desk: TopicDesk): GrpcServiceRegistration {
  return unaryService(deliberationV1.TopicServiceService, {
    proposeTopic: async (request, { caller }) => ({
      topic: toProtoTopic(
        await desk.propose(
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
    }),
    recordTopicStep: async (request, { caller }) => ({
      topic: toProtoTopic(
        await desk.recordStep(
          requireId("topicId", request.topicId),
          { step: request.step, record: request.record, reference: request.reference },
          caller,
        ),
      ),
    }),
    getTopic: async (request) => ({
      topic: toProtoTopic(await desk.get(requireId("topicId", request.topicId))),
    }),
    listTopics: async (request) => {
      const page = await desk.list(request.areaId.trim(), {
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { topics: page.topics.map(toProtoTopic), nextPageToken: page.nextPageToken };
    },
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
