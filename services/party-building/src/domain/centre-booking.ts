import { chinaOffsetMs, FailedPreconditionError, FieldChecks, InvalidArgumentError } from "@civic/domain-kit";
import { catalogueByCode } from "./service-catalogue.js";
import { minutesOfDay, type OfferedService, type ServiceCentre, weekdays } from "./service-centre.js";

/**
 * A resident's booking of one unit of a bookable service (a meeting room, a barber's chair)
 * at a service centre for consecutive slots. Each slot of each unit is a document with a
 * deterministic key (see `slotKey`): the unique key, not this stream, keeps two bookings
 * off the same slot. One stream per booking (`booking-<bookingId>`).
 */
export type BookingStatus = "none" | "confirmed" | "cancelled" | "abandoned";

export interface BookingState {
  status: BookingStatus;
  bookingId: string;
  centreId: string;
  areaId: string;
  serviceCode: string;
  unitNo: number;
  residentId: string;
  startsAt: string;
  endsAt: string;
  note: string;
  bookedBy: string;
  bookedAt: string;
  cancelledBy: string;
  cancelledAt: string;
  cancelReason: string;
}

export interface BookService {
  serviceCode: string;
  residentId: string;
  startsAt: string;
  endsAt: string;
  note: string;
}

type Booked = Omit<BookingState, "status" | "cancelledBy" | "cancelledAt" | "cancelReason">;

export type BookingEvent =
  | { type: "booking.confirmed"; data: Booked }
  | { type: "booking.cancelled"; data: { reason: string; by: string; at: string } }
  | { type: "booking.abandoned"; data: { at: string } };

/** The longest booking, and how far ahead a slot can be booked. */
export const bookingLimits = { maxMinutes: 240, maxDaysAhead: 30 };

export const initialBookingState = (): BookingState => ({
  status: "none",
  bookingId: "",
  centreId: "",
  areaId: "",
  serviceCode: "",
  unitNo: 0,
  residentId: "",
  startsAt: "",
  endsAt: "",
  note: "",
  bookedBy: "",
  bookedAt: "",
  cancelledBy: "",
  cancelledAt: "",
  cancelReason: "",
});

export function evolveBooking(state: BookingState, event: BookingEvent): BookingState {
  switch (event.type) {
    case "booking.confirmed":
      return { ...initialBookingState(), ...event.data, status: "confirmed" };
    case "booking.cancelled":
      return {
        ...state,
        status: "cancelled",
        cancelledBy: event.data.by,
        cancelledAt: event.data.at,
        cancelReason: event.data.reason,
      };
    case "booking.abandoned":
      return { ...state, status: "abandoned" };
  }
}

export const slotKey = (centreId: string, serviceCode: string, unitNo: number, slotStart: string) =>
  `${centreId}#${serviceCode}#${unitNo}#${slotStart}`;

/** The starts of the slots a booking covers, as ISO strings. */
export function slotStarts(startsAt: string, endsAt: string, slotMinutes: number): string[] {
  const starts: string[] = [];
  for (let at = Date.parse(startsAt); at < Date.parse(endsAt); at += slotMinutes * 60_000)
    starts.push(new Date(at).toISOString());
  return starts;
}

