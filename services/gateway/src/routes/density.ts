import type { socialRegistryV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";

const densityQuery = z.object({ asOf: z.string().max(10).default("") }).strict();

const measureJson = (measure: v1.DensityMeasure | undefined) => ({
  count: measure?.count ?? 0,
  per10k: measure?.per10k ?? null,
  target: measure?.target ?? null,
  meetsTarget: measure?.meetsTarget ?? null,
});

/** Organisations and social workers per 10,000 residents: see DensityService in proto/. */
export function densityRoutes({
  density,
  call,
}: {
  density: v1.DensityServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  router.get(
    "/api/v1/density-metrics/:areaId",
    validatedRoute("query", densityQuery, async (query, request, response) => {
      const report = await callRpc(call, request, density.getDensityMetrics.bind(density), {
        areaId: pathParam(request, "areaId"),
        asOf: query.asOf,
      });
      response.json({
        ...report,
        organisations: measureJson(report.organisations),
        socialWorkers: measureJson(report.socialWorkers),
      });
    }),
  );
  return router;
}
