import {
  AreaCode,
  type Caller,
  chinaDate,
  hasAnyRole,
  InvalidArgumentError,
  isCalendarDate,
  isCalendarMonth,
  isIdentifier,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { CaseEvent } from "./case.js";
import { caseRoles } from "./case-lifecycle.js";
import { isCatalogueCode } from "./catalogue-code.js";

/** Running counts of one slice of cases (an area, a category, a department, a day…). */
export interface CaseCounters {
  collected: number;
  resolved: number;
  closed: number;
  closedOnTime: number;
  /** Open cases whose resolve deadline passed; they count against the on-time rate. */
  openOverdue: number;
  returnVisits: number;
  satisfiedVisits: number;
}

export const emptyCounters = (): CaseCounters => ({
  collected: 0,
  resolved: 0,
  closed: 0,
  closedOnTime: 0,
  openOverdue: 0,
  returnVisits: 0,
  satisfiedVisits: 0,
});

/**
 * How an event moves the counters of the slice `sliceKey` (see statisticsKeysOf). Events that
 * change no count leave them as they are. A department collects a case when it is dispatched
 * to it (each dispatch counts), since a case is submitted before any department holds it.
 */
export function countCaseEvent(counters: CaseCounters, event: CaseEvent, sliceKey: string): CaseCounters {
  const departmentSlice = sliceKey.startsWith("department:");
  switch (event.type) {
    case "case.submitted":
      return departmentSlice ? counters : { ...counters, collected: counters.collected + 1 };
    case "case.dispatched":
      return departmentSlice ? { ...counters, collected: counters.collected + 1 } : counters;
    case "case.resolved":
      return event.data.firstResolution ? { ...counters, resolved: counters.resolved + 1 } : counters;
    case "case.sla_breached":
      return event.data.deadline === "resolve"
        ? { ...counters, openOverdue: counters.openOverdue + 1 }
        : counters;
    case "case.closed":
      return {
        ...counters,
        closed: counters.closed + 1,
        closedOnTime: counters.closedOnTime + (event.data.resolvedOnTime ? 1 : 0),
        openOverdue: counters.openOverdue - (event.data.wasOverdue ? 1 : 0),
      };
    case "case.return_visited":
      return {
        ...counters,
        returnVisits: counters.returnVisits + 1,
        satisfiedVisits: counters.satisfiedVisits + (event.data.satisfaction === "dissatisfied" ? 0 : 1),
      };
    default:
      return counters;
  }
}

export interface CaseRates {
  /** Percentages with two decimals, as the seeds report them (88.79). Null when undefined (0 ÷ 0). */
  resolutionRate: number | null;
  /** Closed on time ÷ (closed + open and overdue): overdue open cases are never hidden. */
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;

export function caseRates(counters: CaseCounters): CaseRates {
  return {
    resolutionRate: percent(counters.resolved, counters.collected),
    onTimeRate: percent(counters.closedOnTime, counters.closed + counters.openOverdue),
    satisfactionRate: percent(counters.satisfiedVisits, counters.returnVisits),
  };
}

/** The case's area and every area containing it, up to the province, so each level reads its own figures. */
function areaAndAncestors(areaId: string): string[] {
  return [...AreaCode.enclosing(areaId), areaId];
}

/** The slices an event counts in: everything, its areas, category, department, day and month. */
export function statisticsKeysOf(event: CaseEvent, time: Date): string[] {
  const data = event.data as { areaId: string; categoryCode: string; departmentId?: string };
  const day = chinaDate(time);
  return [
    "all",
    ...areaAndAncestors(data.areaId).map((area) => `area:${area}`),
    `category:${data.categoryCode}`,
    ...(data.departmentId ? [`department:${data.departmentId}`] : []),
    `day:${day}`,
    `month:${day.slice(0, 7)}`,
  ];
}

export const statisticsScopes = ["all", "area", "category", "department", "day", "month"] as const;
export type StatisticsScope = (typeof statisticsScopes)[number];

const isValueOf: Record<Exclude<StatisticsScope, "all">, (value: string) => boolean> = {
  area: isIdentifier,
  category: isCatalogueCode,
  department: isIdentifier,
  day: isCalendarDate,
  month: isCalendarMonth,
};

const staffRoles: string[] = [...Object.values(caseRoles), "platform_admin"];

/** The command centre and platform admins read every area's figures; other staff only their own. */
const seesEveryArea = (caller: Caller) =>
  caller.roles.includes(caseRoles.commandCentre) || caller.roles.includes("platform_admin");

/**
 * The slice of the statistics `caller` asks for, and its projection key: the scope and value
 * must be valid, the caller staff, and an area one of the caller's unless they see every area.
 */
export function statisticsSliceFor(
  scope: string,
  value: string,
  caller: Caller,
): { scope: StatisticsScope; value: string; key: string } {
  const checkedScope = (scope || "all") as StatisticsScope;
  if (!statisticsScopes.includes(checkedScope)) {
    throw new InvalidArgumentError([
      { field: "scope", description: `must be one of ${statisticsScopes.join(", ")}` },
    ]);
  }
  if (checkedScope !== "all" && !isValueOf[checkedScope](value)) {
    throw new InvalidArgumentError([{ field: "value", description: `is not a valid ${checkedScope}` }]);
  }
  if (!hasAnyRole(caller, staffRoles)) {
    throw new PermissionDeniedError("case statistics are for command centre, community and department staff");
  }
  if (checkedScope === "area" && !seesEveryArea(caller) && !AreaCode.anyCovers(caller.areas, value)) {
    throw new PermissionDeniedError(`the statistics of area ${value} are outside the caller's areas`);
  }
  return checkedScope === "all"
    ? { scope: "all", value: "", key: "all" }
    : { scope: checkedScope, value, key: `${checkedScope}:${value}` };
}
