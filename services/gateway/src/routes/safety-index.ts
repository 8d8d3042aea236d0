import type { gridCasesV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { invalidRequest, sendProblem } from "../problem.js";
import { pageQuery, validate } from "../validation.js";

const countBody = z.object({ count: z.number().int() }).strict();
const emptyBody = z.object({}).strict();
const incidentBody = z
  .object({
    source: z.string().max(40),
    incidentId: z.string().max(64),
    indicator: z.string().max(40),
    areaId: z.string().max(18),
    occurredAt: z.iso.datetime({ offset: true }),
  })
  .strict();
const streetsQuery = z.object(pageQuery).strict();

function periodJson(period: gridCasesV1.SafetyIndexPeriod | undefined) {
  if (!period) throw new Error("SafetyIndexService answered without a period");
  return {
    areaId: period.areaId,
    period: period.period,
    counts: period.counts,
    current: period.current ?? null,
    published: period.published
      ? { ...period.published, publishedAt: period.publishedAt?.toISOString() }
      : null,
    recordedIncidents: period.recordedIncidents,
  };
}

function incidentJson(incident: gridCasesV1.SafetyIncident | undefined) {
  if (!incident) throw new Error("SafetyIndexService answered without an incident");
  return {
    ...incident,
    occurredAt: incident.occurredAt?.toISOString(),
    recordedAt: incident.recordedAt?.toISOString(),
  };
}

/** The safety index of districts and streets per month: see SafetyIndexService in proto/. */
export function safetyIndexRoutes({
  safety,
  call,
}: {
  safety: gridCasesV1.SafetyIndexServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const base = "/api/v1/safety-index/:areaId/:period";

  router.put(`${base}/counts/:indicator`, async (request, response) => {
    const body = validate(countBody, request.body);
    if (!body.ok) return sendProblem(response, invalidRequest(request.originalUrl, body.errors));
    const { areaId = "", period = "", indicator = "" } = request.params;
    const recorded = await call<gridCasesV1.RecordIncidentCountResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        safety.recordIncidentCount(
          { areaId, period, indicator, count: body.value.count },
          metadata,
          options,
          callback,
        ),
    );
    response.json(periodJson(recorded.safetyIndex));
  });

  router.post(`${base}/publication`, async (request, response) => {
    const body = validate(emptyBody, request.body ?? {});
    if (!body.ok) return sendProblem(response, invalidRequest(request.originalUrl, body.errors));
    const { areaId = "", period = "" } = request.params;
    const published = await call<gridCasesV1.PublishSafetyIndexResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        safety.publishSafetyIndex({ areaId, period }, metadata, options, callback),
    );
    response.json(periodJson(published.safetyIndex));
  });

  router.post("/api/v1/safety-incidents", async (request, response) => {
    const body = validate(incidentBody, request.body);
    if (!body.ok) return sendProblem(response, invalidRequest(request.originalUrl, body.errors));
    const recorded = await call<gridCasesV1.RecordIncidentResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        safety.recordIncident(
          { ...body.value, occurredAt: new Date(body.value.occurredAt) },
          metadata,
          options,
          callback,
        ),
    );
    response.status(recorded.created ? 201 : 200).json(incidentJson(recorded.incident));
  });

  router.get("/api/v1/safety-index/:districtId/:period/streets", async (request, response) => {
    const query = validate(streetsQuery, request.query);
    if (!query.ok) return sendProblem(response, invalidRequest(request.originalUrl, query.errors));
    const { districtId = "", period = "" } = request.params;
    const found = await call<gridCasesV1.ListStreetSafetyIndexesResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        safety.listStreetSafetyIndexes({ districtId, period, ...query.value }, metadata, options, callback),
    );
    response.json({ streets: found.streets.map(periodJson), nextPageToken: found.nextPageToken });
  });

  router.get(base, async (request, response) => {
    const { areaId = "", period = "" } = request.params;
    const found = await call<gridCasesV1.GetSafetyIndexResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        safety.getSafetyIndex({ areaId, period }, metadata, options, callback),
    );
    response.json(periodJson(found.safetyIndex));
  });

  return router;
}
