import { randomUUID } from "node:crypto";
import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayClient, startPartyBuildingPlatform } from "../support/party-building-platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const everyDay = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((weekday) => ({
  weekday,
  opens: "08:00",
  closes: "21:00",
}));

/** A China Standard Time clock time `daysAhead` days from today, as ISO 8601 with +08:00. */
function localTime(daysAhead: number, time: string): string {
  const localToday = new Date(Date.now() + 8 * 60 * 60_000 + daysAhead * 86_400_000);
  return `${localToday.toISOString().slice(0, 10)}T${time}:00+08:00`;
}
const localDate = (daysAhead: number) => localTime(daysAhead, "00:00").slice(0, 10);

describe("party-mass service centres: catalogue, standard, duty rosters and bookings", () => {
  const platform = platformForTheseTests(startPartyBuildingPlatform);
  let mongo: MongoClient;
  let db: Db;
  const send = gatewayClient(() => platform().gatewayUrl);
  const tokens: Record<string, string> = {};
  const resident = (id: string) => bearer(id, { roles: ["resident"] });
  const book = (residentId: string, body: Record<string, unknown>) =>
    send("POST", "/api/v1/party-service-centres/nancun-centre/bookings", body, resident(residentId));
  /** Books `serviceCode` from `from` to `to` (local times) `day` days from today. */
  const bookSlot = (residentId: string, serviceCode: unknown, day: number, from: string, to: string) =>
    book(residentId, { serviceCode, startsAt: localTime(day, from), endsAt: localTime(day, to) });

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    tokens.staff = bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] });
    tokens.otherStaff = bearer("staff-elsewhere", {
      roles: ["community_staff"],
      areas: ["440402002001"],
    });
  });
  afterAll(() => mongo.close());

  it("lists a catalogue of more than 50 services, basic and extended, some bookable", async () => {
    const { status, body } = await send("GET", "/api/v1/party-service-catalogue", undefined, tokens.staff);
    expect(status).toBe(200);
    expect(body.services.length).toBeGreaterThan(50);
    const codes = body.services.map((service: { code: string }) => service.code);
    for (const code of [
      "meeting-room",
      "study-room",
      "home-repair",
      "haircut",
      "fitness-room",
      "parcel-collection",
    ])
      expect(codes).toContain(code);
    expect(body.services.find((service: { code: string }) => service.code === "haircut")).toMatchObject({
      tier: "extended",
      bookable: true,
    });
  });

  it("registers a centre, flags where it misses the community standard, and clears the flags", async () => {
    const unknown = await send(
      "POST",
      "/api/v1/party-service-centres",
      {
        centreId: "broken-centre",
        level: "village",
        name: "坏中心",
        areaId: nancun,
        floorAreaM2: 100,
        services: [{ code: "karaoke" }],
        openingHours: [{ weekday: "mon", opens: "18:00", closes: "09:00" }],
      },
      tokens.staff,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((error: { field: string }) => error.field)).toEqual([
      "services[0].code",
      "openingHours[0].closes",
    ]);
    expect(
      (await send("GET", "/api/v1/party-service-centres/broken-centre", undefined, tokens.staff)).status,
    ).toBe(404);

    const centre = {
      centreId: "nancun-centre",
      level: "village",
      name: "南村党群服务中心",
      areaId: nancun,
      address: "南村大街1号",
      floorAreaM2: 300,
      households: 1_200,
      services: [
        { code: "meeting-room", units: 1, slotMinutes: 30 },
        { code: "study-room", units: 1, slotMinutes: 60 },
        { code: "reading-room" },
        { code: "policy-consultation" },
        { code: "haircut", units: 2, slotMinutes: 30 },
        { code: "parcel-collection" },
      ],
      openingHours: everyDay,
    };
    expect((await send("POST", "/api/v1/party-service-centres", centre, tokens.otherStaff)).status).toBe(403);
    const registered = await send("POST", "/api/v1/party-service-centres", centre, tokens.staff);
    expect(registered.status).toBe(201);
    // 4 basic, 2 extended, 300 m² for 1,200 households = 25 m² per 100 (32 needed).
    expect(registered.body.standard).toEqual({
      applies: true,
      basicServices: 4,
      extendedServices: 2,
      spacePer100Households: 25,
      gaps: ["basic_services", "extended_services", "service_space"],
    });
    expect((await send("POST", "/api/v1/party-service-centres", centre, tokens.staff)).status).toBe(409);
    const flagged = await send(
      "GET",
      `/api/v1/party-service-centres?areaId=440402&gapsOnly=true`,
      undefined,
      tokens.staff,
    );
    expect(flagged.body.centres.map((found: { centreId: string }) => found.centreId)).toEqual([
      "nancun-centre",
    ]);

    const updated = await send(
      "PUT",
      "/api/v1/party-service-centres/nancun-centre/offer",
      {
        services: [
          ...centre.services,
          { code: "legal-aid", units: 1, slotMinutes: 60 },
          { code: "fitness-room", units: 1, slotMinutes: 60 },
        ],
        openingHours: everyDay,
        expectedVersion: registered.body.version,
      },
      tokens.staff,
    );
    expect(updated.status).toBe(200);
    expect(updated.body.standard).toMatchObject({
      basicServices: 5,
      extendedServices: 3,
      gaps: ["service_space"],
    });
    const stale = await send(
      "PUT",
      "/api/v1/party-service-centres/nancun-centre/offer",
      { services: centre.services, openingHours: everyDay, expectedVersion: registered.body.version },
      tokens.staff,
    );
    expect(stale.status).toBe(409);
    expect(
      (await send("GET", "/api/v1/party-service-centres/nancun-centre", undefined, tokens.staff)).body
        .services,
    ).toHaveLength(8);
  });

  it("books slots, refuses overlaps, misaligned times, closed hours and walk-in services", async () => {
    const first = await book("res-li", {
      serviceCode: "meeting-room",
      startsAt: localTime(1, "10:00"),
      endsAt: localTime(1, "11:00"),
      note: "楼栋议事会",
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: "confirmed",
      unitNo: 1,
      residentId: "res-li",
      bookedBy: "res-li",
    });
    const adjacent = await bookSlot("res-wang", "meeting-room", 1, "11:00", "12:00");
    expect(adjacent.status).toBe(201);

    const refusals: {
      what: string;
      slot: [serviceCode: unknown, day: number, from: string, to: string];
      status: number;
      reason?: string;
      fieldInError?: string;
    }[] = [
      { what: "overlap", slot: ["meeting-room", 1, "10:30", "11:30"], status: 409, reason: "SLOT_TAKEN" },
      {
        what: "misaligned",
        slot: ["meeting-room", 1, "13:15", "14:00"],
        status: 400,
        fieldInError: "startsAt",
      },
      { what: "late", slot: ["meeting-room", 1, "20:30", "21:30"], status: 400, reason: "CENTRE_CLOSED" },
      {
        what: "walk-in",
        slot: ["parcel-collection", 1, "09:00", "09:30"],
        status: 400,
        fieldInError: "serviceCode",
      },
      { what: "past", slot: ["meeting-room", -1, "10:00", "10:30"], status: 400 },
      { what: "injected", slot: [{ $gt: "" }, 1, "15:00", "15:30"], status: 400 },
    ];
    for (const { what, slot, status, reason, fieldInError } of refusals) {
      const refused = await bookSlot("res-wang", ...slot);
      expect(refused.status, what).toBe(status);
      if (reason) expect(refused.body.reason, what).toBe(reason);
      if (fieldInError) expect(refused.body.errors[0].field, what).toBe(fieldInError);
    }
    // Refused bookings hold no slots.
    expect(await db.collection("centre_booking_slots").countDocuments()).toBe(4);
  });

  it("lets 10 residents race for the 2 chairs of one haircut slot: exactly 2 are booked", async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) => bookSlot(`res-race-${index}`, "haircut", 2, "14:00", "14:30")),
    );
    const booked = answers.filter((answer) => answer.status === 201);
    expect(booked.map((answer) => answer.body.unitNo).sort()).toEqual([1, 2]);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(8);
    expect(await db.collection("centre_booking_slots").countDocuments({ serviceCode: "haircut" })).toBe(2);
  });

  it("cancels: only the resident or the area's staff, and the slot can be booked again", async () => {
    const booked = await bookSlot("res-zhao", "study-room", 3, "09:00", "11:00");
    expect(booked.status).toBe(201);
    const path = `/api/v1/party-service-bookings/${booked.body.bookingId}`;
    expect((await send("GET", path, undefined, resident("res-qian"))).status).toBe(403);
    expect((await send("POST", `${path}/cancellation`, {}, resident("res-qian"))).status).toBe(403);
    expect((await send("GET", path, undefined, tokens.otherStaff)).status).toBe(403);
    const taken = await bookSlot("res-qian", "study-room", 3, "10:00", "11:00");
    expect(taken.status).toBe(409);

    const cancelled = await send("POST", `${path}/cancellation`, { reason: "改期" }, resident("res-zhao"));
    expect(cancelled.body).toMatchObject({
      status: "cancelled",
      cancelledBy: "res-zhao",
      cancelReason: "改期",
    });
    expect((await send("POST", `${path}/cancellation`, {}, resident("res-zhao"))).body.reason).toBe(
      "NOT_CANCELLABLE",
    );
    const rebooked = await bookSlot("res-qian", "study-room", 3, "10:00", "11:00");
    expect(rebooked.status).toBe(201);

    const day = await send(
      "GET",
      `/api/v1/party-service-centres/nancun-centre/bookings?date=${localDate(3)}`,
      undefined,
      tokens.staff,
    );
    expect(
      day.body.bookings.map((found: { residentId: string; status: string }) => [
        found.residentId,
        found.status,
      ]),
    ).toEqual([
      ["res-zhao", "cancelled"],
      ["res-qian", "confirmed"],
    ]);
    expect(
      (
        await send(
          "GET",
          `/api/v1/party-service-centres/nancun-centre/bookings?date=${localDate(3)}`,
          undefined,
          resident("res-qian"),
        )
      ).status,
    ).toBe(403);
    const mine = await send("GET", "/api/v1/party-service-bookings", undefined, resident("res-zhao"));
    expect(mine.body.bookings.map((found: { bookingId: string }) => found.bookingId)).toEqual([
      booked.body.bookingId,
    ]);
  });

  it("gives a slot whose booking was never written to the next resident, once the claim is old", async () => {
    const slotStart = new Date(localTime(4, "16:00")).toISOString();
    const claimOf = (bookingId: string, minutesAgo: number) => ({
      _id: `nancun-centre#meeting-room#1#${slotStart}` as never,
      centreId: "nancun-centre",
      serviceCode: "meeting-room",
      unitNo: 1,
      slotStart,
      bookingId,
      claimedAt: new Date(Date.now() - minutesAgo * 60_000),
    });
    const request = {
      serviceCode: "meeting-room",
      startsAt: localTime(4, "16:00"),
      endsAt: localTime(4, "16:30"),
    };
    // A claim taken a moment ago may still be committing: the slot stays taken.
    const inFlight = randomUUID();
    await db.collection("centre_booking_slots").insertOne(claimOf(inFlight, 0));
    expect((await book("res-sun", request)).status).toBe(409);
    await db.collection("centre_booking_slots").deleteOne({ bookingId: inFlight });

    const crashed = randomUUID();
    await db.collection("centre_booking_slots").insertOne(claimOf(crashed, 3));
    const booked = await book("res-sun", request);
    expect(booked.status).toBe(201);
    // The crashed booking's stream now holds its abandonment at version 1, the version its
    // commit would have needed: a late commit can no longer hold the slot.
    const stream = await db
      .collection("events")
      .find({ stream: `booking-${crashed}` })
      .toArray();
    expect(stream.map((event) => [event.type, event.version])).toEqual([["booking.abandoned", 1]]);
    expect(
      (await send("GET", `/api/v1/party-service-bookings/${crashed}`, undefined, tokens.staff)).status,
    ).toBe(404);
  });

  it("keeps a duty roster: one person once per period, removals, by date and period", async () => {
    const duty = (date: string, period: string, personId: string) =>
      send(
        "POST",
        "/api/v1/party-service-centres/nancun-centre/duties",
        { date, period, personId, name: `值班${personId}`, role: "值班干部" },
        tokens.staff,
      );
    const [first, second] = await Promise.all([
      duty(localDate(1), "morning", "cadre-1"),
      duty(localDate(1), "morning", "cadre-1"),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect((await duty(localDate(1), "afternoon", "cadre-1")).status).toBe(201);
    expect((await duty(localDate(0), "evening", "cadre-2")).status).toBe(201);
    const bad = await duty("2026-02-30", "night", "cadre-2");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(["date", "period"]);
    expect(
      (
        await send(
          "POST",
          "/api/v1/party-service-centres/nancun-centre/duties",
          { date: localDate(1), period: "evening", personId: "cadre-3", name: "x" },
          tokens.otherStaff,
        )
      ).status,
    ).toBe(403);

    const removed = await send(
      "POST",
      `/api/v1/party-service-centres/nancun-centre/duties/${first.status === 201 ? first.body.dutyId : second.body.dutyId}/removal`,
      {},
      tokens.staff,
    );
    expect(removed.body.status).toBe("removed");
    const roster = await send(
      "GET",
      `/api/v1/party-service-centres/nancun-centre/duties?from=${localDate(0)}&to=${localDate(6)}`,
      undefined,
      tokens.staff,
    );
    expect(
      roster.body.duties.map((found: { date: string; period: string; personId: string }) => [
        found.date,
        found.period,
        found.personId,
      ]),
    ).toEqual([
      [localDate(0), "evening", "cadre-2"],
      [localDate(1), "afternoon", "cadre-1"],
    ]);
    const tooLong = await send(
      "GET",
      `/api/v1/party-service-centres/nancun-centre/duties?from=${localDate(0)}&to=${localDate(40)}`,
      undefined,
      tokens.staff,
    );
    expect(tooLong.status).toBe(400);
  });
});
