import {
  AreaCode,
  type Caller,
  type FieldChecks,
  hasAnyRole,
  isCalendarMonth,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";

/** Checks a report's period: a month YYYY-MM or a year YYYY. */
export const checkReportPeriod = (checks: FieldChecks, period: string): FieldChecks =>
  checks.check(
    "period",
    isCalendarMonth(period) || /^\d{4}$/.test(period),
    "must be a month YYYY-MM or a year YYYY",
  );

/**
 * Reports by area (the mediation rate, the duty report) are for the command centre and
 * platform admins in any area, and for community and street staff in the areas theirs cover.
 */
export function requireAreaReportReader(caller: Caller, areaId: string, report: string): void {
  const seesEveryArea = hasAnyRole(caller, [roles.commandCentre, roles.platformAdmin]);
  const areaStaff =
    hasAnyRole(caller, [roles.communityStaff, roles.streetStaff]) && AreaCode.anyCovers(caller.areas, areaId);
  if (!seesEveryArea && !areaStaff)
    throw new PermissionDeniedError(
      `${report} of ${areaId} is for the command centre and the staff of the area`,
    );
}
