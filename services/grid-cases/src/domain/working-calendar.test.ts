import { chinaDate, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { china2026, WorkingCalendar } from "./working-calendar.js";

const calendar = new WorkingCalendar([china2026]);
const at = (local: string) => new Date(`${local}+08:00`);

describe("working calendar (China 2026)", () => {
  it("knows weekdays, weekends, holidays and make-up working days", () => {
    expect(calendar.isWorkingDay("2026-03-02")).toBe(true); // Monday
    expect(calendar.isWorkingDay("2026-03-07")).toBe(false); // Saturday
    expect(calendar.isWorkingDay("2026-10-05")).toBe(false); // Monday in National Day
    expect(calendar.isWorkingDay("2026-01-04")).toBe(true); // Sunday, make-up
    expect(calendar.isWorkingDay("2026-02-14")).toBe(true); // Saturday, make-up
  });

  it("uses China's date, not UTC's: 01:00 on Monday in Beijing is still Sunday in UTC", () => {
    expect(chinaDate(at("2026-03-02T01:00:00"))).toBe("2026-03-02");
  });

  it("counts 3 working days from a Friday to the end of Wednesday", () => {
    expect(calendar.workingDaysAfter(at("2026-03-06T16:20:00"), 3)).toEqual(at("2026-03-12T00:00:00"));
  });

  it("skips the National Day week and counts the make-up Saturday after it", () => {
    // Submitted Wednesday 30 September: 1 Oct–7 Oct off, Saturday 10 Oct is a working day.
    expect(calendar.workingDaysAfter(at("2026-09-30T10:00:00"), 3)).toEqual(at("2026-10-11T00:00:00"));
  });

  it("counts the make-up Sunday 4 January, right after the New Year holiday", () => {
    expect(calendar.workingDaysAfter(at("2026-01-01T09:00:00"), 1)).toEqual(at("2026-01-05T00:00:00"));
  });

  it("refuses a calendar whose holiday and make-up dates overlap, or whose make-up day is a weekday", () => {
    const overlapping = { ...china2026, makeUpWorkingDays: ["2026-10-03"] };
    expect(() => new WorkingCalendar([overlapping])).toThrow(InvalidArgumentError);
    const refusal = (() => {
      try {
        new WorkingCalendar([
          {
            year: 2026,
            holidays: [{ name: "x", from: "2026-05-05", to: "2026-05-01" }],
            makeUpWorkingDays: ["2026-05-06"],
          },
        ]);
      } catch (error) {
        return error as InvalidArgumentError;
      }
    })();
    expect(refusal?.violations.map((violation) => violation.field)).toEqual([
      "years[0].holidays[0]",
      "years[0].makeUpWorkingDays[0]",
    ]);
  });
});
