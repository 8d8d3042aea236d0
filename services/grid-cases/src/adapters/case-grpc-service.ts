import { gridCasesV1 } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, pageWith, unaryService } from "@civic/service-kit";
import type { CaseIntakeDesk } from "../app/case-intake-desk.js";
import type { CaseListDesk } from "../app/case-list-desk.js";
import type { CaseStatisticsDesk } from "../app/case-statistics-desk.js";
import type { CaseView } from "../app/case-view.js";
import type { CaseWorkflowDesk } from "../app/case-workflow-desk.js";
import type { CaseCategoryCatalogue } from "../domain/case-categories.js";
import { type CaseCommand, defaultWhistleHours } from "../domain/case-lifecycle.js";
import {
  channelFromProto,
  channelToProto,
  requestTypeFromProto,
  requestTypeToProto,
  satisfactionFromProto,
  satisfactionToProto,
  statusFromProto,
  statusToProto,
  urgencyToProto,
} from "./enum-mapping.js";

function requireCaseId(caseId: string): void {
  if (caseId.trim() === "")
    throw new InvalidArgumentError([{ field: "caseId", description: "must not be empty" }]);
}

/** gRPC face of the case use cases: maps messages to commands and views back to messages. */
export function caseGrpcService(
  intake: CaseIntakeDesk,
  workflow: CaseWorkflowDesk,
  statistics: CaseStatisticsDesk,
  listing: CaseListDesk,
  catalogue: { current(): Promise<CaseCategoryCatalogue> },
): GrpcServiceRegistration {
  const casesPage = pageWith("cases", toProtoCase);
  return unaryService(gridCasesV1.CaseServiceService, {
    submitCase: async (request, { caller }) => {
      const view = await intake.submit(
        {
          channel: channelFromProto(request.channel),
          requestType: requestTypeFromProto(request.requestType),
          categoryCode: request.categoryCode,
          title: request.title,
          description: request.description,
          areaId: request.areaId,
          address: request.address,
          reporterName: request.reporterName,
          reporterPhone: request.reporterPhone.trim(),
          anonymous: request.anonymous,
          ...(request.location ? { location: request.location } : {}),
          mediaUrl: request.mediaUrl,
        },
        caller,
      );
      return { case: toProtoCase(view) };
    },
    transitionCase: async (request, { caller }) => {
      requireCaseId(request.caseId);
      if (request.expectedVersion < 0) {
        throw new InvalidArgumentError([{ field: "expectedVersion", description: "must not be negative" }]);
      }
      const view = await namingStepFields(request.action, () =>
        workflow.transition(
          request.caseId,
          commandOf(request.action),
          caller,
          request.expectedVersion > 0 ? request.expectedVersion : undefined,
        ),
      );
      return { case: toProtoCase(view) };
    },
    getCaseStatistics: async (request, { caller }) => {
      const view = await statistics.get(request.scope, request.value, caller);
      const { resolutionRate, onTimeRate, satisfactionRate, ...counts } = view;
      return {
        statistics: {
          ...counts,
          ...(resolutionRate === null ? {} : { resolutionRate }),
          ...(onTimeRate === null ? {} : { onTimeRate }),
          ...(satisfactionRate === null ? {} : { satisfactionRate }),
        },
      };
    },
    listPossibleDuplicates: async (request, { caller }) => {
      requireCaseId(request.caseId);
      return { duplicates: await intake.possibleDuplicates(request.caseId, caller) };
    },
    getCase: async (request, { caller }) => {
      requireCaseId(request.caseId);
      return { case: toProtoCase(await intake.get(request.caseId, caller)) };
    },
    listCases: (request, { caller }) =>
      casesPage(
        listing.list(
          {
            areaIdPrefix: request.areaIdPrefix.trim(),
            categoryCode: request.categoryCode.trim(),
            statuses: request.statuses.map(statusFromProto),
            ...(request.submittedFrom ? { submittedFrom: request.submittedFrom } : {}),
            ...(request.submittedTo ? { submittedTo: request.submittedTo } : {}),
            caseIds: request.caseIds,
          },
          request,
          caller,
        ),
      ),
    listCaseCategories: async (request) => {
      const page = (await catalogue.current()).page(request.pageSize, request.pageToken);
      return {
        categories: page.categories.map((category) => ({
          code: category.code,
          name: category.name,
          requestType: requestTypeToProto(category.requestType),
          urgency: urgencyToProto(category.urgency),
          defaultDepartmentId: category.defaultDepartmentId,
        })),
        nextPageToken: page.nextPageToken,
      };
    },
  });
}

