import {
  chinaDate,
  chinaOffsetMs,
  FailedPreconditionError,
  FieldChecks,
  isCalendarDate,
} from "@civic/domain-kit";

/**
 * Working days in China (UTC+8, no daylight saving): Monday to Friday, minus public
 * holidays, plus the weekend days the State Council declares make-up working days (调休).
 * Calendars are data, one per year, loaded from the published arrangement: 2026 ships with
 * the platform, later years are loaded through the API or a file, and a deadline that needs a
 * year nobody loaded is refused instead of guessed.
 */
export interface CalendarYear {
  year: number;
  /** Inclusive ranges of days off, as local dates "YYYY-MM-DD". */
  holidays: { name: string; from: string; to: string }[];
  /** Weekend days that are working days. */
  makeUpWorkingDays: string[];
}

const dayMs = 86_400_000;

/** The instant a local (UTC+8) date ends, i.e. 24:00 that day. */
export function endOfChinaDate(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs - chinaOffsetMs);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Counts working days: the SLA clock needs nothing else of a calendar. */
export interface WorkingDayCounter {
  workingDaysAfter(start: Date, count: number): Date;
}

/** The problems of one year's arrangement, with fields under `prefix` (empty: none). */
export function calendarYearChecks(year: CalendarYear, prefix = ""): FieldChecks {
  const inYear = (date: string) => isCalendarDate(date) && date.startsWith(`${year.year}-`);
  const checks = new FieldChecks().check(
    `${prefix}year`,
    Number.isInteger(year.year) && year.year >= 2000 && year.year <= 2100,
    "must be a year from 2000 to 2100",
  );
  const daysOff = new Set<string>();
  year.holidays.forEach((holiday, h) => {
    const field = `${prefix}holidays[${h}]`;
    checks.check(
      `${field}.name`,
      holiday.name.trim() !== "" && holiday.name.length <= 50,
      "must be 1 to 50 characters",
    );
    if (!inYear(holiday.from) || !inYear(holiday.to) || holiday.from > holiday.to) {
      checks.add(field, `needs valid dates of ${year.year} with from ≤ to`);
      return;
    }
    for (let date = holiday.from; date <= holiday.to; date = nextDate(date)) daysOff.add(date);
  });
  year.makeUpWorkingDays.forEach((date, d) => {
    const field = `${prefix}makeUpWorkingDays[${d}]`;
    if (!inYear(date)) checks.add(field, `is not a valid date of ${year.year}`);
    else if (!isWeekend(date)) checks.add(field, `${date} is not a weekend day`);
    else if (daysOff.has(date)) checks.add(field, `${date} is also a holiday`);
  });
  return checks;
}

export class WorkingCalendar implements WorkingDayCounter {
  private readonly daysOff = new Set<string>();
  private readonly makeUpDays = new Set<string>();
  private readonly years = new Set<number>();

  /** Throws InvalidArgumentError naming each bad entry; nothing is loaded then. */
  constructor(years: CalendarYear[]) {
    new FieldChecks()
      .addAll(years.flatMap((year, y) => calendarYearChecks(year, `years[${y}].`).violations))
      .throwIfAny();
    for (const year of years) {
      for (const holiday of year.holidays) {
        for (let date = holiday.from; date <= holiday.to; date = nextDate(date)) this.daysOff.add(date);
      }
      for (const date of year.makeUpWorkingDays) this.makeUpDays.add(date);
      this.years.add(year.year);
    }
  }

  covers(date: string): boolean {
    return this.years.has(Number(date.slice(0, 4)));
  }

  isWorkingDay(date: string): boolean {
    if (this.makeUpDays.has(date)) return true;
    return !isWeekend(date) && !this.daysOff.has(date);
  }

  /**
   * The end of the `count`-th working day after the local date of `start`: a case
   * submitted on Friday with 3 working days is due at 24:00 on Wednesday.
   */
  workingDaysAfter(start: Date, count: number): Date {
    let date = chinaDate(start);
    this.requireCovered(date);
    for (let counted = 0; counted < count; ) {
      date = nextDate(date);
      this.requireCovered(date);
      if (this.isWorkingDay(date)) counted++;
    }
    return endOfChinaDate(date);
  }

  private requireCovered(date: string): void {
    if (this.covers(date)) return;
    const year = date.slice(0, 4);
    throw new FailedPreconditionError(
      `no working-day calendar for ${year} is loaded, so a deadline in ${year} cannot be counted: the command centre loads it (PUT /api/v1/working-calendars/${year})`,
      "NO_WORKING_CALENDAR",
    );
  }
}

/** The State Council General Office's 2026 arrangement (notice of 2025-11-04). */
export const china2026: CalendarYear = {
  year: 2026,
  holidays: [
    { name: "New Year's Day", from: "2026-01-01", to: "2026-01-03" },
    { name: "Spring Festival", from: "2026-02-15", to: "2026-02-23" },
    { name: "Qingming", from: "2026-04-04", to: "2026-04-06" },
    { name: "Labour Day", from: "2026-05-01", to: "2026-05-05" },
    { name: "Dragon Boat Festival", from: "2026-06-19", to: "2026-06-21" },
    { name: "Mid-Autumn Festival", from: "2026-09-25", to: "2026-09-27" },
    { name: "National Day", from: "2026-10-01", to: "2026-10-07" },
  ],
  makeUpWorkingDays: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
};
