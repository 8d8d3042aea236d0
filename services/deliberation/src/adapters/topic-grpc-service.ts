import type { deliberationV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { TopicDesk, TopicView } from "../app/topic-desk.js";
import { sixSteps } from "../domain/topic.js";
import { requireId } from "./council-grpc-service.js";

const rpc = (name: string) => `civic.deliberation.v1.TopicService/${name}`;

/** gRPC face of the topic use cases. */
export function topicGrpcService(desk: TopicDesk): deliberationV1.TopicServiceServer {
  return {
    proposeTopic: unaryHandler(
      rpc("ProposeTopic"),
      async (request: deliberationV1.ProposeTopicRequest, { caller }) => ({
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
    ),
    recordTopicStep: unaryHandler(
      rpc("RecordTopicStep"),
      async (request: deliberationV1.RecordTopicStepRequest, { caller }) => ({
        topic: toProtoTopic(
          await desk.recordStep(
            requireId("topicId", request.topicId),
            { step: request.step, record: request.record, reference: request.reference },
            caller,
          ),
        ),
      }),
    ),
    getTopic: unaryHandler(rpc("GetTopic"), async (request: deliberationV1.GetTopicRequest) => ({
      topic: toProtoTopic(await desk.get(requireId("topicId", request.topicId))),
    })),
    listTopics: unaryHandler(rpc("ListTopics"), async (request: deliberationV1.ListTopicsRequest) => {
      const page = await desk.list(request.areaId.trim(), {
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { topics: page.topics.map(toProtoTopic), nextPageToken: page.nextPageToken };
    }),
    listAdmissibilityRules: unaryHandler(rpc("ListAdmissibilityRules"), async () => ({
      rules: desk.admissibilityRules(),
    })),
  };
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
