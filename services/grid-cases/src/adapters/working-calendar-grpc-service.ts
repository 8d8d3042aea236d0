import type { gridCasesV1 } from "@civic/contracts";
import { NotFoundError } from "@civic/domain-kit";
import { unaryHandler } from "@civic/service-kit";
import type { CalendarYearView, WorkingCalendarDesk } from "../app/working-calendar-desk.js";

const method = (name: string) => `civic.grid_cases.v1.WorkingCalendarService/${name}`;

/** gRPC face of the working-day calendars. */
export function workingCalendarGrpcService(
  calendars: WorkingCalendarDesk,
): gridCasesV1.WorkingCalendarServiceServer {
  return {
    putWorkingCalendar: unaryHandler(
      method("PutWorkingCalendar"),
      async (request: gridCasesV1.PutWorkingCalendarRequest, { caller }) => ({
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
    ),
    getWorkingCalendar: unaryHandler(
      method("GetWorkingCalendar"),
      async (request: gridCasesV1.GetWorkingCalendarRequest) => {
        const found = await calendars.get(request.year);
        if (!found) throw new NotFoundError("working-day calendar", String(request.year));
        return { calendar: toProtoCalendar(found) };
      },
    ),
    listWorkingCalendars: unaryHandler(method("ListWorkingCalendars"), async () => ({
      calendars: (await calendars.list()).map(toProtoCalendar),
    })),
  };
}

function toProtoCalendar({ calendar, version }: CalendarYearView): gridCasesV1.WorkingCalendar {
  return {
    year: calendar.year,
    holidays: calendar.holidays,
    makeUpWorkingDays: calendar.makeUpWorkingDays,
    loadedBy: calendar.loadedBy,
    loadedAt: new Date(calendar.loadedAt),
    version,
  };
}
