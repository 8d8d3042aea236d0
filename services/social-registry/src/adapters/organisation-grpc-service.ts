import { enumNames, socialRegistryV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { OrganisationDesk, OrganisationView } from "../app/organisation-desk.js";

const v1 = socialRegistryV1;
const legalFormNames = enumNames(v1.LegalForm, "LEGAL_FORM_");
const categoryNames = enumNames(v1.OrganisationCategory, "ORGANISATION_CATEGORY_");
const statusNames = enumNames(v1.OrganisationStatus, "ORGANISATION_STATUS_");
const actionNames = enumNames(v1.StatusAction, "STATUS_ACTION_");
const creditListNames = enumNames(v1.CreditList, "CREDIT_LIST_");
const reportResultNames = enumNames(v1.AnnualReportResult, "ANNUAL_REPORT_RESULT_");

/** gRPC face of the organisation register. */
export function organisationGrpcService(registry: OrganisationDesk): GrpcServiceRegistration {
  const reply = replyWith("organisation", toProtoOrganisation);
  const organisationsPage = pageWith("organisations", toProtoOrganisation);
  return unaryService(socialRegistryV1.OrganisationServiceService, {
    registerOrganisation: (request, { caller }) =>
      reply(
        registry.register(
          {
            creditCode: request.creditCode,
            name: request.name,
            legalForm: legalFormNames.toName(request.legalForm),
            category: categoryNames.toName(request.category),
            areaId: request.areaId,
            filedOn: request.filedOn,
          },
          caller,
        ),
      ),
    getOrganisation: (request) => reply(registry.get(request.creditCode)),
    searchOrganisations: (request) =>
      organisationsPage(
        registry.search(
          {
            name: request.name,
            creditCodePrefix: request.creditCodePrefix,
            category: categoryNames.toName(request.category),
            areaId: request.areaId,
            status: statusNames.toName(request.status),
          },
          request,
        ),
      ),
    changeOrganisationStatus: (request, { caller }) =>
      reply(
        registry.changeStatus(
          request.creditCode,
          {
            action: actionNames.toName(request.action),
            reason: request.reason,
            effectiveOn: request.effectiveOn,
          },
          caller,
        ),
      ),
    enterCreditList: (request, { caller }) =>
      reply(
        registry.creditLists.enter(
          request.creditCode,
          {
            list: creditListNames.toName(request.list),
            reason: request.reason,
            enteredOn: request.enteredOn,
          },
          caller,
        ),
      ),
    removeFromCreditList: (request, { caller }) =>
      reply(
        registry.creditLists.remove(
          request.creditCode,
          {
            list: creditListNames.toName(request.list),
            reason: request.reason,
            removedOn: request.removedOn,
          },
          caller,
        ),
      ),
    recordAnnualReport: (request, { caller }) =>
      reply(
        registry.recordAnnualReport(
          request.creditCode,
          { year: request.year, result: reportResultNames.toName(request.result), note: request.note },
          caller,
        ),
      ),
    setPartyBranchCoverage: (request, { caller }) =>
      reply(registry.setPartyBranchCoverage(request.creditCode, request.covered, caller)),
  });
}

function toProtoOrganisation(view: OrganisationView): socialRegistryV1.Organisation {
  return {
    ...view,
    legalForm: legalFormNames.fromName(view.legalForm),
    category: categoryNames.fromName(view.category),
    status: statusNames.fromName(view.status),
    statusHistory: view.statusHistory.map((change) => ({
      status: statusNames.fromName(change.status),
      reason: change.reason,
      effectiveOn: change.effectiveOn,
      recordedAt: new Date(change.recordedAt),
      recordedBy: change.recordedBy,
    })),
    creditListEntries: view.creditListEntries.map((entry) => ({
      ...entry,
      list: creditListNames.fromName(entry.list),
    })),
    annualReports: view.annualReports.map((report) => ({
      year: report.year,
      result: reportResultNames.fromName(report.result),
      note: report.note,
      recordedAt: new Date(report.recordedAt),
    })),
  };
}
