import { enumNames, socialRegistryV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { OrganisationDesk, OrganisationView } from "../app/organisation-desk.js";

const v1 = socialRegistryV1;
const legalFormNames = enumNames(v1.LegalForm, "LEGAL_FORM_");
const categoryNames = enumNames(v1.OrganisationCategory, "ORGANISATION_CATEGORY_");
const statusNames = enumNames(v1.OrganisationStatus, "ORGANISATION_STATUS_");
const actionNames = enumNames(v1.StatusAction, "STATUS_ACTION_");
const creditListNames = enumNames(v1.CreditList, "CREDIT_LIST_");
const reportResultNames = enumNames(v1.AnnualReportResult, "ANNUAL_REPORT_RESULT_");
const method = (name: string) => `civic.social_registry.v1.OrganisationService/${name}`;

/** gRPC face of the organisation register. */
export function organisationGrpcService(
  registry: OrganisationDesk,
): socialRegistryV1.OrganisationServiceServer {
  const reply = async (view: Promise<OrganisationView>) => ({
    organisation: toProtoOrganisation(await view),
  });
  return {
    registerOrganisation: unaryHandler(
      method("RegisterOrganisation"),
      (request: socialRegistryV1.RegisterOrganisationRequest, { caller }) =>
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
    ),
    getOrganisation: unaryHandler(
      method("GetOrganisation"),
      (request: socialRegistryV1.GetOrganisationRequest) => reply(registry.get(request.creditCode)),
    ),
    searchOrganisations: unaryHandler(
      method("SearchOrganisations"),
      async (request: socialRegistryV1.SearchOrganisationsRequest) => {
        const page = await registry.search(
          {
            name: request.name,
            creditCodePrefix: request.creditCodePrefix,
            category: categoryNames.toName(request.category),
            areaId: request.areaId,
            status: statusNames.toName(request.status),
          },
          request,
        );
        return {
          organisations: page.organisations.map(toProtoOrganisation),
          nextPageToken: page.nextPageToken,
        };
      },
    ),
    changeOrganisationStatus: unaryHandler(
      method("ChangeOrganisationStatus"),
      (request: socialRegistryV1.ChangeOrganisationStatusRequest, { caller }) =>
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
    ),
    enterCreditList: unaryHandler(
      method("EnterCreditList"),
      (request: socialRegistryV1.EnterCreditListRequest, { caller }) =>
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
    ),
    removeFromCreditList: unaryHandler(
      method("RemoveFromCreditList"),
      (request: socialRegistryV1.RemoveFromCreditListRequest, { caller }) =>
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
    ),
    recordAnnualReport: unaryHandler(
      method("RecordAnnualReport"),
      (request: socialRegistryV1.RecordAnnualReportRequest, { caller }) =>
        reply(
          registry.recordAnnualReport(
            request.creditCode,
            { year: request.year, result: reportResultNames.toName(request.result), note: request.note },
            caller,
          ),
        ),
    ),
    setPartyBranchCoverage: unaryHandler(
      method("SetPartyBranchCoverage"),
      (request: socialRegistryV1.SetPartyBranchCoverageRequest, { caller }) =>
        reply(registry.setPartyBranchCoverage(request.creditCode, request.covered, caller)),
    ),
  };
}

function toProtoOrganisation(view: OrganisationView): socialRegistryV1.Organisation {
  return {
    creditCode: view.creditCode,
    name: view.name,
    legalForm: legalFormNames.fromName(view.legalForm),
    category: categoryNames.fromName(view.category),
    areaId: view.areaId,
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
    partyBranchCovered: view.partyBranchCovered,
    version: view.version,
  };
}
