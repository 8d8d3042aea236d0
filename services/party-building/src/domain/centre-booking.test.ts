import { describe, expect, it } from "vitest";
import {
  decideAbandon,
  evolveBooking,
  initialBookingState,
  slotStarts,
  validateBooking,
} from "./centre-booking.js";
import { evolveCentre, initialCentreState, type ServiceCentre } from "./service-centre.js";

const centre = evolveCentre(initialCentreState(), {
  type: "centre.registered",
  data: {
    centreId: "c-1",
    level: "village",
    name: "中心",
    areaId: "440402001002",
    address: "",
    floorAreaM2: 400,
    households: 1_000,
    services: [
      { code: "meeting-room", units: 1, slotMinutes: 30 },
      { code: "reading-room", units: 0, slotMinutes: 0 },
    ],
    openingHours: [{ weekday: "thu", opens: "08:30", closes: "17:30" }],
    by: "staff",
    at: "2026-12-01T00:00:00Z",
  },
}) as ServiceCentre;
// 2026-12-03 is a Thursday; 08:30 in China is 00:30 UTC.
const now = new Date("2026-12-02T12:00:00Z");
const request = (startsAt: string, endsAt: string, serviceCode = "meeting-room") => ({
  serviceCode,
  residentId: "res-1",
  startsAt,
  endsAt,
  note: "",
});
/** The fields a refusal names, or its reason when it names none. */
const fieldsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    const { violations, reason } = error as { violations?: { field: string }[]; reason: string };
    return violations ? violations.map((violation) => violation.field) : [reason];
  }
  return [];
};

describe("booking a centre's service", () => {
  it("accepts slots within local opening hours, from opening to closing", () => {
    expect(
      validateBooking(request("2026-12-03T08:30:00+08:00", "2026-12-03T09:30:00+08:00"), centre, now).code,
    ).toBe("meeting-room");
    expect(
      validateBooking(request("2026-12-03T17:00:00+08:00", "2026-12-03T17:30:00+08:00"), centre, now).code,
    ).toBe("meeting-room");
  });

  it("refuses before opening, after closing and on closed days", () => {
    expect(
      fieldsOf(() =>
        validateBooking(request("2026-12-03T08:00:00+08:00", "2026-12-03T08:30:00+08:00"), centre, now),
      ),
    ).toEqual(["CENTRE_CLOSED"]);
    expect(
      fieldsOf(() =>
        validateBooking(request("2026-12-03T17:00:00+08:00", "2026-12-03T18:00:00+08:00"), centre, now),
      ),
    ).toEqual(["CENTRE_CLOSED"]);
    expect(
      fieldsOf(() =>
        validateBooking(request("2026-12-04T09:00:00+08:00", "2026-12-04T09:30:00+08:00"), centre, now),
      ),
    ).toEqual(["CENTRE_CLOSED"]);
  });

  it("refuses misaligned, empty, too long, past and far-ahead bookings, and walk-in services", () => {
    expect(
      fieldsOf(() =>
        validateBooking(request("2026-12-03T09:10:00+08:00", "2026-12-03T09:40:00+08:00"), centre, now),
      ),
    ).toEqual(["startsAt"]);
    expect(
      fieldsOf(() =>
        validateBooking(request("2026-12-03T09:00:00+08:00", "2026-12-03T09:00:00+08:00"), centre, now),
      ),
    ).toEqual(["endsAt"]);
    expect(
      fieldsOf(() =>
        validateBooking(request("2026-12-03T09:00:00+08:00", "2026-12-03T13:30:00+08:00"), centre, now),
      ),
    ).toEqual(["endsAt"]);
    expect(
      fieldsOf(() =>
        validateBooking(request("2026-12-02T09:00:00+08:00", "2026-12-02T09:30:00+08:00"), centre, now),
      ),
    ).toEqual(["startsAt"]);
    expect(
      fieldsOf(() =>
        validateBooking(request("2027-01-14T09:00:00+08:00", "2027-01-14T09:30:00+08:00"), centre, now),
      ),
    ).toEqual(["startsAt"]);
    expect(
      fieldsOf(() =>
        validateBooking(
          request("2026-12-03T09:00:00+08:00", "2026-12-03T09:30:00+08:00", "reading-room"),
          centre,
          now,
        ),
      ),
    ).toEqual(["serviceCode"]);
  });

  it("covers one slot key per slot", () => {
    expect(slotStarts("2026-12-03T01:00:00.000Z", "2026-12-03T02:30:00.000Z", 30)).toEqual([
      "2026-12-03T01:00:00.000Z",
      "2026-12-03T01:30:00.000Z",
      "2026-12-03T02:00:00.000Z",
    ]);
  });

  it("abandons only a booking that was never written", () => {
    expect(decideAbandon(initialBookingState(), now)?.type).toBe("booking.abandoned");
    const confirmed = evolveBooking(initialBookingState(), {
      type: "booking.confirmed",
      data: { ...initialBookingState(), bookingId: "b-1", centreId: "c-1", unitNo: 1 },
    });
    expect(decideAbandon(confirmed, now)).toBeUndefined();
  });
});

describe("the community standard", () => {
  it("compares the space exactly: 320 m² for 1,000 households meets 32 per 100", () => {
    const exact = evolveCentre(centre, {
      type: "centre.offer_updated",
      data: {
        services: centre.services,
        openingHours: centre.openingHours,
        by: "s",
        at: "2026-12-02T00:00:00Z",
      },
    }) as ServiceCentre;
    expect(exact.standard).toMatchObject({
      spacePer100Households: 40,
      gaps: ["basic_services", "extended_services"],
    });
  });
});