/** The bookable service of the centre the request is for; a clear error otherwise. */
export function validateBooking(command: BookService, centre: ServiceCentre, now: Date): OfferedService {
  const offered = centre.services.find((service) => service.code === command.serviceCode);
  const startsAt = Date.parse(command.startsAt);
  const endsAt = Date.parse(command.endsAt);
  const checks = new FieldChecks();
  if (!offered) checks.add("serviceCode", `is not offered by centre ${centre.centreId}`);
  else if (!catalogueByCode.get(offered.code)?.bookable)
    checks.add("serviceCode", "is a walk-in service: it is not booked");
  checks
    .identifier("residentId", command.residentId)
    .check("note", [...command.note].length <= 500, "must be at most 500 characters")
    .check("startsAt", !Number.isNaN(startsAt), "must be an ISO 8601 time")
    .check("endsAt", !Number.isNaN(endsAt), "must be an ISO 8601 time")
    .throwIfAny();
  const service = offered as OfferedService;
  const localStart = startsAt + chinaOffsetMs;
  const minutes = (endsAt - startsAt) / 60_000;
  checks
    .check(
      "startsAt",
      localStart % (service.slotMinutes * 60_000) === 0,
      `must start a ${service.slotMinutes}-minute slot`,
    )
    .check(
      "endsAt",
      minutes > 0 && minutes % service.slotMinutes === 0 && minutes <= bookingLimits.maxMinutes,
      `must end ${service.slotMinutes} to ${bookingLimits.maxMinutes} minutes after startsAt, on a slot boundary`,
    );
  if (startsAt <= now.getTime()) checks.add("startsAt", "must be in the future");
  else if (startsAt > now.getTime() + bookingLimits.maxDaysAhead * 24 * 60 * 60_000)
    checks.add("startsAt", `can be at most ${bookingLimits.maxDaysAhead} days ahead`);
  checks.throwIfAny();
  requireOpen(centre, startsAt, endsAt);
  return service;
}

function requireOpen(centre: ServiceCentre, startsAt: number, endsAt: number): void {
  const local = new Date(startsAt + chinaOffsetMs);
  const weekday = weekdays[(local.getUTCDay() + 6) % 7];
  const hours = centre.openingHours.find((day) => day.weekday === weekday);
  const dayStart = startsAt - (local.getUTCHours() * 60 + local.getUTCMinutes()) * 60_000;
  const open = hours && dayStart + minutesOfDay(hours.opens) * 60_000;
  const close = hours && dayStart + minutesOfDay(hours.closes) * 60_000;
  if (open === undefined || close === undefined || startsAt < open || endsAt > close)
    throw new FailedPreconditionError(
      hours
        ? `centre ${centre.centreId} is open ${hours.opens}–${hours.closes} on ${weekday}`
        : `centre ${centre.centreId} is closed on ${weekday}`,
      "CENTRE_CLOSED",
    );
}

export function decideBook(
  command: BookService,
  bookingId: string,
  centre: ServiceCentre,
  unitNo: number,
  by: string,
  now: Date,
): BookingEvent {
  return {
    type: "booking.confirmed",
    data: {
      bookingId,
      centreId: centre.centreId,
      areaId: centre.areaId,
      serviceCode: command.serviceCode,
      unitNo,
      residentId: command.residentId,
      startsAt: new Date(command.startsAt).toISOString(),
      endsAt: new Date(command.endsAt).toISOString(),
      note: command.note,
      bookedBy: by,
      bookedAt: now.toISOString(),
    },
  };
}

export function decideCancelBooking(
  state: BookingState,
  reason: string,
  by: string,
  now: Date,
): BookingEvent {
  if (state.status !== "confirmed")
    throw new FailedPreconditionError(`a ${state.status} booking cannot be cancelled`, "NOT_CANCELLABLE");
  if (Date.parse(state.startsAt) <= now.getTime())
    throw new FailedPreconditionError("a booking that has begun cannot be cancelled", "BOOKING_STARTED");
  if ([...reason].length > 500)
    throw new InvalidArgumentError([{ field: "reason", description: "must be at most 500 characters" }]);
  return { type: "booking.cancelled", data: { reason, by, at: now.toISOString() } };
}

/**
 * The slots of a booking whose stream was never written are taken by nobody: the process
 * that claimed them crashed before committing. Abandoning takes version 1 of the stream,
 * the version that booking's commit needs, so a commit that is only late, not dead, loses
 * on the unique key and never holds slots someone else was given meanwhile.
 */
export function decideAbandon(state: BookingState, now: Date): BookingEvent | undefined {
  if (state.status !== "none") return undefined;
  return { type: "booking.abandoned", data: { at: now.toISOString() } };
}

/** Whether the booking still needs the slots it claimed. */
export const holdsSlots = (state: BookingState) => state.status === "confirmed";
