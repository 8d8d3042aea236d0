import { enumNames, gridCasesV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { problemTypes, sendProblem } from "../problem.js";
import { validate } from "../validation.js";

const channelNames = enumNames(gridCasesV1.Channel, "CHANNEL_");
const requestTypeNames = enumNames(gridCasesV1.RequestType, "REQUEST_TYPE_");
const caseStatusNames = enumNames(gridCasesV1.CaseStatus, "CASE_STATUS_");

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
    submittedBy: value.submittedBy,
    submittedAt: value.submittedAt?.toISOString(),
    version: value.version,
  };
}

export interface CaseRoutesOptions {
  cases: gridCasesV1.CaseServiceClient;
  call: GrpcCall;
}

/** POST /api/v1/cases and GET /api/v1/cases/{caseId}: see CaseService in proto/. */
export function caseRoutes({ cases, call }: CaseRoutesOptions): Router {
  const router = Router();

  router.post("/api/v1/cases", async (request, response) => {
    const body = validate(submitCaseBody, request.body);
    if (!body.ok) {
      sendProblem(response, {
        type: problemTypes.invalidRequest,
        title: "The request is invalid",
        status: 400,
        detail: "Some fields are missing or have the wrong type",
        instance: request.originalUrl,
        errors: body.errors,
      });
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
          },
          metadata,
          options,
          callback,
        ),
    );
    if (!submitted.case) throw new Error("SubmitCase answered without a case");
    response.status(201).location(`/api/v1/cases/${submitted.case.caseId}`).json(caseJson(submitted.case));
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
