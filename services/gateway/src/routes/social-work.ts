import type { socialRegistryV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";
import { pageQuery } from "./volunteer-stations.js";

const date = z.string().max(10).default("");
const areaId = z.string().max(18);
const affiliation = z
  .object({
    kind: z.enum(["agency", "community", "none"]),
    agencyCreditCode: z.string().max(18).default(""),
    communityId: z.string().max(18).default(""),
  })
  .strict();
const agencyBody = z
  .object({ creditCode: z.string().max(18), name: z.string().max(200), areaId, registeredOn: date })
  .strict();
const agenciesQuery = z.object({ areaId: areaId.default(""), ...pageQuery }).strict();
const licenceLevel = z.enum(["assistant_social_worker", "social_worker", "senior_social_worker"]);
const workerBody = z
  .object({
    name: z.string().max(100),
    licenceLevel,
    licenceNumber: z.string().max(64),
    affiliation: affiliation.default({ kind: "none", agencyCreditCode: "", communityId: "" }),
    areaId,
    registeredOn: date,
  })
  .strict();
const workersQuery = z
  .object({
    areaId: areaId.default(""),
    licenceLevel: licenceLevel.optional(),
    agencyCreditCode: z.string().max(18).default(""),
    ...pageQuery,
  })
  .strict();
const affiliationBody = z.object({ affiliation, changedOn: date }).strict();

/** Social-work agencies and licensed social workers: see SocialWorkService in proto/. */
export function socialWorkRoutes({
  socialWork,
  call,
}: {
  socialWork: v1.SocialWorkServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  router.post(
    "/api/v1/social-work-agencies",
    validatedRoute("body", agencyBody, async (body, request, response) => {
      const { agency } = await callRpc(
        call,
        request,
        socialWork.registerSocialWorkAgency.bind(socialWork),
        body,
      );
      response.status(201).location(`/api/v1/social-work-agencies/${agency?.creditCode}`).json(agency);
    }),
  );
  router.get("/api/v1/social-work-agencies/:creditCode", async (request, response) => {
    const { agency } = await callRpc(call, request, socialWork.getSocialWorkAgency.bind(socialWork), {
      creditCode: pathParam(request, "creditCode"),
    });
    response.json(agency);
  });
  router.get(
    "/api/v1/social-work-agencies",
    validatedRoute("query", agenciesQuery, async (query, request, response) => {
      const page = await callRpc(call, request, socialWork.listSocialWorkAgencies.bind(socialWork), query);
      response.json({ agencies: page.agencies, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.post(
    "/api/v1/social-workers",
    validatedRoute("body", workerBody, async (body, request, response) => {
      const { worker } = await callRpc(call, request, socialWork.registerSocialWorker.bind(socialWork), body);
      response.status(201).location(`/api/v1/social-workers/${worker?.workerId}`).json(worker);
    }),
  );
  router.get("/api/v1/social-workers/:workerId", async (request, response) => {
    const { worker } = await callRpc(call, request, socialWork.getSocialWorker.bind(socialWork), {
      workerId: pathParam(request, "workerId"),
    });
    response.json(worker);
  });
  router.get(
    "/api/v1/social-workers",
    validatedRoute("query", workersQuery, async (query, request, response) => {
      const page = await callRpc(call, request, socialWork.listSocialWorkers.bind(socialWork), {
        ...query,
        licenceLevel: query.licenceLevel ?? "",
      });
      response.json({ workers: page.workers, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.put(
    "/api/v1/social-workers/:workerId/affiliation",
    validatedRoute("body", affiliationBody, async (body, request, response) => {
      const { worker } = await callRpc(
        call,
        request,
        socialWork.changeSocialWorkerAffiliation.bind(socialWork),
        { workerId: pathParam(request, "workerId"), ...body },
      );
      response.json(worker);
    }),
  );
  router.get("/api/v1/social-worker-counts/:areaId", async (request, response) => {
    response.json(
      await callRpc(call, request, socialWork.countSocialWorkers.bind(socialWork), {
        areaId: pathParam(request, "areaId"),
      }),
    );
  });
  return router;
}
