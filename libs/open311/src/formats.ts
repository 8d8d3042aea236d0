import { enumNames, gridCasesV1 } from "@civic/contracts";
import { chinaDateTime } from "@civic/domain-kit";

/** The GeoReport v2 shapes of cases and categories, and the spec's error list. */

export const geoReportSpecification = "http://wiki.open311.org/GeoReport_v2";

export const requestTypeNames = enumNames(gridCasesV1.RequestType, "REQUEST_TYPE_");
const caseStatusNames = enumNames(gridCasesV1.CaseStatus, "CASE_STATUS_");
const urgencyNames = enumNames(gridCasesV1.CaseUrgency, "CASE_URGENCY_");

/** One entry of the spec's error answer: `[{code, description}]`. */
export interface Open311Error {
  code: number;
  description: string;
}

const optionalChinaTime = (instant: Date | undefined) => (instant ? chinaDateTime(instant) : null);

/**
 * The spec knows only open and closed. A case counts as closed once it is finished for the
 * reporter: rejected, resolved (waiting for the return visit), visited or closed. A reopened
 * case is open again; `extended_attributes.status` always has the full state.
 */
export const closedStatuses = [
  gridCasesV1.CaseStatus.CASE_STATUS_REJECTED,
  gridCasesV1.CaseStatus.CASE_STATUS_RESOLVED,
  gridCasesV1.CaseStatus.CASE_STATUS_VISITED,
  gridCasesV1.CaseStatus.CASE_STATUS_CLOSED,
];
export const openStatuses = (Object.values(gridCasesV1.CaseStatus) as unknown[]).filter(
  (value): value is gridCasesV1.CaseStatus =>
    typeof value === "number" && value > 0 && !closedStatuses.includes(value),
);

const requestTypeLabels: Record<string, string> = {
  consultation: "咨询 Consultation",
  help: "求助 Request for help",
  complaint: "投诉 Complaint",
  report: "举报/报告 Report",
  suggestion: "建议 Suggestion",
  praise: "表扬 Praise",
};

/** A category as a GeoReport service. */
export function serviceOf(category: gridCasesV1.CaseCategory) {
  const urgency = urgencyNames.toName(category.urgency);
  const requestType = requestTypeNames.toName(category.requestType);
  return {
    service_code: category.code,
    service_name: category.name,
    description:
      urgency === "urgent"
        ? "Urgent work order (紧急工单): contact within 1 hour and on site within 2 hours of acceptance, resolved within 3 working days."
        : `${requestTypeLabels[requestType] ?? requestType}: handled within the working days its request type allows, counted from acceptance.`,
    metadata: true,
    type: "realtime",
    keywords: [urgency, requestType, category.defaultDepartmentId].join(","),
    group: category.defaultDepartmentId,
  };
}

/**
 * A category's service definition. Every attribute is something a case stores: the area
 * (required, since every case belongs to a grid or community), the request type (the
 * catalogue's usual one unless the reporter says otherwise) and anonymity.
 */
export function serviceDefinitionOf(category: gridCasesV1.CaseCategory) {
  const usualType = requestTypeNames.toName(category.requestType);
  return {
    service_code: category.code,
    attributes: [
      {
        variable: true,
        code: "area_id",
        datatype: "string",
        required: true,
        datatype_description:
          "The code of the grid (15 digits) or community (12 digits) where the problem is; it must lie inside jurisdiction_id.",
        order: 1,
        description: "网格或社区编码 Grid or community code",
      },
      {
        variable: true,
        code: "request_type",
        datatype: "singlevaluelist",
        required: false,
        datatype_description: `What kind of request this is; ${usualType} when not given.`,
        order: 2,
        description: "诉求类型 Request type",
        values: requestTypeNames.names.map((key) => ({ key, name: requestTypeLabels[key] ?? key })),
      },
      {
        variable: true,
        code: "anonymous",
        datatype: "singlevaluelist",
        required: false,
        datatype_description: "true to report without name and phone (send neither then).",
        order: 3,
        description: "匿名反映 Report anonymously",
        values: [
          { key: "false", name: "署名 With name and phone" },
          { key: "true", name: "匿名 Anonymous" },
        ],
      },
    ],
  };
}