function commandOf(action: gridCasesV1.TransitionCaseRequest["action"]): CaseCommand {
  switch (action?.$case) {
    case "accept":
      return { kind: "accept" };
    case "reject":
      return { kind: "reject", reason: action.value.reason };
    case "dispatch":
      return { kind: "dispatch", departmentId: action.value.departmentId };
    case "signFor":
      return { kind: "sign_for" };
    case "returnCase":
      return { kind: "return", reason: action.value.reason, basis: action.value.basis };
    case "startWork":
      return { kind: "start_work" };
    case "resolve":
      return { kind: "resolve", result: action.value.result };
    case "recordReturnVisit":
      return {
        kind: "record_return_visit",
        satisfaction: satisfactionFromProto(action.value.satisfaction),
        comment: action.value.comment,
      };
    case "reopen":
      return { kind: "reopen", reason: action.value.reason };
    case "close":
      return { kind: "close" };
    case "recordContact":
      return { kind: "record_contact" };
    case "recordArrival":
      return { kind: "record_arrival" };
    case "extend":
      return { kind: "extend", reason: action.value.reason };
    case "blowWhistle":
      return {
        kind: "blow_whistle",
        departmentIds: action.value.departmentIds,
        reason: action.value.reason,
        // proto3 cannot tell 0 from absent: 0 asks for the default.
        reportWithinHours: action.value.reportWithinHours || defaultWhistleHours,
      };
    case "acknowledgeWhistle":
      return { kind: "acknowledge_whistle" };
    case "reportArrival":
      return { kind: "report_arrival" };
    case "issueSupervision":
      return { kind: "issue_supervision", note: action.value.note };
    default:
      throw new InvalidArgumentError([{ field: "action", description: "must name one lifecycle step" }]);
  }
}

/**
 * Violations of the step's own fields named by their path in the request, as a client wrote
 * them (`dispatch.departmentId`); others (`categoryCode` of the case, `expectedVersion`) stay.
 */
async function namingStepFields<T>(
  action: gridCasesV1.TransitionCaseRequest["action"],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InvalidArgumentError) || !action) throw error;
    const stepFields = Object.keys(action.value);
    throw new InvalidArgumentError(
      error.violations.map((violation) =>
        stepFields.includes(violation.field.split(/[.[]/)[0] as string)
          ? { ...violation, field: `${action.$case}.${violation.field}` }
          : violation,
      ),
    );
  }
}

function toProtoCase(view: CaseView): gridCasesV1.Case {
  return {
    caseId: view.caseId,
    status: statusToProto(view.status),
    channel: channelToProto(view.channel),
    requestType: requestTypeToProto(view.requestType),
    categoryCode: view.categoryCode,
    title: view.title,
    description: view.description,
    areaId: view.areaId,
    address: view.address,
    reporterName: view.reporterName,
    reporterPhone: view.reporterPhone,
    anonymous: view.anonymous,
    ...(view.origin ? { origin: view.origin } : {}),
    ...(view.location ? { location: view.location } : {}),
    mediaUrl: view.mediaUrl ?? "",
    categoryVersion: view.categoryVersion ?? 1,
    ...(view.routedBy ? { routedBy: view.routedBy } : {}),
    submittedBy: view.submittedBy,
    submittedAt: new Date(view.submittedAt),
    version: view.version,
    departmentId: view.departmentId,
    result: view.result,
    satisfaction: satisfactionToProto(view.satisfaction),
    reopenCount: view.reopenCount,
    timeline: view.timeline.map((entry) => ({ ...entry, at: new Date(entry.at) })),
    slaPolicy: view.deadlines?.policy ?? "",
    contactDue: optionalDate(view.deadlines?.contact),
    onSiteDue: optionalDate(view.deadlines?.on_site),
    resolveDue: optionalDate(view.deadlines?.resolve),
    extensions: view.extensions,
    breachedDeadlines: view.breaches,
    supervisions: view.supervisions,
    whistle: view.whistle
      ? {
          reason: view.whistle.reason,
          reportBy: new Date(view.whistle.reportBy),
          escalated: view.whistle.escalated,
          reports: view.whistle.reports.map((report) => ({
            departmentId: report.departmentId,
            acknowledgedAt: optionalDate(report.acknowledgedAt),
            arrivedAt: optionalDate(report.arrivedAt),
          })),
        }
      : undefined,
  };
}

const optionalDate = (instant: string | undefined) => (instant ? new Date(instant) : undefined);
