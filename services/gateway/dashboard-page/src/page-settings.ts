import { AreaCode, chinaMonth, isCalendarMonth, isIdentifier } from "@civic/domain-kit";
import type { Language } from "./labels.js";

/** What the board shows, from the address (`?area=&period=&year=&lang=&notice=`), so a view can be bookmarked. */
export interface PageSettings {
  areaId: string;
  period: string;
  year: string;
  language: Language;
  noticeIds: string[];
}

/** Xiangzhou district, Zhuhai: the demo city's district (`pnpm demo`). */
export const defaultAreaId = "440402";
const tokenKey = "civic-dashboard-token";

export function readSettings(address: URL): PageSettings {
  const query = address.searchParams;
  const matching = (name: string, isValid: (value: string) => boolean, fallback: string) => {
    const value = query.get(name) ?? "";
    return isValid(value) ? value : fallback;
  };
  const thisMonth = chinaMonth(new Date());
  return {
    areaId: matching("area", (value) => AreaCode.is(value), defaultAreaId),
    period: matching("period", isCalendarMonth, thisMonth),
    year: matching("year", (value) => /^\d{4}$/.test(value), thisMonth.slice(0, 4)),
    language: query.get("lang") === "en" ? "en" : "zh",
    noticeIds: query.getAll("notice").filter(isIdentifier),
  };
}

/** The address showing these settings (the token is never put in it). */
export function addressOf(settings: PageSettings, base: URL): string {
  const query = new URLSearchParams({
    area: settings.areaId,
    period: settings.period,
    year: settings.year,
    lang: settings.language,
  });
  for (const noticeId of settings.noticeIds) query.append("notice", noticeId);
  return `${base.pathname}?${query}`;
}

/**
 * The bearer token: `?token=` moves it into this tab's sessionStorage and out of the
 * address (so it is not bookmarked or shared); otherwise what the tab stored before.
 */
export function takeToken(address: URL): string {
  const fromAddress = address.searchParams.get("token");
  if (fromAddress) {
    sessionStorage.setItem(tokenKey, fromAddress);
    address.searchParams.delete("token");
    history.replaceState(null, "", address);
  }
  return sessionStorage.getItem(tokenKey) ?? "";
}

export function storeToken(token: string): void {
  sessionStorage.setItem(tokenKey, token);
}
