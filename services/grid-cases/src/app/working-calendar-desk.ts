import { type Caller, chinaDate, hasAnyRole, PermissionDeniedError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import type { Logger } from "pino";
import {
  arrangementOf,
  type CalendarYearEvent,
  type CalendarYearState,
  decideLoadCalendarYear,
  type LoadedCalendarYear,
} from "../domain/calendar-year.js";
import { type CalendarYear, WorkingCalendar, type WorkingDayCounter } from "../domain/working-calendar.js";
import { geographyAdministrators } from "./area-desk.js";

export interface CalendarYearView {
  calendar: LoadedCalendarYear;
  version: number;
}

/**
 * The working-day calendars the SLA clock counts with: the years stored as data, held in
 * memory and read again after each load here and every refresh round (for loads made
 * through another replica).
 */
export class WorkingCalendarDesk implements WorkingDayCounter {
  private calendar = new WorkingCalendar([]);
  /** Years whose absence the log has already told of. */
  private readonly warnedAbout = new Set<number>();

  constructor(
    private readonly years: AggregateRepository<CalendarYearState, CalendarYearEvent>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  workingDaysAfter(start: Date, count: number): Date {
    return this.calendar.workingDaysAfter(start, count);
  }

  /** Loads or corrects a year (the command centre's). */
  async load(calendar: CalendarYear, caller: Caller): Promise<CalendarYearView> {
    if (!hasAnyRole(caller, geographyAdministrators)) {
      throw new PermissionDeniedError(
        `loading a working-day calendar needs one of ${geographyAdministrators.join(", ")}`,
      );
    }
    const view = await this.store(calendar, caller.subject);
    await this.refresh();
    return view;
  }

  /**
   * Stores the years that ship with the platform or come from a file, each only when no
   * calendar of that year is stored yet: a correction loaded through the API stands.
   */
  async loadIfAbsent(calendars: CalendarYear[], by: string): Promise<void> {
    for (const calendar of calendars) {
      const { state } = await this.years.load(String(calendar.year));
      if (state.status === "none") await this.store(calendar, by);
    }
    await this.refresh();
  }

  async get(year: number): Promise<CalendarYearView | undefined> {
    const { state, version } = await this.years.load(String(year));
    return state.status === "loaded" ? { calendar: state, version } : undefined;
  }

  /** Every stored year, oldest first. */
  async list(): Promise<CalendarYearView[]> {
    const stored = await this.years.snapshots.find({}).toArray();
    return stored
      .flatMap(({ state, version }) => (state.status === "loaded" ? [{ calendar: state, version }] : []))
      .sort((a, b) => a.calendar.year - b.calendar.year);
  }

  /** Reads the stored years again; says so in the log when next year's is still missing. */
  async refresh(): Promise<void> {
    const stored = await this.list();
    this.calendar = new WorkingCalendar(stored.map((view) => arrangementOf(view.calendar)));
    const nextYear = Number(chinaDate(this.now()).slice(0, 4)) + 1;
    if (!stored.some((view) => view.calendar.year === nextYear) && !this.warnedAbout.has(nextYear)) {
      this.warnedAbout.add(nextYear);
      this.logger.warn(
        { year: nextYear },
        `no working-day calendar for ${nextYear} is loaded: deadlines that reach into it are refused until the command centre loads it`,
      );
    }
  }

  private async store(calendar: CalendarYear, by: string): Promise<CalendarYearView> {
    const { state, version } = await this.years.execute(String(calendar.year), (current) =>
      decideLoadCalendarYear(current, { calendar, by, at: this.now() }),
    );
    if (state.status !== "loaded") throw new Error(`calendar ${calendar.year}: loading stored nothing`);
    return { calendar: state, version };
  }
}
