import type { partyBuildingV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, noQuery, pathParam, validatedRoute } from "../route-kit.js";
import { pageQuery } from "../validation.js";

const id = z.string().max(128);
const text = z.string().max(500);
const offeredService = z
  .object({
    code: z.string().max(64),
    units: z.number().int().min(0).max(1_000).default(0),
    slotMinutes: z.number().int().min(0).max(1_440).default(0),
  })
  .strict();
const openingHours = z
  .object({ weekday: z.string().max(3), opens: z.string().max(5), closes: z.string().max(5) })
  .strict();
const offer = {
  services: z.array(offeredService).max(100),
  openingHours: z.array(openingHours).max(7),
};
const centreBody = z
  .object({
    centreId: id,
    level: z.enum(["city", "town", "village", "group"]),
    name: text,
    areaId: z.string().max(18),
    address: text.default(""),
    floorAreaM2: z.number().int().min(0).max(10_000_000),
    households: z.number().int().min(0).max(100_000_000).default(0),
    ...offer,
  })
  .strict();
const offerBody = z.object({ ...offer, expectedVersion: z.number().int().min(0).default(0) }).strict();
const centresQuery = z
  .object({
    areaId: z.string().max(18).default(""),
    level: z.string().max(10).default(""),
    gapsOnly: z.enum(["true", "false"]).default("false"),
    ...pageQuery,
  })
  .strict();
const dutyBody = z
  .object({
    date: z.string().max(10),
    period: z.string().max(16),
    personId: id,
    name: z.string().max(100),
    role: z.string().max(100).default(""),
  })
  .strict();
const rosterQuery = z.object({ from: z.string().max(10), to: z.string().max(10) }).strict();
const bookingBody = z
  .object({
    serviceCode: z.string().max(64),
    residentId: id.default(""),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    note: text.default(""),
  })
  .strict();
const centreBookingsQuery = z
  .object({ date: z.string().max(10), serviceCode: z.string().max(64).default(""), ...pageQuery })
  .strict();
const myBookingsQuery = z.object(pageQuery).strict();
const cancellationBody = z.object({ reason: text.default("") }).strict();

/** Party-mass service centres, their rosters and bookings: see ServiceCentreService in proto/. */
export function partyServiceCentreRoutes({
  centres,
  call,
}: {
  centres: v1.ServiceCentreServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  router.get(
    "/api/v1/party-service-catalogue",
    validatedRoute("query", noQuery, async (_query, request, response) => {
      response.json(await callRpc(call, request, centres.listServiceCatalogue.bind(centres), {}));
    }),
  );
  router.post(
    "/api/v1/party-service-centres",
    validatedRoute("body", centreBody, async (body, request, response) => {
      const { centre } = await callRpc(call, request, centres.registerServiceCentre.bind(centres), body);
      response.status(201).location(`/api/v1/party-service-centres/${body.centreId}`).json(centre);
    }),
  );
  router.get(
    "/api/v1/party-service-centres",
    validatedRoute("query", centresQuery, async (query, request, response) => {
      response.json(
        await callRpc(call, request, centres.listServiceCentres.bind(centres), {
          ...query,
          gapsOnly: query.gapsOnly === "true",
        }),
      );
    }),
  );
  router.get("/api/v1/party-service-centres/:centreId", async (request, response) => {
    const { centre } = await callRpc(call, request, centres.getServiceCentre.bind(centres), {
      centreId: pathParam(request, "centreId"),
    });
    response.json(centre);
  });
  router.put(
    "/api/v1/party-service-centres/:centreId/offer",
    validatedRoute("body", offerBody, async (body, request, response) => {
      const { centre } = await callRpc(call, request, centres.updateCentreOffer.bind(centres), {
        centreId: pathParam(request, "centreId"),
        ...body,
      });
      response.json(centre);
    }),
  );
  router.post(
    "/api/v1/party-service-centres/:centreId/duties",
    validatedRoute("body", dutyBody, async (body, request, response) => {
      const { duty } = await callRpc(call, request, centres.assignCentreDuty.bind(centres), {
        centreId: pathParam(request, "centreId"),
        ...body,
      });
      response.status(201).json(duty);
    }),
  );
  router.get(
    "/api/v1/party-service-centres/:centreId/duties",
    validatedRoute("query", rosterQuery, async (query, request, response) => {
      response.json(
        await callRpc(call, request, centres.getCentreRoster.bind(centres), {
          centreId: pathParam(request, "centreId"),
          ...query,
        }),
      );
    }),
  );
  router.post("/api/v1/party-service-centres/:centreId/duties/:dutyId/removal", async (request, response) => {
    const { duty } = await callRpc(call, request, centres.removeCentreDuty.bind(centres), {
      centreId: pathParam(request, "centreId"),
      dutyId: pathParam(request, "dutyId"),
    });
    response.json(duty);
  });
  router.post(
    "/api/v1/party-service-centres/:centreId/bookings",
    validatedRoute("body", bookingBody, async (body, request, response) => {
      const { booking } = await callRpc(call, request, centres.bookCentreService.bind(centres), {
        centreId: pathParam(request, "centreId"),
        ...body,
        startsAt: new Date(body.startsAt),
        endsAt: new Date(body.endsAt),
      });
      response
        .status(201)
        .location(`/api/v1/party-service-bookings/${booking?.bookingId ?? ""}`)
        .json(booking);
    }),
  );
  router.get(
    "/api/v1/party-service-centres/:centreId/bookings",
    validatedRoute("query", centreBookingsQuery, async (query, request, response) => {
      response.json(
        await callRpc(call, request, centres.listCentreBookings.bind(centres), {
          centreId: pathParam(request, "centreId"),
          ...query,
        }),
      );
    }),
  );
  router.get(
    "/api/v1/party-service-bookings",
    validatedRoute("query", myBookingsQuery, async (query, request, response) => {
      response.json(await callRpc(call, request, centres.listMyCentreBookings.bind(centres), query));
    }),
  );
  router.get("/api/v1/party-service-bookings/:bookingId", async (request, response) => {
    const { booking } = await callRpc(call, request, centres.getCentreBooking.bind(centres), {
      bookingId: pathParam(request, "bookingId"),
    });
    response.json(booking);
  });
  router.post(
    "/api/v1/party-service-bookings/:bookingId/cancellation",
    validatedRoute("body", cancellationBody, async (body, request, response) => {
      const { booking } = await callRpc(call, request, centres.cancelCentreBooking.bind(centres), {
        bookingId: pathParam(request, "bookingId"),
        ...body,
      });
      response.json(booking);
    }),
  );
  return router;
}
