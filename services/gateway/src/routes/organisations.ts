import { enumNames, socialRegistryV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import { checkedInput } from "../checked-input.js";
import type { GrpcCall } from "../grpc-call.js";

const v1 = socialRegistryV1;
const legalFormNames = enumNames(v1.LegalForm, "LEGAL_FORM_");
const categoryNames = enumNames(v1.OrganisationCategory, "ORGANISATION_CATEGORY_");
const statusNames = enumNames(v1.OrganisationStatus, "ORGANISATION_STATUS_");
const actionNames = enumNames(v1.StatusAction, "STATUS_ACTION_");
const creditListNames = enumNames(v1.CreditList, "CREDIT_LIST_");
const reportResultNames = enumNames(v1.AnnualReportResult, "ANNUAL_REPORT_RESULT_");
const names = (values: readonly string[]) => values as [string, ...string[]];

const date = z.string().max(10).default("");
const registerBody = z
  .object({
    creditCode: z.string().max(18),
    name: z.string(),
    legalForm: z.enum(names(legalFormNames.names)),
    category: z.enum(names(categoryNames.names)),
    areaId: z.string().max(18),
    filedOn: date,
  })
  .strict();
const statusChangeBody = z
  .object({ action: z.enum(names(actionNames.names)), reason: z.string().default(""), effectiveOn: date })
  .strict();
const creditListEntryBody = z
  .object({ list: z.enum(names(creditListNames.names)), reason: z.string(), enteredOn: date })
  .strict();
const creditListRemovalBody = z
  .object({ list: z.enum(names(creditListNames.names)), reason: z.string(), removedOn: date })
  .strict();
const annualReportBody = z
  .object({
    year: z.number().int(),
    result: z.enum(names(reportResultNames.names)),
    note: z.string().default(""),
  })
  .strict();
const partyBranchBody = z.object({ covered: z.boolean() }).strict();
const searchQuery = z
  .object({
    name: z.string().max(100).default(""),
    creditCodePrefix: z.string().max(18).default(""),
    category: z.enum(names(categoryNames.names)).optional(),
    areaId: z.string().max(18).default(""),
    status: z.enum(names(statusNames.names)).optional(),
    pageSize: z.coerce.number().int().default(0),
    pageToken: z.string().max(200).default(""),
  })
  .strict();

export function organisationJson(organisation: socialRegistryV1.Organisation) {
  return {
    creditCode: organisation.creditCode,
    name: organisation.name,
    legalForm: legalFormNames.toName(organisation.legalForm),
    category: categoryNames.toName(organisation.category),
    areaId: organisation.areaId,
    status: statusNames.toName(organisation.status),
    statusHistory: organisation.statusHistory.map((change) => ({
      ...change,
      status: statusNames.toName(change.status),
      reason: change.reason || null,
    })),
    creditLists: organisation.creditListEntries
      .filter((entry) => entry.removedOn === "")
      .map((entry) => creditListNames.toName(entry.list)),
    creditListEntries: organisation.creditListEntries.map((entry) => ({
      list: creditListNames.toName(entry.list),
      reason: entry.reason,
      enteredOn: entry.enteredOn,
      removedOn: entry.removedOn || null,
      removalReason: entry.removalReason || null,
    })),
    annualReports: organisation.annualReports.map((report) => ({
      ...report,
      result: reportResultNames.toName(report.result),
    })),
    partyBranchCovered: organisation.partyBranchCovered,
    version: organisation.version,
  };
}

const organisationOf = (answer: { organisation?: socialRegistryV1.Organisation | undefined }) => {
  if (!answer.organisation) throw new Error("OrganisationService answered without an organisation");
  return organisationJson(answer.organisation);
};

/** The organisation register: see OrganisationService in proto/. */
export function organisationRoutes({
  organisations,
  call,
}: {
  organisations: socialRegistryV1.OrganisationServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const creditCodeOf = (params: Record<string, string | string[] | undefined>) => String(params.creditCode);

  router.post("/api/v1/organisations", async (request, response) => {
    const body = checkedInput(registerBody, request.body, request, response);
    if (!body) return;
    const registered = await call<socialRegistryV1.RegisterOrganisationResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        organisations.registerOrganisation(
          {
            ...body,
            legalForm: legalFormNames.fromName(body.legalForm),
            category: categoryNames.fromName(body.category),
          },
          metadata,
          options,
          callback,
        ),
    );
    const organisation = organisationOf(registered);
    response.status(201).location(`/api/v1/organisations/${organisation.creditCode}`).json(organisation);
  });

  router.get("/api/v1/organisations/:creditCode", async (request, response) => {
    const found = await call<socialRegistryV1.GetOrganisationResponse>(
      request,
      (metadata, options, callback) =>
        organisations.getOrganisation(
          { creditCode: creditCodeOf(request.params) },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(found));
  });

  router.get("/api/v1/organisations", async (request, response) => {
    const query = checkedInput(searchQuery, request.query, request, response);
    if (!query) return;
    const page = await call<socialRegistryV1.SearchOrganisationsResponse>(
      request,
      (metadata, options, callback) =>
        organisations.searchOrganisations(
          {
            ...query,
            category: categoryNames.fromName(query.category ?? ""),
            status: statusNames.fromName(query.status ?? ""),
          },
          metadata,
          options,
          callback,
        ),
    );
    response.json({
      organisations: page.organisations.map(organisationJson),
      nextPageToken: page.nextPageToken || null,
    });
  });

  router.post("/api/v1/organisations/:creditCode/status-changes", async (request, response) => {
    const body = checkedInput(statusChangeBody, request.body, request, response);
    if (!body) return;
    const changed = await call<socialRegistryV1.ChangeOrganisationStatusResponse>(
      request,
      (metadata, options, callback) =>
        organisations.changeOrganisationStatus(
          { creditCode: creditCodeOf(request.params), ...body, action: actionNames.fromName(body.action) },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(changed));
  });

  router.post("/api/v1/organisations/:creditCode/credit-list-entries", async (request, response) => {
    const body = checkedInput(creditListEntryBody, request.body, request, response);
    if (!body) return;
    const entered = await call<socialRegistryV1.EnterCreditListResponse>(
      request,
      (metadata, options, callback) =>
        organisations.enterCreditList(
          { creditCode: creditCodeOf(request.params), ...body, list: creditListNames.fromName(body.list) },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(entered));
  });

  router.post("/api/v1/organisations/:creditCode/credit-list-removals", async (request, response) => {
    const body = checkedInput(creditListRemovalBody, request.body, request, response);
    if (!body) return;
    const removed = await call<socialRegistryV1.RemoveFromCreditListResponse>(
      request,
      (metadata, options, callback) =>
        organisations.removeFromCreditList(
          { creditCode: creditCodeOf(request.params), ...body, list: creditListNames.fromName(body.list) },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(removed));
  });

  router.post("/api/v1/organisations/:creditCode/annual-reports", async (request, response) => {
    const body = checkedInput(annualReportBody, request.body, request, response);
    if (!body) return;
    const recorded = await call<socialRegistryV1.RecordAnnualReportResponse>(
      request,
      (metadata, options, callback) =>
        organisations.recordAnnualReport(
          {
            creditCode: creditCodeOf(request.params),
            ...body,
            result: reportResultNames.fromName(body.result),
          },
          metadata,
          options,
          callback,
        ),
    );
    response.status(201).json(organisationOf(recorded));
  });

  router.put("/api/v1/organisations/:creditCode/party-branch", async (request, response) => {
    const body = checkedInput(partyBranchBody, request.body, request, response);
    if (!body) return;
    const set = await call<socialRegistryV1.SetPartyBranchCoverageResponse>(
      request,
      (metadata, options, callback) =>
        organisations.setPartyBranchCoverage(
          { creditCode: creditCodeOf(request.params), covered: body.covered },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(set));
  });

  return router;
}
