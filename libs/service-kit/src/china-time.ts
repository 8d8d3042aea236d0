/** China Standard Time: UTC+8 all year, no daylight saving. */
export const chinaOffsetMs = 8 * 3_600_000;

const inChina = (instant: Date) => new Date(instant.getTime() + chinaOffsetMs).toISOString();

/** The date in China of an instant, as YYYY-MM-DD. */
export const chinaDate = (instant: Date): string => inChina(instant).slice(0, 10);

/** The month in China of an instant, as YYYY-MM. */
export const chinaMonth = (instant: Date): string => inChina(instant).slice(0, 7);

/** An instant in China time with its offset, to the second: 2026-03-02T09:30:00+08:00. */
export const chinaDateTime = (instant: Date): string => `${inChina(instant).slice(0, 19)}+08:00`;
