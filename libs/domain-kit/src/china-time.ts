import { InvalidArgumentError } from "./errors.js";

/** China Standard Time: UTC+8 all year, no daylight saving. */
export const chinaOffsetMs = 8 * 3_600_000;

const inChina = (instant: Date) => new Date(instant.getTime() + chinaOffsetMs).toISOString();

/** The date in China of an instant, as YYYY-MM-DD. */
export const chinaDate = (instant: Date): string => inChina(instant).slice(0, 10);

/** The month in China of an instant, as YYYY-MM. */
export const chinaMonth = (instant: Date): string => inChina(instant).slice(0, 7);

/** An instant in China time with its offset, to the second: 2026-03-02T09:30:00+08:00. */
export const chinaDateTime = (instant: Date): string => `${inChina(instant).slice(0, 19)}+08:00`;

/** A month written YYYY-MM (01 to 12). */
export const isCalendarMonth = (value: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** Refuses a value that is not a month (YYYY-MM) as a field error of `field`. */
export function requireCalendarMonth(value: string, field = "period"): void {
  if (!isCalendarMonth(value))
    throw new InvalidArgumentError([{ field, description: "must be a month, YYYY-MM" }]);
}

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
