import { language } from "./labels.js";

const chinaOffsetMs = 8 * 3_600_000;

/** Today's month (`YYYY-MM`) and year in China time, the periods the platform counts in. */
export function chinaMonth(now = new Date()): string {
  return new Date(now.getTime() + chinaOffsetMs).toISOString().slice(0, 7);
}

export function chinaYear(now = new Date()): string {
  return chinaMonth(now).slice(0, 4);
}

/** An instant as command-centre staff read it: China time, in the page's language. */
export function chinaDateTime(instant: string | Date): string {
  return new Date(instant).toLocaleString(language() === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    dateStyle: "short",
    timeStyle: "short",
  });
}
