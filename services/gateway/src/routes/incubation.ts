import type { socialRegistryV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";
import { pageQuery } from "./volunteer-stations.js";

const date = z.string().max(10);
const incubatorBody = z
  .object({ name: z.string().max(200), areaId: z.string().max(18), operatorCreditCode: z.string().max(18) })
  .strict();
const incubatorsQuery = z.object({ areaId: z.string().max(18).default(""), ...pageQuery }).strict();
const cohortBody = z.object({ name: z.string().max(200), startsOn: date, endsOn: date }).strict();
const entryBody = z
  .object({ organisationCreditCode: z.string().max(18), appliedOn: date.default("") })
  .strict();
const stageChangeBody = z
  .object({
    action: z.enum(["start", "graduate", "withdraw"]),
    on: date.default(""),
    outcome: z.enum(["registered", "filed"]).optional(),
    reason: z.string().max(1000).default(""),
  })
  .strict();
const pageOnly = z.object(pageQuery).strict();

/** Incubators, cohorts and organisations' incubation: see IncubationService in proto/. */
export function incubationRoutes({
  incubation,
  call,
}: {
  incubation: v1.IncubationServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  router.post(
    "/api/v1/incubators",
    validatedRoute("body", incubatorBody, async (body, request, response) => {
      const { incubator } = await callRpc(call, request, incubation.openIncubator.bind(incubation), body);
      response.status(201).location(`/api/v1/incubators/${incubator?.incubatorId}`).json(incubator);
    }),
  );
  router.get("/api/v1/incubators/:incubatorId", async (request, response) => {
    const { incubator } = await callRpc(call, request, incubation.getIncubator.bind(incubation), {
      incubatorId: pathParam(request, "incubatorId"),
    });
    response.json(incubator);
  });
  router.get(
    "/api/v1/incubators",
    validatedRoute("query", incubatorsQuery, async (query, request, response) => {
      const page = await callRpc(call, request, incubation.listIncubators.bind(incubation), query);
      response.json({ incubators: page.incubators, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.post(
    "/api/v1/incubators/:incubatorId/cohorts",
    validatedRoute("body", cohortBody, async (body, request, response) => {
      const { cohort } = await callRpc(call, request, incubation.openCohort.bind(incubation), {
        incubatorId: pathParam(request, "incubatorId"),
        ...body,
      });
      response.status(201).location(`/api/v1/incubation-cohorts/${cohort?.cohortId}`).json(cohort);
    }),
  );
  router.get(
    "/api/v1/incubators/:incubatorId/cohorts",
    validatedRoute("query", pageOnly, async (query, request, response) => {
      const page = await callRpc(call, request, incubation.listCohorts.bind(incubation), {
        incubatorId: pathParam(request, "incubatorId"),
        ...query,
      });
      response.json({ cohorts: page.cohorts, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.get("/api/v1/incubation-cohorts/:cohortId", async (request, response) => {
    const { cohort } = await callRpc(call, request, incubation.getCohort.bind(incubation), {
      cohortId: pathParam(request, "cohortId"),
    });
    response.json(cohort);
  });
  router.post(
    "/api/v1/incubation-cohorts/:cohortId/participants",
    validatedRoute("body", entryBody, async (body, request, response) => {
      const entered = await callRpc(call, request, incubation.enterCohort.bind(incubation), {
        cohortId: pathParam(request, "cohortId"),
        ...body,
      });
      response
        .status(201)
        .location(`/api/v1/incubations/${body.organisationCreditCode}`)
        .json(entered.incubation);
    }),
  );
  router.get(
    "/api/v1/incubation-cohorts/:cohortId/participants",
    validatedRoute("query", pageOnly, async (query, request, response) => {
      const page = await callRpc(call, request, incubation.listCohortParticipants.bind(incubation), {
        cohortId: pathParam(request, "cohortId"),
        ...query,
      });
      response.json({ incubations: page.incubations, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.get("/api/v1/incubations/:creditCode", async (request, response) => {
    const found = await callRpc(call, request, incubation.getIncubation.bind(incubation), {
      creditCode: pathParam(request, "creditCode"),
    });
    response.json(found.incubation);
  });
  router.post(
    "/api/v1/incubations/:creditCode/stage-changes",
    validatedRoute("body", stageChangeBody, async (body, request, response) => {
      const changed = await callRpc(call, request, incubation.changeIncubationStage.bind(incubation), {
        creditCode: pathParam(request, "creditCode"),
        ...body,
        outcome: body.outcome ?? "",
      });
      response.json(changed.incubation);
    }),
  );
  return router;
}
