import {
  AlreadyExistsError,
  type Caller,
  chinaOffsetMs,
  InvalidArgumentError,
  isCalendarDate,
  NotFoundError,
  UnavailableError,
} from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type BookingEvent,
  type BookingState,
  type BookService,
  decideAbandon,
  decideBook,
  decideCancelBooking,
  holdsSlots,
  slotKey,
  slotStarts,
  validateBooking,
} from "../domain/centre-booking.js";
import { communityKeepers, requireRoleIn } from "../domain/party-roles.js";
import type { BookingSlots, SlotClaim } from "./booking-slots.js";
import type { ServiceCentreDesk } from "./service-centre-desk.js";

export type BookingView = BookingState & { version: number };

/**
 * A claim whose booking was never written this long after it was taken is abandoned (its
 * process crashed). Abandoning is safe at any age (see decideAbandon); waiting this long
 * only spares bookings still in flight a retry.
 */
export const abandonedClaimAfterMs = 2 * 60_000;

/** Use cases of booking rooms and services at party-mass service centres. */
export class CentreBookingDesk {
  constructor(
    private readonly bookings: AggregateRepository<BookingState, BookingEvent>,
    private readonly slots: BookingSlots,
    private readonly centres: ServiceCentreDesk,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Residents book for themselves; staff of the centre's area book for a resident. The
   * first unit whose slots are all free is taken: one key insert per slot, so concurrent
   * bookings of the same slots cannot both succeed.
   */
  async book(centreId: string, request: BookService, caller: Caller): Promise<BookingView> {
    const centre = await this.centres.get(centreId);
    const command = { ...request, residentId: request.residentId || caller.subject };
    const service = validateBooking(command, centre, this.now());
    if (command.residentId !== caller.subject) requireRoleIn(caller, communityKeepers, centre.areaId);
    const bookingId = this.newId();
    const starts = slotStarts(command.startsAt, command.endsAt, service.slotMinutes);
    for (let unitNo = 1; unitNo <= service.units; unitNo++) {
      const claims = starts.map((slotStart) => ({
        _id: slotKey(centreId, service.code, unitNo, slotStart),
        centreId,
        serviceCode: service.code,
        unitNo,
        slotStart,
      }));
      if (!(await this.slots.claimAll(claims, bookingId, (claim) => this.isStale(claim)))) continue;
      try {
        const { state, version } = await this.bookings.create(bookingId, () =>
          decideBook(command, bookingId, centre, unitNo, caller.subject, this.now()),
        );
        return { ...state, version };
      } catch (error) {
        await this.slots.releaseAll(bookingId);
        if (error instanceof AlreadyExistsError)
          throw new UnavailableError("the booking took too long and its slots were given up; try again");
        throw error;
      }
    }
    throw new AlreadyExistsError(
      `every unit of ${service.code} at ${centreId} is booked for part of ${command.startsAt}–${command.endsAt}`,
      "SLOT_TAKEN",
    );
  }

  async cancel(bookingId: string, reason: string, caller: Caller): Promise<BookingView> {
    await this.get(bookingId, caller);
    const { state, version } = await this.bookings.execute(bookingId, (current) =>
      decideCancelBooking(current, reason, caller.subject, this.now()),
    );
    await this.slots.releaseAll(bookingId);
    return { ...state, version };
  }

  /** The resident sees their own bookings; staff see those of their areas. */
  async get(bookingId: string, caller: Caller): Promise<BookingView> {
    const { state, version } = await this.bookings.load(bookingId);
    if (state.status !== "confirmed" && state.status !== "cancelled")
      throw new NotFoundError("booking", bookingId);
    if (state.residentId !== caller.subject) requireRoleIn(caller, communityKeepers, state.areaId);
    return { ...state, version };
  }

  /** A centre's bookings on one local date (staff of its area), in booking order. */
  async ofCentre(
    centreId: string,
    filter: { date: string; serviceCode: string },
    page: PageRequest,
    caller: Caller,
  ): Promise<{ bookings: BookingView[]; nextPageToken: string }> {
    if (!isCalendarDate(filter.date))
      throw new InvalidArgumentError([{ field: "date", description: "must be a date, YYYY-MM-DD" }]);
    const centre = await this.centres.get(centreId);
    requireRoleIn(caller, communityKeepers, centre.areaId);
    const dayStart = Date.parse(`${filter.date}T00:00:00Z`) - chinaOffsetMs;
    const query: Record<string, unknown> = {
      "state.centreId": centreId,
      "state.status": { $in: ["confirmed", "cancelled"] },
      "state.startsAt": {
        $gte: new Date(dayStart).toISOString(),
        $lt: new Date(dayStart + 86_400_000).toISOString(),
      },
    };
    if (filter.serviceCode) query["state.serviceCode"] = filter.serviceCode;
    return this.page(query, page);
  }

  /** The caller's own bookings, in booking order. */
  async mine(page: PageRequest, caller: Caller): Promise<{ bookings: BookingView[]; nextPageToken: string }> {
    return this.page(
      { "state.residentId": caller.subject, "state.status": { $in: ["confirmed", "cancelled"] } },
      page,
    );
  }

  private async page(query: Record<string, unknown>, page: PageRequest) {
    const found = await pageOfSnapshots(this.bookings.snapshots, query, page);
    return {
      bookings: found.items.map((item) => ({ ...item.state, version: item.version })),
      nextPageToken: found.nextPageToken,
    };
  }

  /**
   * A slot's holder no longer needs it when its booking was cancelled or abandoned, or was
   * never written although it was claimed long ago: that booking is then marked abandoned
   * first, so its commit, if it is only late, can no longer succeed.
   */
  private async isStale(claim: SlotClaim): Promise<boolean> {
    let { state } = await this.bookings.load(claim.bookingId);
    if (state.status === "none") {
      if (claim.claimedAt.getTime() > this.now().getTime() - abandonedClaimAfterMs) return false;
      ({ state } = await this.bookings.execute(claim.bookingId, (current) =>
        decideAbandon(current, this.now()),
      ));
    }
    return !holdsSlots(state);
  }
}
