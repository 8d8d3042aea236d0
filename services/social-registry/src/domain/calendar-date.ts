import { chinaDate, isCalendarDate } from "@civic/domain-kit";

/** The given date (YYYY-MM-DD, a date in China), or today in China when it is empty; undefined when it is not a date. */
export function dateOrToday(value: string, now: Date): string | undefined {
  if (value === "") return chinaDate(now);
  return isCalendarDate(value) ? value : undefined;
}
