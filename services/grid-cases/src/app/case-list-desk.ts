import { AreaCode, type Caller } from "@civic/domain-kit";
import {
  type AggregateRepository,
  type PageRequest,
  pageOfSnapshots,
  type SnapshotFilter,
} from "@civic/event-log";
import { escapeRegExp } from "@civic/service-kit";
import type { CaseEvent, CaseState } from "../domain/case.js";
import {
  type CaseListCriteria,
  type CaseListScope,
  caseListCriteriaChecks,
  caseListScope,
  scopeIsEmpty,
} from "../domain/case-listing.js";
import { type CaseView, toCaseView } from "./case-view.js";

type CaseFilter = SnapshotFilter;

/** Grid-cases' area ids are free text (case-listing validates them), so a regex rather than a digit range. */
const startsWith = (prefix: string) => ({ $regex: `^${escapeRegExp(AreaCode.prefixOf(prefix))}` });

function scopeFilter(scope: Exclude<CaseListScope, { kind: "all" }>): CaseFilter {
  const parts: CaseFilter[] = scope.areaPrefixes.map((prefix) => ({ "state.areaId": startsWith(prefix) }));
  if (scope.departmentId) parts.push({ "state.departmentId": scope.departmentId });
  if (scope.reportedBy) parts.push({ "state.submittedBy": scope.reportedBy, "state.anonymous": false });
  return { $or: parts } as CaseFilter;
}

function criteriaFilter(criteria: CaseListCriteria): CaseFilter {
  const submittedAt = {
    ...(criteria.submittedFrom ? { $gte: criteria.submittedFrom.toISOString() } : {}),
    ...(criteria.submittedTo ? { $lte: criteria.submittedTo.toISOString() } : {}),
  };
  return {
    ...(criteria.areaIdPrefix ? { "state.areaId": startsWith(criteria.areaIdPrefix) } : {}),
    ...(criteria.categoryCode ? { "state.categoryCode": criteria.categoryCode } : {}),
    ...(criteria.statuses.length > 0 ? { "state.status": { $in: criteria.statuses } } : {}),
    ...(Object.keys(submittedAt).length > 0 ? { "state.submittedAt": submittedAt } : {}),
    ...(criteria.caseIds.length > 0 ? { "state.caseId": { $in: criteria.caseIds } } : {}),
  } as CaseFilter;
}

/** Lists of cases, read from their snapshots and cut to what the caller may see. */
export class CaseListDesk {
  constructor(private readonly cases: AggregateRepository<CaseState, CaseEvent>) {}

  async list(
    criteria: CaseListCriteria,
    page: PageRequest,
    caller: Caller,
  ): Promise<{ cases: CaseView[]; nextPageToken: string }> {
    caseListCriteriaChecks(criteria).throwIfAny();
    const scope = caseListScope(caller);
    if (scopeIsEmpty(scope)) return { cases: [], nextPageToken: "" };
    const narrowed = criteriaFilter(criteria);
    const filter = scope.kind === "all" ? narrowed : ({ $and: [scopeFilter(scope), narrowed] } as CaseFilter);
    const found = await pageOfSnapshots(this.cases.snapshots, filter, page);
    return {
      cases: found.items.map((snapshot) => toCaseView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }
}
