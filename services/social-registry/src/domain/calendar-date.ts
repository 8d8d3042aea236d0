import { chinaDate } from "@civic/service-kit";

/** Calendar dates (YYYY-MM-DD) as the registry records them: dates in China (UTC+8). */

export { chinaDate };

/** True for a real date written YYYY-MM-DD (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The given date, or today in China when it is empty; undefined when it is not a date. */
export function dateOrToday(value: string, now: Date): string | undefined {
  if (value === "") return chinaDate(now);
  return isCalendarDate(value) ? value : undefined;
}
