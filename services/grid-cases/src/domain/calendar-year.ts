import { type CalendarYear, calendarYearChecks } from "./working-calendar.js";

/**
 * One year's working-day arrangement as the platform stores it (stream `calendar-<year>`): the
 * command centre loads a year when the State Council publishes it, and may load it again to
 * correct it. Deadlines already fixed keep the calendar they were counted with.
 */
export type CalendarYearEvent = {
  type: "calendar.year_loaded";
  data: CalendarYear & { loadedBy: string; loadedAt: string };
};

export type CalendarYearState =
  | { status: "none" }
  | (CalendarYear & { status: "loaded"; loadedBy: string; loadedAt: string });
export type LoadedCalendarYear = Exclude<CalendarYearState, { status: "none" }>;

export const initialCalendarYearState = (): CalendarYearState => ({ status: "none" });

export const evolveCalendarYear = (
  _state: CalendarYearState,
  event: CalendarYearEvent,
): CalendarYearState => ({
  ...event.data,
  status: "loaded",
});

/** The calendar year without who loaded it: what a load compares and a WorkingCalendar reads. */
export const arrangementOf = (year: LoadedCalendarYear): CalendarYear => ({
  year: year.year,
  holidays: year.holidays,
  makeUpWorkingDays: year.makeUpWorkingDays,
});

/** Loads (or corrects) a year; loading the same arrangement again is nothing to do. */
export function decideLoadCalendarYear(
  state: CalendarYearState,
  command: { calendar: CalendarYear; by: string; at: Date },
): CalendarYearEvent | undefined {
  const calendar = normalised(command.calendar);
  calendarYearChecks(calendar).throwIfAny();
  if (state.status === "loaded" && JSON.stringify(arrangementOf(state)) === JSON.stringify(calendar)) {
    return undefined;
  }
  return {
    type: "calendar.year_loaded",
    data: { ...calendar, loadedBy: command.by, loadedAt: command.at.toISOString() },
  };
}

/** Holidays in date order, make-up days sorted, names trimmed: two loads of one arrangement compare equal. */
function normalised(calendar: CalendarYear): CalendarYear {
  return {
    year: calendar.year,
    holidays: calendar.holidays
      .map((holiday) => ({ name: holiday.name.trim(), from: holiday.from, to: holiday.to }))
      .sort((a, b) => a.from.localeCompare(b.from)),
    makeUpWorkingDays: [...calendar.makeUpWorkingDays].sort(),
  };
}
