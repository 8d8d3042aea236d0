import { AreaCode, type Caller, chinaMonth, FieldChecks } from "@civic/domain-kit";
import { checkReportPeriod, requireAreaReportReader } from "./area-report.js";
import type { DisputeEvent } from "./dispute.js";

/** Mediations closed in one area and period, and how they closed. */
export interface MediationCounters {
  closed: number;
  agreements: number;
  failures: number;
  /** Failures sent on to a court or another body. */
  referred: number;
  /** Key disputes (重点矛盾纠纷) closed, and agreed. */
  keyClosed: number;
  keyAgreements: number;
}

export const emptyMediationCounters = (): MediationCounters => ({
  closed: 0,
  agreements: 0,
  failures: 0,
  referred: 0,
  keyClosed: 0,
  keyAgreements: 0,
});

/** Agreements ÷ disputes closed, in percent with two decimals (96.00); null when none closed. */
export const mediationRate = (counters: MediationCounters): number | null =>
  percent(counters.agreements, counters.closed);

/** The same over key disputes only. */
export const keyMediationRate = (counters: MediationCounters): number | null =>
  percent(counters.keyAgreements, counters.keyClosed);

const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;

/** The dispute's area and every area above it up to the city: community, street, district, city. */
function areaAndAbove(areaId: string): string[] {
  const ancestors = AreaCode.ancestors(areaId);
  const district = ancestors[0] ?? (AreaCode.level(areaId) === "district" ? areaId : undefined);
  const city = district === undefined ? [] : [AreaCode.parent(district, "district")];
  return [...city, ...ancestors, areaId];
}

export const mediationKey = (areaId: string, period: string) => `${areaId}/${period}`;

/** The keys an outcome counts in: its area and those above, for its month and its year (China time). */
export function mediationKeysOf(event: DisputeEvent): string[] {
  if (event.type !== "dispute.outcome_recorded") return [];
  const month = chinaMonth(new Date(event.data.at));
  return areaAndAbove(event.data.areaId).flatMap((area) => [
    mediationKey(area, month),
    mediationKey(area, month.slice(0, 4)),
  ]);
}

export function countMediation(counters: MediationCounters, event: DisputeEvent): MediationCounters {
  if (event.type !== "dispute.outcome_recorded") return counters;
  const agreed = event.data.outcome === "agreement";
  return {
    closed: counters.closed + 1,
    agreements: counters.agreements + (agreed ? 1 : 0),
    failures: counters.failures + (agreed ? 0 : 1),
    referred: counters.referred + (event.data.referral ? 1 : 0),
    // Events before key disputes were recorded have no flag: not key.
    keyClosed: counters.keyClosed + (event.data.key ? 1 : 0),
    keyAgreements: counters.keyAgreements + (event.data.key && agreed ? 1 : 0),
  };
}

/**
 * The projection key of an area's rate in a period (a month YYYY-MM or a year YYYY), for a
 * caller who may read it: the command centre and platform admins any area, community and
 * street staff the areas theirs cover.
 */
export function mediationRateKeyFor(areaId: string, period: string, caller: Caller): string {
  const checks = new FieldChecks().check(
    "areaId",
    AreaCode.is(areaId, "city", "district", "street", "community", "grid"),
    "must be the code of a city, district, street, community or grid",
  );
  checkReportPeriod(checks, period).throwIfAny();
  requireAreaReportReader(caller, areaId, "the mediation rate");
  return mediationKey(areaId, period);
}
