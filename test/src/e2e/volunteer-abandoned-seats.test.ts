import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import {
  openStationWithShift,
  registerVolunteer,
  restClient,
  startVolunteerStationsPlatform,
  waitUntil,
} from "../support/volunteer-stations-platform.js";

const nancun = "440402001002";

// A crash between taking a seat (a key insert) and committing the sign-up leaves a claim
// nobody holds. The test writes such a claim itself, as the crashed process would have.
describe("a seat claimed by a sign-up that never committed comes back to the waitlist", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startVolunteerStationsPlatform(mongoUri, natsUrl, { start: new Date("2026-11-23T08:00:00Z") }),
  );
  const send = restClient(() => platform().gatewayUrl);
  const staff = bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] });
  let mongo: MongoClient;
  let db: Db;
  let shiftId: string;

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    ({ shiftId } = await openStationWithShift(send, staff, platform().clock.now, {
      stationId: "nancun-youth-station",
      kind: "youth_station",
      name: "南村青年驿站",
      areaId: nancun,
      title: "垃圾分类 sorting guide",
      capacity: 2,
    }));
    for (const volunteerId of ["vol-a", "vol-crashed", "vol-b", "vol-c"]) {
      await registerVolunteer(send, staff, volunteerId, nancun);
    }
  });
  afterAll(() => mongo.close());

  const signUp = (volunteerId: string) =>
    send("POST", `/api/v1/volunteer-shifts/${shiftId}/sign-ups`, staff, { volunteerId });
  const signUpOf = (volunteerId: string) =>
    send("GET", `/api/v1/volunteer-shifts/${shiftId}/sign-ups/${volunteerId}`, staff);

  it("voids the claim after the bound, frees the seat and promotes the first waiting", async () => {
    expect((await signUp("vol-a")).body).toMatchObject({ status: "confirmed", seatNo: 1 });
    await db.collection("shift_seats").insertOne({
      _id: `${shiftId}#2` as never,
      shiftId,
      seatNo: 2,
      signUpId: `${shiftId}~vol-crashed`,
      round: 1,
      claimedAt: platform().clock.now,
    });
    expect((await signUp("vol-b")).body.status).toBe("waitlisted");
    expect((await signUp("vol-c")).body.status).toBe("waitlisted");

    // Within the bound the claim may still be committing: it is left alone.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await signUpOf("vol-b")).body.status).toBe("waitlisted");
    expect(await db.collection("shift_seats").countDocuments({ shiftId })).toBe(2);

    platform().clock.now = new Date(platform().clock.now.getTime() + 3 * 60_000);
    const promoted = await waitUntil(
      () => signUpOf("vol-b"),
      (answer) => answer.body.status === "confirmed",
      "vol-b promoted to the freed seat",
    );
    expect(promoted.body.seatNo).toBe(2);
    expect((await signUpOf("vol-c")).body.status).toBe("waitlisted");
    const roster = await send("GET", `/api/v1/volunteer-shifts/${shiftId}/roster`, staff);
    expect(roster.body).toMatchObject({ confirmed: 2, waitlisted: 1 });
    const seats = await db.collection("shift_seats").find({ shiftId }).sort({ seatNo: 1 }).toArray();
    expect(seats.map((seat) => seat.signUpId)).toEqual([`${shiftId}~vol-a`, `${shiftId}~vol-b`]);
  });

  it("a late commit relying on the voided claim cannot seat anyone: the volunteer signs up anew", async () => {
    // The void took version 1 of the crashed sign-up's stream, the version its commit needed.
    const stream = await db
      .collection("events")
      .find({ stream: `signup-${shiftId}~vol-crashed` })
      .toArray();
    expect(stream.map((event) => [event.type, event.version])).toEqual([["signup.seat_claim_voided", 1]]);
    expect((await signUpOf("vol-crashed")).status).toBe(404);
    const again = await signUp("vol-crashed");
    expect(again.status).toBe(201);
    expect(again.body.status).toBe("waitlisted");
    const after = await db
      .collection("events")
      .find({ stream: `signup-${shiftId}~vol-crashed` })
      .sort({ version: 1 })
      .toArray();
    expect(after.map((event) => [event.type, event.data.round])).toEqual([
      ["signup.seat_claim_voided", 1],
      ["signup.waitlisted", 2],
    ]);
  });
});
