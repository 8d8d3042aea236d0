import { gridCasesV1 } from "@civic/contracts";
import { NotFoundError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { CalendarYearView, WorkingCalendarDesk } from "../app/working-calendar-desk.js";

/** gRPC face of the working-day calendars. */
export function workingCalendarGrpcService(calendars: WorkingCalendarDesk): GrpcServiceRegistration {
  return unaryService(gridCasesV1.WorkingCalendarServiceService, {
    putWorkingCalendar: async (request, { caller }) => ({
      calendar: toProtoCalendar(
        await calendars.load(
          {
            year: request.year,
            holidays: request.holidays.map(({ name, from, to }) => ({ name, from, to })),
            makeUpWorkingDays: request.makeUpWorkingDays,
          },
          caller,
        ),
      ),
    }),
    getWorkingCalendar: async (request) => {
      const found = await calendars.get(request.year);
      if (!found) throw new NotFoundError("working-day calendar", String(request.year));
      return { calendar: toProtoCalendar(found) };
    },
    listWorkingCalendars: async () => ({
      calendars: (await calendars.list()).map(toProtoCalendar),
    }),
  });
}

function toProtoCalendar({ calendar, version }: CalendarYearView): gridCasesV1.WorkingCalendar {
  return {
    ...calendar,
    loadedAt: new Date(calendar.loadedAt),
    version,
  };
}
