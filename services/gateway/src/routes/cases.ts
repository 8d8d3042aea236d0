import { enumNames, gridCasesV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { invalidRequest, sendProblem } from "../problem.js";
import { commaList, isoInstant, pageQuery, validate } from "../validation.js";

const channelNames = enumNames(gridCasesV1.Channel, "CHANNEL_");
const requestTypeNames = enumNames(gridCasesV1.RequestType, "REQUEST_TYPE_");
const caseStatusNames = enumNames(gridCasesV1.CaseStatus, "CASE_STATUS_");
const satisfactionNames = enumNames(gridCasesV1.Satisfaction, "SATISFACTION_");
const urgencyNames = enumNames(gridCasesV1.CaseUrgency, "CASE_URGENCY_");

const listCasesQuery = z
  .object({
    areaIdPrefix: z.string().max(64).default(""),
    categoryCode: z.string().max(64).default(""),
    statuses: commaList(z.enum(caseStatusNames.names as [string, ...string[]]), 10).default([]),
    submittedFrom: isoInstant.optional(),
    submittedTo: isoInstant.optional(),
    caseIds: commaList(z.string().max(64), 100).default([]),
    ...pageQuery,
  })
  .strict();
const listCategoriesQuery = z.object(pageQuery).strict();

const expectedVersion = z.number().int().min(1).optional();
const step = <Action extends string, Shape extends z.ZodRawShape>(action: Action, shape: Shape) =>
  z.object({ action: z.literal(action), expectedVersion, ...shape }).strict();

const statisticsQuery = z
  .object({
    scope: z.enum(["all", "area", "category", "department", "day", "month"]).default("all"),
    value: z.string().max(64).default(""),
  })
  .strict();

/** One lifecycle step per body; `action` names it, the other fields are its inputs. */
const transitionBody = z.discriminatedUnion("action", [
  step("accept", {}),
  step("reject", { reason: z.string() }),
  step("dispatch", { departmentId: z.string() }),
  step("sign_for", {}),
  step("return", { reason: z.string(), basis: z.string() }),
  step("start_work", {}),
  step("resolve", { result: z.string() }),
  step("record_return_visit", {
    satisfaction: z.enum(satisfactionNames.names as [string, ...string[]]),
    comment: z.string().optional(),
  }),
  step("reopen", { reason: z.string() }),
  step("close", {}),
  step("record_contact", {}),
  step("record_arrival", {}),
  step("extend", { reason: z.string() }),
  step("blow_whistle", {
    departmentIds: z.array(z.string()).max(20),
    reason: z.string(),
    reportWithinHours: z.number().int().default(24),
  }),
  step("acknowledge_whistle", {}),
  step("report_arrival", {}),
  step("issue_supervision", { note: z.string() }),
]);

function actionOf(body: z.infer<typeof transitionBody>): gridCasesV1.TransitionCaseRequest["action"] {
  switch (body.action) {
    case "accept":
      return { $case: "accept", value: {} };
    case "reject":
      return { $case: "reject", value: { reason: body.reason } };
    case "dispatch":
      return { $case: "dispatch", value: { departmentId: body.departmentId } };
    case "sign_for":
      return { $case: "signFor", value: {} };
    case "return":
      return { $case: "returnCase", value: { reason: body.reason, basis: body.basis } };
    case "start_work":
      return { $case: "startWork", value: {} };
    case "resolve":
      return { $case: "resolve", value: { result: body.result } };
    case "record_return_visit":
      return {
        $case: "recordReturnVisit",
        value: { satisfaction: satisfactionNames.fromName(body.satisfaction), comment: body.comment ?? "" },
      };
    case "reopen":
      return { $case: "reopen", value: { reason: body.reason } };
    case "close":
      return { $case: "close", value: {} };
    case "record_contact":
      return { $case: "recordContact", value: {} };
    case "record_arrival":
      return { $case: "recordArrival", value: {} };
    case "extend":
      return { $case: "extend", value: { reason: body.reason } };
    case "blow_whistle":
      return {
        $case: "blowWhistle",
        value: {
          departmentIds: body.departmentIds,
          reason: body.reason,
          reportWithinHours: body.reportWithinHours,
        },
      };
    case "acknowledge_whistle":
      return { $case: "acknowledgeWhistle", value: {} };
    case "report_arrival":
      return { $case: "reportArrival", value: {} };
    case "issue_supervision":
      return { $case: "issueSupervision", value: { note: body.note } };
  }
}

const submitCaseBody = z
  .object({
    channel: z.enum(channelNames.names as [string, ...string[]]),
    requestType: z.enum(requestTypeNames.names as [string, ...string[]]),
    categoryCode: z.string(),
    title: z.string(),
    description: z.string(),
    areaId: z.string(),
    address: z.string().optional(),
    reporterName: z.string().optional(),
    reporterPhone: z.string().max(20).optional(),
    anonymous: z.boolean().optional(),
    location: z.object({ latitude: z.number(), longitude: z.number() }).strict().optional(),
    mediaUrl: z.string().max(500).optional(),
  })
  .strict();

/** Case JSON as the REST API shows it. */
export function caseJson(value: gridCasesV1.Case) {
  return {
    caseId: value.caseId,
    status: caseStatusNames.toName(value.status),
    channel: channelNames.toName(value.channel),
    requestType: requestTypeNames.toName(value.requestType),
    categoryCode: value.categoryCode,
    title: value.title,
    description: value.description,
    areaId: value.areaId,
    address: value.address,
    reporterName: value.reporterName,
    reporterPhone: value.reporterPhone,
    anonymous: value.anonymous,
    origin: value.origin ?? null,
    location: value.location ?? null,
    mediaUrl: value.mediaUrl,
    submittedBy: value.submittedBy,
    submittedAt: value.submittedAt?.toISOString(),
    version: value.version,
    departmentId: value.departmentId,
    result: value.result,
    satisfaction: satisfactionNames.toName(value.satisfaction),
    reopenCount: value.reopenCount,
    timeline: value.timeline.map((entry) => ({ ...entry, at: entry.at?.toISOString() })),
    sla: value.slaPolicy
      ? {
          policy: value.slaPolicy,
          contactDue: value.contactDue?.toISOString(),
          onSiteDue: value.onSiteDue?.toISOString(),
          resolveDue: value.resolveDue?.toISOString(),
          extensions: value.extensions,
          breached: value.breachedDeadlines,
        }
      : null,
    supervisions: value.supervisions,
    whistle: value.whistle
      ? {
          reason: value.whistle.reason,
          reportBy: value.whistle.reportBy?.toISOString(),
          escalated: value.whistle.escalated,
          reports: value.whistle.reports.map((report) => ({
            departmentId: report.departmentId,
            acknowledgedAt: report.acknowledgedAt?.toISOString() ?? null,
            arrivedAt: report.arrivedAt?.toISOString() ?? null,
          })),
        }
      : null,
  };
}

export interface CaseRoutesOptions {
  cases: gridCasesV1.CaseServiceClient;
  call: GrpcCall;
}

/** Cases, their lifecycle, statistics and the category catalogue: see CaseService in proto/. */
export function caseRoutes({ cases, call }: CaseRoutesOptions): Router {
  const router = Router();

  router.post("/api/v1/cases", async (request, response) => {
    const body = validate(submitCaseBody, request.body);
    if (!body.ok) {
      sendProblem(response, invalidRequest(request.originalUrl, body.errors));
      return;
    }
    const input = body.value;
    const submitted = await call<gridCasesV1.SubmitCaseResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        cases.submitCase(
          {
            channel: channelNames.fromName(input.channel),
            requestType: requestTypeNames.fromName(input.requestType),
            categoryCode: input.categoryCode,
            title: input.title,
            description: input.description,
            areaId: input.areaId,
            address: input.address ?? "",
            reporterName: input.reporterName ?? "",
            reporterPhone: input.reporterPhone ?? "",
            anonymous: input.anonymous ?? false,
            location: input.location,
            mediaUrl: input.mediaUrl ?? "",
          },
          metadata,
          options,
          callback,
        ),
    );
    if (!submitted.case) throw new Error("SubmitCase answered without a case");
    response.status(201).location(`/api/v1/cases/${submitted.case.caseId}`).json(caseJson(submitted.case));
  });

  router.get("/api/v1/cases", async (request, response) => {
    const query = validate(listCasesQuery, request.query);
    if (!query.ok) {
      sendProblem(response, invalidRequest(request.originalUrl, query.errors));
      return;
    }
    const { statuses, ...criteria } = query.value;
    const found = await call<gridCasesV1.ListCasesResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        cases.listCases(
          { ...criteria, statuses: statuses.map(caseStatusNames.fromName) },
          metadata,
          options,
          callback,
        ),
    );
    response.json({ cases: found.cases.map(caseJson), nextPageToken: found.nextPageToken || undefined });
  });

  router.get("/api/v1/case-categories", async (request, response) => {
    const query = validate(listCategoriesQuery, request.query);
    if (!query.ok) {
      sendProblem(response, invalidRequest(request.originalUrl, query.errors));
      return;
    }
    const found = await call<gridCasesV1.ListCaseCategoriesResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        cases.listCaseCategories(query.value, metadata, options, callback),
    );
    response.json({
      categories: found.categories.map((category) => ({
        ...category,
        requestType: requestTypeNames.toName(category.requestType),
        urgency: urgencyNames.toName(category.urgency),
      })),
      nextPageToken: found.nextPageToken || undefined,
    });
  });

  router.post("/api/v1/cases/:caseId/transitions", async (request, response) => {
    const body = validate(transitionBody, request.body);
    if (!body.ok) {
      sendProblem(response, invalidRequest(request.originalUrl, body.errors));
      return;
    }
    const moved = await call<gridCasesV1.TransitionCaseResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        cases.transitionCase(
          {
            caseId: request.params.caseId as string,
            expectedVersion: body.value.expectedVersion ?? 0,
            action: actionOf(body.value),
          },
          metadata,
          options,
          callback,
        ),
    );
    if (!moved.case) throw new Error("TransitionCase answered without a case");
    response.json(caseJson(moved.case));
  });

  router.get("/api/v1/case-statistics", async (request, response) => {
    const query = validate(statisticsQuery, request.query);
    if (!query.ok) {
      sendProblem(response, invalidRequest(request.originalUrl, query.errors));
      return;
    }
    const found = await call<gridCasesV1.GetCaseStatisticsResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        cases.getCaseStatistics(
          { scope: query.value.scope, value: query.value.value },
          metadata,
          options,
          callback,
        ),
    );
    const statistics = found.statistics;
    if (!statistics) throw new Error("GetCaseStatistics answered without statistics");
    response.json({
      ...statistics,
      resolutionRate: statistics.resolutionRate ?? null,
      onTimeRate: statistics.onTimeRate ?? null,
      satisfactionRate: statistics.satisfactionRate ?? null,
    });
  });

  router.get("/api/v1/cases/:caseId/possible-duplicates", async (request, response) => {
    const found = await call<gridCasesV1.ListPossibleDuplicatesResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        cases.listPossibleDuplicates(
          { caseId: request.params.caseId as string },
          metadata,
          options,
          callback,
        ),
    );
    response.json({ duplicates: found.duplicates });
  });

  router.get("/api/v1/cases/:caseId", async (request, response) => {
    const found = await call<gridCasesV1.GetCaseResponse>(request, (metadata: Metadata, options, callback) =>
      cases.getCase({ caseId: request.params.caseId }, metadata, options, callback),
    );
    if (!found.case) throw new Error("GetCase answered without a case");
    response.json(caseJson(found.case));
  });

  return router;
}
