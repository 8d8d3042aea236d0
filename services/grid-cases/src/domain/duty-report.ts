import { AreaCode, type Caller, chinaMonth, FieldChecks } from "@civic/domain-kit";
import { checkReportPeriod, requireAreaReportReader } from "./area-report.js";
import type { CommunityTaskEvent } from "./community-task.js";
import { checkDutyListArea } from "./duty-list.js";

/** Tasks handed to communities in one area and period, by how they were decided. */
export interface DutyTaskCounts {
  acceptedWithinList: number;
  acceptedWithFunds: number;
  /** The fen that travelled with the tasks accepted with funds. */
  transferredFen: number;
  refused: number;
}

/** An area's counts in a period, in total and by the areas one level below it. */
export interface DutyReportState {
  total: DutyTaskCounts;
  byArea: Record<string, DutyTaskCounts>;
}

const emptyCounts = (): DutyTaskCounts => ({
  acceptedWithinList: 0,
  acceptedWithFunds: 0,
  transferredFen: 0,
  refused: 0,
});

export const emptyDutyReport = (): DutyReportState => ({ total: emptyCounts(), byArea: {} });

export const dutyReportKey = (areaId: string, period: string) => `${areaId}/${period}`;

/** The community's district, street and itself: the areas whose reports a task counts in. */
const reportAreasOf = (communityId: string) => [
  AreaCode.at(communityId, "district"),
  AreaCode.at(communityId, "street"),
  communityId,
];

/** The keys a decided task counts in: its community, street and district, for its month and year (China time). */
export function dutyReportKeysOf(event: CommunityTaskEvent): string[] {
  const month = chinaMonth(new Date(event.data.at));
  return reportAreasOf(event.data.areaId).flatMap((area) => [
    dutyReportKey(area, month),
    dutyReportKey(area, month.slice(0, 4)),
  ]);
}

function countTask(counts: DutyTaskCounts, event: CommunityTaskEvent): DutyTaskCounts {
  if (event.type === "community_task.refused") return { ...counts, refused: counts.refused + 1 };
  if (event.data.basis === "within_list") {
    return { ...counts, acceptedWithinList: counts.acceptedWithinList + 1 };
  }
  return {
    ...counts,
    acceptedWithFunds: counts.acceptedWithFunds + 1,
    transferredFen: counts.transferredFen + (event.data.fundsTransfer?.amountFen ?? 0),
  };
}

/** Counts a decided task in the report of `key`'s area: in total, and under the area one level below. */
export function countDutyTask(
  report: DutyReportState,
  event: CommunityTaskEvent,
  key: string,
): DutyReportState {
  const areaId = key.slice(0, key.indexOf("/"));
  const total = countTask(report.total, event);
  if (areaId === event.data.areaId) return { ...report, total };
  const child = event.data.areaId.slice(0, areaId.length + 3);
  return {
    total,
    byArea: { ...report.byArea, [child]: countTask(report.byArea[child] ?? emptyCounts(), event) },
  };
}

/**
 * The projection key of an area's report in a period (a month YYYY-MM or a year YYYY), for a
 * caller who may read it: the command centre and platform admins any area, street and
 * community staff the areas theirs cover.
 */
export function dutyReportKeyFor(areaId: string, period: string, caller: Caller): string {
  checkReportPeriod(checkDutyListArea(new FieldChecks(), "areaId", areaId), period).throwIfAny();
  requireAreaReportReader(caller, areaId, "the duty report");
  return dutyReportKey(areaId, period);
}