/** What the reporter is told after submitting a case of this category. */
export function serviceNoticeOf(category: gridCasesV1.CaseCategory): string {
  return urgencyNames.toName(category.urgency) === "urgent"
    ? "紧急工单 Urgent: once accepted, the department contacts you within 1 hour and is on site within 2 hours."
    : "已提交 Submitted: the community or command centre accepts or declines it, then it is dispatched to the responsible department.";
}

function statusNotesOf(found: gridCasesV1.Case): string {
  if (found.status === gridCasesV1.CaseStatus.CASE_STATUS_REJECTED) {
    return found.timeline.findLast((entry) => entry.type === "case.rejected")?.note ?? "";
  }
  return found.result;
}

const stepLabels: Record<string, string> = {
  "case.submitted": "Submitted 已提交",
  "case.accepted": "Accepted 已受理",
  "case.rejected": "Declined 不予受理",
  "case.dispatched": "Dispatched 已派单",
  "case.signed_for": "Signed for 已签收",
  "case.returned": "Returned for re-dispatch 退单",
  "case.work_started": "Work started 处理中",
  "case.resolved": "Resolved 已办结",
  "case.return_visited": "Return visit 已回访",
  "case.reopened": "Reopened 重办",
  "case.closed": "Closed 已关闭",
  "case.contacted": "Reporter contacted 已联系",
  "case.arrived": "On site 已到场",
  "case.extended": "Deadline extended 已延期",
  "case.sla_breached": "Deadline passed 超时",
  "case.whistle_blown": "Departments summoned 吹哨",
  "case.whistle_acknowledged": "Summons acknowledged 已响应",
  "case.whistle_arrival_reported": "Department arrived 已报到",
  "case.whistle_overdue": "Summons overdue 报到超时",
  "case.supervision_issued": "Supervision notice 督办",
};

/** A case as a GeoReport service request, with the `extended_attributes` and `notes` extensions. */
export function serviceRequestOf(found: gridCasesV1.Case, serviceName: string) {
  const updated = found.timeline.at(-1)?.at ?? found.submittedAt;
  return {
    service_request_id: found.caseId,
    status: closedStatuses.includes(found.status) ? "closed" : "open",
    status_notes: statusNotesOf(found),
    service_name: serviceName,
    service_code: found.categoryCode,
    description: found.description,
    agency_responsible: found.departmentId || null,
    service_notice: null,
    requested_datetime: optionalChinaTime(found.submittedAt),
    updated_datetime: optionalChinaTime(updated),
    expected_datetime: optionalChinaTime(found.resolveDue),
    address: found.address,
    address_id: null,
    zipcode: null,
    lat: found.location?.latitude ?? null,
    long: found.location?.longitude ?? null,
    media_url: found.mediaUrl || null,
    extended_attributes: {
      status: caseStatusNames.toName(found.status),
      area_id: found.areaId,
      title: found.title,
      request_type: requestTypeNames.toName(found.requestType),
      sla_policy: found.slaPolicy || null,
      breached_deadlines: found.breachedDeadlines,
      timeline: found.timeline.map((entry) => ({
        type: entry.type,
        by: entry.by,
        datetime: optionalChinaTime(entry.at),
        note: entry.note,
      })),
    },
    notes: found.timeline.map((entry) => ({
      datetime: optionalChinaTime(entry.at),
      summary: entry.note
        ? `${stepLabels[entry.type] ?? entry.type}: ${entry.note}`
        : (stepLabels[entry.type] ?? entry.type),
      type: entry.type,
    })),
  };
}

/** Case fields as the spec's POST parameters name them, for the service's field violations. */
const postedFieldOf: Record<string, string> = {
  areaId: "attribute[area_id]",
  requestType: "attribute[request_type]",
  anonymous: "attribute[anonymous]",
  categoryCode: "service_code",
  "location.latitude": "lat",
  "location.longitude": "long",
  address: "address_string",
  reporterName: "first_name/last_name",
  reporterPhone: "phone",
  mediaUrl: "media_url",
  title: "description",
};

/** `field: detail` lines as Open311 errors, fields renamed to the spec's parameters. */
export function fieldErrors(code: number, problems: { field: string; detail: string }[]): Open311Error[] {
  return problems.map((problem) => ({
    code,
    description: `${postedFieldOf[problem.field] ?? problem.field}: ${problem.detail}`,
  }));
}
