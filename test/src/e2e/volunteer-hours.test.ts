import { type StoredEvent, toCloudEvent } from "@civic/event-log";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
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
const hour = 60 * 60_000;
const consumer = "volunteer-stations-service-hours";

describe("service hours: recorded from check-out, certified by the organising side, on an append-only ledger", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startVolunteerStationsPlatform(mongoUri, natsUrl, { start: new Date("2026-11-23T08:00:00Z") }),
  );
  const send = restClient(() => platform().gatewayUrl);
  const staff = bearer("organiser-chen", { roles: ["community_staff"], areas: [nancun] });
  let mongo: MongoClient;
  let db: Db;
  let nats: NatsConnection;
  let startsAt: Date;
  let shiftId: string;
  const token = (volunteerId: string, roles = ["volunteer"], areas: string[] = []) =>
    bearer(volunteerId, { roles, areas });
  const hoursPath = (shift: string, volunteerId: string) =>
    `/api/v1/volunteer-shifts/${shift}/sign-ups/${volunteerId}/hours`;

  const register = (volunteerId: string) => registerVolunteer(send, staff, volunteerId, nancun);
  const signUp = async (shift: string, volunteerId: string) => {
    const signed = await send("POST", `/api/v1/volunteer-shifts/${shift}/sign-ups`, staff, { volunteerId });
    expect(signed.body.status).toBe("confirmed");
  };
  const hoursOf = (shift: string, volunteerId: string) =>
    waitUntil(
      () => send("GET", hoursPath(shift, volunteerId), staff),
      (answer) => answer.status === 200,
      `hours of ${volunteerId}`,
    );
  const ledgerOf = (volunteerId: string) =>
    db.collection("service_hour_ledger").find({ volunteerId }).sort({ _id: 1 }).toArray();

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    nats = await connect({ servers: inject("natsUrl") });
    ({ shiftId, startsAt } = await openStationWithShift(send, staff, platform().clock.now, {
      stationId: "nancun-service-point",
      kind: "service_point",
      name: "南村志愿服务点",
      areaId: nancun,
      title: "家庭医生 family-doctor day",
      capacity: 5,
    }));
    for (const volunteerId of ["vol-li", "vol-wang", "vol-staff"]) await register(volunteerId);
    for (const volunteerId of ["vol-li", "vol-wang", "vol-staff"]) await signUp(shiftId, volunteerId);
  });
  afterAll(async () => {
    await nats.drain();
    await mongo.close();
  });

  it("records checked-out hours as pending; the organiser approves; the volunteer never certifies their own", async () => {
    const path = `/api/v1/volunteer-shifts/${shiftId}/sign-ups/vol-li`;
    const codes = {
      checkIn: (
        await send("POST", `/api/v1/volunteer-shifts/${shiftId}/codes`, staff, { purpose: "check_in" })
      ).body.code,
      checkOut: (
        await send("POST", `/api/v1/volunteer-shifts/${shiftId}/codes`, staff, { purpose: "check_out" })
      ).body.code,
    };
    platform().clock.now = new Date(startsAt.getTime());
    const li = token("vol-li");
    expect((await send("POST", `${path}/check-in`, li, { code: codes.checkIn })).body.status).toBe(
      "checked_in",
    );
    // Half a minute of slack: the fake clock moves on with real time between the two requests.
    platform().clock.now = new Date(startsAt.getTime() + 90.5 * 60_000);
    expect((await send("POST", `${path}/check-out`, li, { code: codes.checkOut })).body.servedMinutes).toBe(
      90,
    );

    const pending = await hoursOf(shiftId, "vol-li");
    expect(pending.body).toMatchObject({
      status: "pending",
      minutes: 90,
      shiftMinutes: 120,
      source: "check_out",
      flagged: false,
      recordedBy: "organiser-chen",
    });
    // The volunteer reads their hours but cannot certify them.
    expect((await send("GET", hoursPath(shiftId, "vol-li"), li)).body.status).toBe("pending");
    const self = await send("POST", `${hoursPath(shiftId, "vol-li")}/approval`, li, {});
    expect(self.status).toBe(403);
    // Not even when they are also staff of the area.
    const staffVolunteer = token("vol-staff", ["community_staff"], [nancun]);
    await send("POST", hoursPath(shiftId, "vol-staff"), staff, { minutes: 60, note: "paper sign-in sheet" });
    const ownHours = await send("POST", `${hoursPath(shiftId, "vol-staff")}/approval`, staffVolunteer, {});
    expect(ownHours.status).toBe(403);
    expect((await send("GET", hoursPath(shiftId, "vol-staff"), staff)).body.status).toBe("pending");

    const approved = await send("POST", `${hoursPath(shiftId, "vol-li")}/approval`, staff, {});
    expect(approved.body).toMatchObject({ status: "approved", decidedBy: "organiser-chen" });
    const ledger = await waitUntil(
      () => ledgerOf("vol-li"),
      (entries) => entries.length === 1,
      "a credit",
    );
    expect(ledger[0]).toMatchObject({ kind: "credit", minutes: 90, reverses: "" });
    // Approving again changes nothing.
    expect((await send("POST", `${hoursPath(shiftId, "vol-li")}/approval`, staff, {})).body.version).toBe(
      approved.body.version,
    );
  });

  it("refuses hours longer than the shift, and declines without deleting", async () => {
    const tooLong = await send("POST", hoursPath(shiftId, "vol-wang"), staff, { minutes: 121 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].field).toBe("minutes");
    expect((await send("GET", hoursPath(shiftId, "vol-wang"), staff)).status).toBe(404);
    const correctedTooLong = await send("POST", `${hoursPath(shiftId, "vol-li")}/correction`, staff, {
      minutes: 180,
      reason: "typo",
    });
    expect(correctedTooLong.status).toBe(400);
    expect(correctedTooLong.body.errors[0].field).toBe("minutes");
    expect((await send("GET", hoursPath(shiftId, "vol-li"), staff)).body).toMatchObject({
      status: "approved",
      minutes: 90,
    });

    const declined = await send("POST", `${hoursPath(shiftId, "vol-staff")}/decline`, staff, {
      reason: "not on the sign-in sheet",
    });
    expect(declined.body).toMatchObject({ status: "declined", declineReason: "not on the sign-in sheet" });
    // Declined hours stay on record.
    expect((await send("GET", hoursPath(shiftId, "vol-staff"), staff)).body.status).toBe("declined");
    expect(await ledgerOf("vol-staff")).toEqual([]);
  });

  it("corrects approved hours with a reversing entry; the certificate shows entries and totals", async () => {
    const corrected = await send("POST", `${hoursPath(shiftId, "vol-li")}/correction`, staff, {
      minutes: 60,
      reason: "left at 09:00 by the register",
    });
    expect(corrected.body).toMatchObject({ status: "pending", minutes: 60 });
    await waitUntil(
      () => ledgerOf("vol-li"),
      (entries) => entries.length === 2,
      "a reversal",
    );
    await send("POST", `${hoursPath(shiftId, "vol-li")}/approval`, staff, {});
    const ledger = await waitUntil(
      () => ledgerOf("vol-li"),
      (entries) => entries.length === 3,
      "a new credit",
    );
    expect(ledger.map((entry) => [entry.kind, entry.minutes])).toEqual([
      ["credit", 90],
      ["reversal", -90],
      ["credit", 60],
    ]);
    expect(ledger[1]?.reverses).toBe(ledger[0]?._id);

    const day = startsAt.toISOString().slice(0, 10);
    const certificate = await send(
      "GET",
      `/api/v1/volunteers/vol-li/service-certificate?from=${day}&to=${day}`,
      token("vol-li"),
    );
    expect(certificate.status).toBe(200);
    expect(certificate.body).toMatchObject({
      volunteerId: "vol-li",
      name: "志愿者vol-li",
      from: day,
      to: day,
      issuer: "civic/volunteer-stations",
      totals: { entries: 3, approvedMinutes: 60, hours: 1, activities: 1 },
    });
    expect(certificate.body.entries).toHaveLength(3);
    const bad = await send(
      "GET",
      "/api/v1/volunteers/vol-li/service-certificate?from=2026-12-01&to=2026-11-01",
      token("vol-li"),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("to");
    const stranger = await send(
      "GET",
      `/api/v1/volunteers/vol-li/service-certificate?from=${day}&to=${day}`,
      token("vol-wang"),
    );
    expect(stranger.status).toBe(403);
  });

  it("checks out automatically after 24 hours and flags the hours", async () => {
    const wang = token("vol-wang");
    const code = (
      await send("POST", `/api/v1/volunteer-shifts/${shiftId}/codes`, staff, { purpose: "check_in" })
    ).body.code;
    // Half a minute early: the fake clock moves on with real time until the request lands.
    platform().clock.now = new Date(startsAt.getTime() + 29.5 * 60_000);
    const path = `/api/v1/volunteer-shifts/${shiftId}/sign-ups/vol-wang`;
    expect((await send("POST", `${path}/check-in`, wang, { code })).body.status).toBe("checked_in");
    platform().clock.now = new Date(startsAt.getTime() + 23 * hour);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await send("GET", path, wang)).body.status).toBe("checked_in");
    platform().clock.now = new Date(startsAt.getTime() + 25 * hour);
    const checkedOut = await waitUntil(
      () => send("GET", path, wang),
      (answer) => answer.body.status === "checked_out",
      "the automatic check-out",
    );
    // Credited up to the shift's end only.
    expect(checkedOut.body.autoCheckedOut).toBe(true);
    expect(checkedOut.body.servedMinutes).toBe(90);
    expect((await hoursOf(shiftId, "vol-wang")).body).toMatchObject({
      status: "pending",
      source: "auto_check_out",
      flagged: true,
      minutes: checkedOut.body.servedMinutes,
    });
  });

  it("raises the star level once at 100 approved hours, also when the events are delivered again", async () => {
    const first = new Date(platform().clock.now.getTime() + 24 * hour);
    const shifts = Array.from({ length: 9 }, (_, index) => ({
      startsAt: new Date(first.getTime() + index * 24 * hour).toISOString(),
      endsAt: new Date(first.getTime() + index * 24 * hour + 12 * hour).toISOString(),
      capacity: 2,
    }));
    const published = await send("POST", "/api/v1/volunteer-activities", staff, {
      stationId: "nancun-service-point",
      title: "长者日间照料 elderly day care",
      shifts,
    });
    expect(published.status).toBe(201);
    const shiftIds = (published.body.shifts as { shiftId: string }[]).map((shift) => shift.shiftId);
    await register("vol-zhao");
    for (const id of shiftIds) await signUp(id, "vol-zhao");
    platform().clock.now = new Date(first.getTime() + 9 * 24 * hour);
    for (const id of shiftIds) {
      const recorded = await send("POST", hoursPath(id, "vol-zhao"), staff, {
        minutes: 720,
        note: "register",
      });
      expect(recorded.status).toBe(201);
      expect((await send("POST", `${hoursPath(id, "vol-zhao")}/approval`, staff, {})).body.status).toBe(
        "approved",
      );
    }
    const volunteer = await waitUntil(
      () => send("GET", "/api/v1/volunteers/vol-zhao", staff),
      (answer) => answer.body.starLevel === 1,
      "star level 1",
    );
    expect(volunteer.body.starLevel).toBe(1);
    await waitUntil(
      () => ledgerOf("vol-zhao"),
      (entries) => entries.length === 9,
      "nine credits",
    );
    const raised = () => db.collection("events").find({ type: "volunteer.star_level_raised" }).toArray();
    expect((await raised()).map((event) => event.data)).toMatchObject([
      { volunteerId: "vol-zhao", from: 0, to: 1, approvedMinutes: 6480 },
    ]);

    // Deliver every approval again (as JetStream would after a lost ack): nothing changes.
    const approvals = (await db
      .collection("events")
      .find({ type: "hours.approved", "data.volunteerId": "vol-zhao" })
      .toArray()) as unknown as StoredEvent[];
    expect(approvals).toHaveLength(9);
    await db.collection("processed_events").deleteMany({});
    const js = jetstream(nats);
    for (const approval of approvals)
      await js.publish(approval.subject, JSON.stringify(toCloudEvent(approval)), {
        msgID: `${approval._id}-again`,
      });
    await waitUntil(
      () =>
        db
          .collection("processed_events")
          .countDocuments({ _id: { $in: approvals.map((a) => `${consumer}:${a._id}`) } } as never),
      (count) => count === 9,
      "the redelivered approvals to be processed",
    );
    expect(await ledgerOf("vol-zhao")).toHaveLength(9);
    expect(await raised()).toHaveLength(1);
    expect((await send("GET", "/api/v1/volunteers/vol-zhao", staff)).body.starLevel).toBe(1);
  }, 120_000);
});
