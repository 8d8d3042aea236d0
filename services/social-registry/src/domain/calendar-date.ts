import { chinaDate, type FieldChecks, isCalendarDate } from "@civic/domain-kit";

/** The given date (YYYY-MM-DD, a date in China), or today in China when it is empty; undefined when it is not a date. */
export function dateOrToday(value: string, now: Date): string | undefined {
  if (value === "") return chinaDate(now);
  return isCalendarDate(value) ? value : undefined;
}

/**
 * A date that has happened (today when empty), as `dateOrToday`; "" with a violation of
 * `field` added to `checks` when it is not a date or lies in the future.
 */
export function pastDate(value: string, field: string, now: Date, checks: FieldChecks): string {
  const date = dateOrToday(value, now);
  if (date === undefined) checks.add(field, "must be a date YYYY-MM-DD");
  else if (date > chinaDate(now)) checks.add(field, "must not be in the future");
  return date ?? "";
}
