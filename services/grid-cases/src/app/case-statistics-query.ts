import { type Projection, readProjection } from "@civic/event-log";
import { anyAreaCovers, type Caller, InvalidArgumentError, PermissionDeniedError } from "@civic/service-kit";
import type { Db } from "mongodb";
import { caseRoles } from "../domain/case-lifecycle.js";
import { type CaseCounters, type CaseRates, caseRates } from "../domain/case-statistics.js";

export const statisticsScopes = ["all", "area", "category", "department", "day", "month"] as const;
export type StatisticsScope = (typeof statisticsScopes)[number];

export interface CaseStatisticsView extends CaseCounters, CaseRates {
  scope: StatisticsScope;
  value: string;
}

const valuePatterns: Record<Exclude<StatisticsScope, "all">, RegExp> = {
  area: /^[\w-]{1,64}$/,
  category: /^[a-z][a-z0-9-]{1,63}$/,
  department: /^[\w-]{1,64}$/,
  day: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
};

const staffRoles: string[] = [...Object.values(caseRoles), "platform_admin"];

/** The command centre and platform admins read every area's figures; other staff only their own. */
const seesEveryArea = (caller: Caller) =>
  caller.roles.includes(caseRoles.commandCentre) || caller.roles.includes("platform_admin");

/** Reads one slice of the case statistics projection: one small read, however many cases. */
export class CaseStatisticsQuery {
  constructor(
    private readonly db: Db,
    private readonly projection: Projection<CaseCounters>,
  ) {}

  async get(scope: string, value: string, caller: Caller): Promise<CaseStatisticsView> {
    const checkedScope = (scope || "all") as StatisticsScope;
    if (!statisticsScopes.includes(checkedScope)) {
      throw new InvalidArgumentError([
        { field: "scope", description: `must be one of ${statisticsScopes.join(", ")}` },
      ]);
    }
    if (checkedScope !== "all" && !valuePatterns[checkedScope].test(value)) {
      throw new InvalidArgumentError([{ field: "value", description: `is not a valid ${checkedScope}` }]);
    }
    if (!caller.roles.some((role) => staffRoles.includes(role))) {
      throw new PermissionDeniedError(
        "case statistics are for command centre, community and department staff",
      );
    }
    if (checkedScope === "area" && !seesEveryArea(caller) && !anyAreaCovers(caller.areas, value)) {
      throw new PermissionDeniedError(`the statistics of area ${value} are outside the caller's areas`);
    }
    const key = checkedScope === "all" ? "all" : `${checkedScope}:${value}`;
    const { state } = await readProjection(this.db, this.projection, key);
    return { scope: checkedScope, value: checkedScope === "all" ? "" : value, ...state, ...caseRates(state) };
  }
}
