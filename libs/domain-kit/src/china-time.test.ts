import { describe, expect, it } from "vitest";
import { chinaDate, chinaDateTime, chinaMonth, isCalendarDate } from "./china-time.js";

describe("China time", () => {
  it("puts an instant after 16:00 UTC on the next day and month in China", () => {
    const lastEvening = new Date("2026-03-31T16:30:00Z");
    expect(chinaDate(lastEvening)).toBe("2026-04-01");
    expect(chinaMonth(lastEvening)).toBe("2026-04");
    expect(chinaDateTime(lastEvening)).toBe("2026-04-01T00:30:00+08:00");
    expect(chinaDate(new Date("2026-03-31T15:59:59Z"))).toBe("2026-03-31");
  });
});

describe("calendar dates", () => {
  it("takes dates that exist, written YYYY-MM-DD", () => {
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("2026-3-1")).toBe(false);
    expect(isCalendarDate("")).toBe(false);
  });
});
