import type { deliberationV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../../grpc-call.js";
import { noQuery, validatedRoute } from "../../route-kit.js";
import { checked, iso, present } from "./checked.js";

const proposeBody = z
  .object({
    areaId: z.string(),
    title: z.string(),
    description: z.string(),
    categoryCode: z.string(),
    proposerKind: z.enum(["resident", "representative", "party_organisation", "service_event"]),
    origin: z.object({ domain: z.string(), reference: z.string() }).strict().optional(),
  })
  .strict();
const stepBody = z
  .object({
    step: z.enum(["agenda", "deliberate", "decide", "implement", "report_back"]),
    record: z.string(),
    reference: z.string().default(""),
  })
  .strict();
const listQuery = z
  .object({
    areaId: z.string().max(18).default(""),
    pageSize: z.coerce.number().int().default(0),
    pageToken: z.string().max(200).default(""),
  })
  .strict();

export function topicJson(topic: deliberationV1.Topic) {
  const { originDomain, originReference, proposedAt, steps, ...rest } = topic;
  return {
    ...rest,
    origin: originDomain || originReference ? { domain: originDomain, reference: originReference } : null,
    proposedAt: iso(proposedAt),
    steps: steps.map((step) => ({ ...step, at: iso(step.at) })),
  };
}

/** /api/v1/topics: see TopicService in proto/civic/deliberation/v1. */
export function topicRoutes({
  topics,
  call,
}: {
  topics: deliberationV1.TopicServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const topicOf = (answer: { topic?: deliberationV1.Topic | undefined }) =>
    topicJson(present(answer.topic, "a topic"));

  router.post("/api/v1/topics", async (request, response) => {
    const body = checked(proposeBody, request.body, request, response);
    if (!body) return;
    const proposed = await call<deliberationV1.ProposeTopicResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        topics.proposeTopic(
          {
            areaId: body.areaId,
            title: body.title,
            description: body.description,
            categoryCode: body.categoryCode,
            proposerKind: body.proposerKind,
            originDomain: body.origin?.domain ?? "",
            originReference: body.origin?.reference ?? "",
          },
          metadata,
          options,
          callback,
        ),
    );
    const topic = topicOf(proposed);
    response.status(201).location(`/api/v1/topics/${topic.topicId}`).json(topic);
  });

  router.post("/api/v1/topics/:topicId/steps", async (request, response) => {
    const body = checked(stepBody, request.body, request, response);
    if (!body) return;
    const recorded = await call<deliberationV1.RecordTopicStepResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        topics.recordTopicStep(
          { topicId: request.params.topicId as string, ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.status(201).json(topicOf(recorded));
  });

  router.get("/api/v1/topics/:topicId", async (request, response) => {
    const found = await call<deliberationV1.GetTopicResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        topics.getTopic({ topicId: request.params.topicId as string }, metadata, options, callback),
    );
    response.json(topicOf(found));
  });

  router.get("/api/v1/topics", async (request, response) => {
    const query = checked(listQuery, request.query, request, response);
    if (!query) return;
    const found = await call<deliberationV1.ListTopicsResponse>(
      request,
      (metadata: Metadata, options, callback) => topics.listTopics(query, metadata, options, callback),
    );
    response.json({ topics: found.topics.map(topicJson), nextPageToken: found.nextPageToken || undefined });
  });

  router.get(
    "/api/v1/topic-admissibility-rules",
    validatedRoute("query", noQuery, async (_query, request, response) => {
      const found = await call<deliberationV1.ListAdmissibilityRulesResponse>(
        request,
        (metadata: Metadata, options, callback) =>
          topics.listAdmissibilityRules({}, metadata, options, callback),
      );
      response.json({ rules: found.rules });
    }),
  );

  return router;
}
