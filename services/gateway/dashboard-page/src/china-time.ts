import { language } from "./labels.js";

/** An instant as command-centre staff read it: China time, in the page's language. */
export function shownInChinaTime(instant: string | Date): string {
  return new Date(instant).toLocaleString(language() === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    dateStyle: "short",
    timeStyle: "short",
  });
}
