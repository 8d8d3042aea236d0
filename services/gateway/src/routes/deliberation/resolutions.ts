import type { deliberationV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../../grpc-call.js";
import { checked, iso, present } from "./checked.js";

const adoptBody = z.object({ title: z.string(), text: z.string(), reviewDate: z.string() }).strict();
const taskBody = z
  .object({
    kind: z.enum(["case", "volunteer_activity", "charity_project"]),
    areaId: z.string().default(""),
    title: z.string(),
    description: z.string(),
    categoryCode: z.string().default(""),
    budgetFen: z.number().int().optional(),
  })
  .strict();
const reviewBody = z.object({ outcome: z.string() }).strict();

export function resolutionJson(resolution: deliberationV1.Resolution) {
  return {
    ...resolution,
    adoptedAt: iso(resolution.adoptedAt),
    reviewedAt: iso(resolution.reviewedAt),
    tasks: resolution.tasks.map((task) => ({
      ...task,
      budgetFen: task.budgetFen ?? null,
      requestedAt: iso(task.requestedAt),
      timeline: task.timeline.map((entry) => ({ ...entry, at: iso(entry.at) })),
    })),
  };
}

/** /api/v1/votes/{id}/resolution and /api/v1/resolutions: see ResolutionService in proto/civic/deliberation/v1. */
export function resolutionRoutes({
  resolutions,
  call,
}: {
  resolutions: deliberationV1.ResolutionServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const resolutionOf = (answer: { resolution?: deliberationV1.Resolution | undefined }) =>
    resolutionJson(present(answer.resolution, "a resolution"));
  const resolutionId = (params: Record<string, unknown>) => params.resolutionId as string;

  router.post("/api/v1/votes/:voteId/resolution", async (request, response) => {
    const body = checked(adoptBody, request.body, request, response);
    if (!body) return;
    const adopted = await call<deliberationV1.AdoptResolutionResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        resolutions.adoptResolution(
          { voteId: request.params.voteId as string, ...body },
          metadata,
          options,
          callback,
        ),
    );
    const resolution = resolutionOf(adopted);
    response.status(201).location(`/api/v1/resolutions/${resolution.resolutionId}`).json(resolution);
  });

  router.post("/api/v1/meetings/:meetingId/motions/:motionId/resolution", async (request, response) => {
    const body = checked(adoptBody, request.body, request, response);
    if (!body) return;
    const adopted = await call<deliberationV1.AdoptResolutionFromMotionResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        resolutions.adoptResolutionFromMotion(
          {
            meetingId: request.params.meetingId as string,
            motionId: request.params.motionId as string,
            ...body,
          },
          metadata,
          options,
          callback,
        ),
    );
    const resolution = resolutionOf(adopted);
    response.status(201).location(`/api/v1/resolutions/${resolution.resolutionId}`).json(resolution);
  });

  router.post("/api/v1/resolutions/:resolutionId/tasks", async (request, response) => {
    const body = checked(taskBody, request.body, request, response);
    if (!body) return;
    const requested = await call<deliberationV1.RequestTaskResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        resolutions.requestTask(
          { resolutionId: resolutionId(request.params), ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.status(201).json(resolutionOf(requested));
  });

  router.post("/api/v1/resolutions/:resolutionId/review", async (request, response) => {
    const body = checked(reviewBody, request.body, request, response);
    if (!body) return;
    const reviewed = await call<deliberationV1.ReviewResolutionResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        resolutions.reviewResolution(
          { resolutionId: resolutionId(request.params), ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.status(201).json(resolutionOf(reviewed));
  });

  router.get("/api/v1/resolutions/:resolutionId", async (request, response) => {
    const found = await call<deliberationV1.GetResolutionResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        resolutions.getResolution(
          { resolutionId: resolutionId(request.params) },
          metadata,
          options,
          callback,
        ),
    );
    response.json(resolutionOf(found));
  });

  router.get("/api/v1/resolutions/:resolutionId/disclosure", async (request, response) => {
    const found = await call<deliberationV1.GetResolutionDisclosureResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        resolutions.getResolutionDisclosure(
          { resolutionId: resolutionId(request.params) },
          metadata,
          options,
          callback,
        ),
    );
    const { version: _, ...resolution } = resolutionOf(found);
    response.json({
      resolution,
      voteResult: found.voteResult ? { ...found.voteResult, closedAt: iso(found.voteResult.closedAt) } : null,
      reviewDue: found.reviewDue,
    });
  });

  return router;
}
