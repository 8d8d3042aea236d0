import { partyBuildingV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { BookingView, CentreBookingDesk } from "../app/centre-booking-desk.js";
import type { CentreView, ServiceCentreDesk } from "../app/service-centre-desk.js";
import type { Duty } from "../domain/centre-duty.js";
import { serviceCatalogue } from "../domain/service-catalogue.js";
import type { Weekday } from "../domain/service-centre.js";
import { expectedVersionOf, requireId } from "./enum-mapping.js";

/** gRPC face of party-mass service centres and their bookings. */
export function serviceCentreGrpcService(
  centres: ServiceCentreDesk,
  bookings: CentreBookingDesk,
): GrpcServiceRegistration {
  return unaryService(partyBuildingV1.ServiceCentreServiceService, {
    listServiceCatalogue: async () => ({
      services: serviceCatalogue.map((service) => ({ ...service })),
    }),
    registerServiceCentre: async (request, { caller }) => ({
      centre: toProtoCentre(await centres.register({ ...request, ...offerOf(request) }, caller)),
    }),
    getServiceCentre: async (request) => {
      requireId("centreId", request.centreId);
      return { centre: toProtoCentre(await centres.get(request.centreId)) };
    },
    listServiceCentres: async (request) => {
      const { areaId, level, gapsOnly, ...page } = request;
      const found = await centres.list({ areaId, level, gapsOnly }, page);
      return { centres: found.centres.map(toProtoCentre), nextPageToken: found.nextPageToken };
    },
    updateCentreOffer: async (request, { caller }) => {
      requireId("centreId", request.centreId);
      const expected = expectedVersionOf(request.expectedVersion);
      return {
        centre: toProtoCentre(
          await centres.updateOffer(request.centreId, offerOf(request), expected, caller),
        ),
      };
    },
    assignCentreDuty: async (request, { caller }) => {
      requireId("centreId", request.centreId);
      const { centreId, ...duty } = request;
      return { duty: toProtoDuty(await centres.assignDuty(centreId, duty, caller)) };
    },
    removeCentreDuty: async (request, { caller }) => {
      requireId("centreId", request.centreId);
      return { duty: toProtoDuty(await centres.removeDuty(request.centreId, request.dutyId, caller)) };
    },
    getCentreRoster: async (request) => {
      requireId("centreId", request.centreId);
      return {
        duties: (await centres.roster(request.centreId, request.from, request.to)).map(toProtoDuty),
      };
    },
    bookCentreService: async (request, { caller }) => {
      requireId("centreId", request.centreId);
      const booking = await bookings.book(
        request.centreId,
        {
          serviceCode: request.serviceCode,
          residentId: request.residentId,
          startsAt: request.startsAt?.toISOString() ?? "",
          endsAt: request.endsAt?.toISOString() ?? "",
          note: request.note,
        },
        caller,
      );
      return { booking: toProtoBooking(booking) };
    },
    listCentreBookings: async (request, { caller }) => {
      requireId("centreId", request.centreId);
      const { centreId, date, serviceCode, ...page } = request;
      const found = await bookings.ofCentre(centreId, { date, serviceCode }, page, caller);
      return { bookings: found.bookings.map(toProtoBooking), nextPageToken: found.nextPageToken };
    },
    listMyCentreBookings: async (request, { caller }) => {
      const found = await bookings.mine(request, caller);
      return { bookings: found.bookings.map(toProtoBooking), nextPageToken: found.nextPageToken };
    },
    getCentreBooking: async (request, { caller }) => {
      requireId("bookingId", request.bookingId);
      return { booking: toProtoBooking(await bookings.get(request.bookingId, caller)) };
    },
    cancelCentreBooking: async (request, { caller }) => {
      requireId("bookingId", request.bookingId);
      return { booking: toProtoBooking(await bookings.cancel(request.bookingId, request.reason, caller)) };
    },
  });
}

function offerOf(request: {
  services: partyBuildingV1.OfferedService[];
  openingHours: partyBuildingV1.OpeningHours[];
}) {
  return {
    services: request.services.map(({ code, units, slotMinutes }) => ({ code, units, slotMinutes })),
    openingHours: request.openingHours.map(({ weekday, opens, closes }) => ({
      weekday: weekday as Weekday,
      opens,
      closes,
    })),
  };
}

function toProtoCentre(centre: CentreView): partyBuildingV1.ServiceCentre {
  return {
    ...centre,
    registeredAt: new Date(centre.registeredAt),
    updatedAt: new Date(centre.updatedAt),
  };
}

function toProtoDuty(duty: Duty): partyBuildingV1.CentreDuty {
  return { ...duty, assignedAt: new Date(duty.assignedAt) };
}

const dateOrUnset = (text: string) => (text ? new Date(text) : undefined);

function toProtoBooking(booking: BookingView): partyBuildingV1.CentreBooking {
  return {
    ...booking,
    startsAt: new Date(booking.startsAt),
    endsAt: new Date(booking.endsAt),
    bookedAt: new Date(booking.bookedAt),
    cancelledAt: dateOrUnset(booking.cancelledAt),
  };
}
