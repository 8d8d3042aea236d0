import { AreaCode, FieldChecks, hasAnyRole, isIdentifier } from "@civic/domain-kit";
import { type CaseStatus, caseStatuses } from "./case.js";
import { caseRoles } from "./case-lifecycle.js";
import { isCatalogueCode } from "./catalogue-code.js";

/** Roles that see every case. */
export const allCasesReaders = [caseRoles.commandCentre, "platform_admin"];

/**
 * The shared identity of callers without a token: its cases belong to nobody in
 * particular, so it has no "own" cases to list.
 */
export const publicRole = "public";

/**
 * Which cases a caller may list: every case, or those matching any of the parts given.
 * Area staff see their areas' cases (an area code covers the codes that start with it),
 * department staff the cases dispatched to their department, and any identified caller
 * the cases they reported themselves, except anonymous reports.
 */
export type CaseListScope =
  | { kind: "all" }
  | {
      kind: "some";
      areaPrefixes: string[];
      departmentId?: string;
      /** Reported by this subject and not anonymous. */
      reportedBy?: string;
    };

export function caseListScope(caller: {
  subject: string;
  roles: string[];
  areas: string[];
  department?: string;
}): CaseListScope {
  if (hasAnyRole(caller, allCasesReaders)) return { kind: "all" };
  const areaStaff = caller.roles.some(
    (role) => role === caseRoles.communityStaff || role === caseRoles.gridWorker,
  );
  const departmentStaff = caller.roles.includes(caseRoles.departmentStaff) && caller.department;
  const identified = !caller.roles.includes(publicRole) && caller.subject.trim() !== "";
  return {
    kind: "some",
    areaPrefixes: areaStaff ? caller.areas.filter((area) => area.trim() !== "") : [],
    ...(departmentStaff ? { departmentId: caller.department } : {}),
    ...(identified ? { reportedBy: caller.subject } : {}),
  };
}

/** Whether the scope can match any case at all (a caller with no areas and no identity cannot). */
export function scopeIsEmpty(scope: CaseListScope): boolean {
  return (
    scope.kind === "some" &&
    scope.areaPrefixes.length === 0 &&
    scope.departmentId === undefined &&
    scope.reportedBy === undefined
  );
}

/** What a list of cases is narrowed to, on top of the caller's scope. */
export interface CaseListCriteria {
  areaIdPrefix: string;
  categoryCode: string;
  statuses: string[];
  submittedFrom?: Date;
  submittedTo?: Date;
  caseIds: string[];
}

export const maxListedCaseIds = 100;

export function caseListCriteriaChecks(criteria: CaseListCriteria): FieldChecks {
  const { submittedFrom, submittedTo } = criteria;
  return new FieldChecks()
    .check(
      "areaIdPrefix",
      criteria.areaIdPrefix === "" || AreaCode.isPrefix(criteria.areaIdPrefix),
      "must be (the start of) an area code: 2 to 18 digits",
    )
    .check(
      "categoryCode",
      criteria.categoryCode === "" || isCatalogueCode(criteria.categoryCode),
      "must be a catalogue code such as manhole-cover-missing",
    )
    .check(
      "statuses",
      criteria.statuses.every((status) => caseStatuses.includes(status as CaseStatus)),
      `must be among ${caseStatuses.join(", ")}`,
    )
    .check(
      "submittedTo",
      !(submittedFrom && submittedTo && submittedFrom > submittedTo),
      "must not be before submittedFrom",
    )
    .check(
      "caseIds",
      criteria.caseIds.length <= maxListedCaseIds,
      `must name at most ${maxListedCaseIds} cases`,
    )
    .check("caseIds", criteria.caseIds.every(isIdentifier), "must be case ids");
}
