import { beforeAll, describe, expect, it } from "vitest";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import {
  openStationWithShift,
  registerVolunteer,
  restClient,
  startVolunteerStationsPlatform,
} from "../support/volunteer-stations-platform.js";

const nancun = "440402001002";

describe("volunteers, activities, shifts and sign-ups through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startVolunteerStationsPlatform(mongoUri, natsUrl, { start: new Date("2026-11-23T08:00:00Z") }),
  );
  const send = restClient(() => platform().gatewayUrl);
  const staff = bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] });
  let shiftId: string;
  let startsAt: Date;
  const volunteerToken = (volunteerId: string) => bearer(volunteerId, { roles: ["volunteer"] });

  const register = async (volunteerId: string, phone = "13812345678") =>
    registerVolunteer(send, volunteerToken(volunteerId), volunteerId, nancun, {
      phone,
      skills: ["tutoring"],
      availability: [{ weekday: "sat", startTime: "09:00", endTime: "12:00" }],
    });

  beforeAll(async () => {
    ({ shiftId, startsAt } = await openStationWithShift(send, staff, platform().clock.now, {
      stationId: "nancun-blue-sky-hut",
      kind: "blue_sky_hut",
      name: "南村蓝天小屋",
      areaId: nancun,
      title: "快乐四点半 after-school care",
      capacity: 10,
    }));
  });

  it("keeps the phone sealed: masked for others, full for the volunteer and area staff (audited)", async () => {
    const registered = await register("vol-phone", "13912345678");
    expect(registered.body).toMatchObject({ phone: "13912345678", verified: false, starLevel: 0 });
    const stranger = volunteerToken("someone-else");
    expect((await send("GET", "/api/v1/volunteers/vol-phone", stranger)).body.phone).toBe("139****5678");
    expect((await send("GET", "/api/v1/volunteers/vol-phone", staff)).body.phone).toBe("13912345678");
    const verified = await send("POST", "/api/v1/volunteers/vol-phone/verification", staff, {});
    expect(verified.body).toMatchObject({ verified: true, verifiedBy: "staff-nancun" });
    expect((await send("POST", "/api/v1/volunteers/vol-phone/verification", stranger, {})).status).toBe(403);
    const listed = await send("GET", `/api/v1/volunteers?areaId=${nancun}`, staff);
    expect(listed.body.volunteers.map((volunteer: { phone: string }) => volunteer.phone)).toEqual([
      "139****5678",
    ]);
    const bad = await send("POST", "/api/v1/volunteers", stranger, {
      volunteerId: "someone-else",
      name: "x",
      phone: "12345",
      areaId: nancun,
      availability: [{ weekday: "xyz", startTime: "25:00", endTime: "09:00" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual([
      "phone",
      "availability[0].weekday",
      "availability[0].startTime",
      "availability[0].endTime",
    ]);
    expect((await send("GET", "/api/v1/volunteers/someone-else", staff)).status).toBe(404);
  });

  it("60 concurrent sign-ups for 10 places: exactly 10 confirmed on distinct seats, 50 waitlisted", async () => {
    const ids = Array.from({ length: 60 }, (_, index) => `storm-${String(index).padStart(2, "0")}`);
    for (let batch = 0; batch < ids.length; batch += 10)
      await Promise.all(ids.slice(batch, batch + 10).map((volunteerId) => register(volunteerId)));
    const answers = await Promise.all(
      ids.map(async (volunteerId) =>
        send("POST", `/api/v1/volunteer-shifts/${shiftId}/sign-ups`, volunteerToken(volunteerId), {
          volunteerId,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 201));
    const confirmed = answers.filter((answer) => answer.body.status === "confirmed");
    expect(confirmed).toHaveLength(10);
    expect(new Set(confirmed.map((answer) => answer.body.seatNo))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    );
    const roster = await send("GET", `/api/v1/volunteer-shifts/${shiftId}/roster`, staff);
    expect(roster.body).toMatchObject({ confirmed: 10, waitlisted: 50 });

    const again = await send(
      "POST",
      `/api/v1/volunteer-shifts/${shiftId}/sign-ups`,
      volunteerToken("storm-00"),
      {
        volunteerId: "storm-00",
      },
    );
    expect(again.status).toBe(400);
    expect(again.body.reason).toBe("ALREADY_SIGNED_UP");
  }, 180_000);

  it("a cancelled place goes to the longest-waiting volunteer", async () => {
    const roster = await send("GET", `/api/v1/volunteer-shifts/${shiftId}/roster`, staff);
    const signUps = roster.body.signUps as {
      volunteerId: string;
      status: string;
      waitlistedAt: string;
      seatNo: number;
    }[];
    const leaving = signUps.find((signUp) => signUp.status === "confirmed");
    const firstWaiting = signUps
      .filter((signUp) => signUp.status === "waitlisted")
      .sort(
        (a, b) => a.waitlistedAt.localeCompare(b.waitlistedAt) || a.volunteerId.localeCompare(b.volunteerId),
      )[0];
    if (!leaving || !firstWaiting) throw new Error("the storm left no confirmed or waiting sign-up");
    const cancelled = await send(
      "DELETE",
      `/api/v1/volunteer-shifts/${shiftId}/sign-ups/${leaving.volunteerId}`,
      volunteerToken(leaving.volunteerId),
    );
    expect(cancelled.body).toMatchObject({ status: "cancelled", seatNo: 0 });
    const promoted = await send(
      "GET",
      `/api/v1/volunteer-shifts/${shiftId}/sign-ups/${firstWaiting.volunteerId}`,
      volunteerToken(firstWaiting.volunteerId),
    );
    expect(promoted.body).toMatchObject({ status: "confirmed", seatNo: leaving.seatNo });
    expect((await send("GET", `/api/v1/volunteer-shifts/${shiftId}/roster`, staff)).body).toMatchObject({
      confirmed: 10,
      waitlisted: 49,
    });
  });

  it("checks in and out with the shift's codes; refuses wrong codes, missing sign-ups and out-of-order steps", async () => {
    const roster = await send("GET", `/api/v1/volunteer-shifts/${shiftId}/roster`, staff);
    const [attendee, absentee] = (roster.body.signUps as { volunteerId: string; status: string }[]).filter(
      (signUp) => signUp.status === "confirmed",
    );
    if (!attendee || !absentee) throw new Error("no confirmed volunteers");
    const token = volunteerToken(attendee.volunteerId);
    const path = `/api/v1/volunteer-shifts/${shiftId}/sign-ups/${attendee.volunteerId}`;
    const checkInCode = (
      await send("POST", `/api/v1/volunteer-shifts/${shiftId}/codes`, staff, { purpose: "check_in" })
    ).body.code as string;
    expect(checkInCode).toMatch(/^\d{6}$/);
    const checkOutCode = (
      await send("POST", `/api/v1/volunteer-shifts/${shiftId}/codes`, staff, { purpose: "check_out" })
    ).body.code as string;
    expect(
      (await send("POST", `/api/v1/volunteer-shifts/${shiftId}/codes`, token, { purpose: "check_in" }))
        .status,
    ).toBe(403);

    platform().clock.now = new Date(startsAt.getTime() - 5 * 60_000);
    const wrongCode = await send("POST", `${path}/check-in`, token, {
      code: checkInCode === "000000" ? "111111" : "000000",
    });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.errors[0].field).toBe("code");
    const early = await send("POST", `${path}/check-out`, token, { code: checkOutCode });
    expect(early.status).toBe(400);
    expect(early.body.reason).toBe("NOT_CHECKED_IN");
    const outsider = await register("not-signed-up");
    expect(outsider.status).toBe(201);
    const noSignUp = await send(
      "POST",
      `/api/v1/volunteer-shifts/${shiftId}/sign-ups/not-signed-up/check-in`,
      volunteerToken("not-signed-up"),
      { code: checkInCode },
    );
    expect(noSignUp.status).toBe(400);
    expect(noSignUp.body.reason).toBe("NOT_SIGNED_UP");
    expect((await send("GET", path, token)).body.status).toBe("confirmed");

    const checkedIn = await send("POST", `${path}/check-in`, token, { code: checkInCode });
    expect(checkedIn.body.status).toBe("checked_in");
    platform().clock.now = new Date(startsAt.getTime() + 90 * 60_000);
    const checkedOut = await send("POST", `${path}/check-out`, token, { code: checkOutCode });
    // Served time counts from the shift's start, not from the early check-in.
    expect(checkedOut.body).toMatchObject({
      status: "checked_out",
      servedMinutes: 90,
      autoCheckedOut: false,
    });

    const marked = await send("POST", `/api/v1/volunteer-shifts/${shiftId}/no-shows`, staff, {});
    expect(marked.body.marked).toBe(9);
    const absent = await send(
      "GET",
      `/api/v1/volunteer-shifts/${shiftId}/sign-ups/${absentee.volunteerId}`,
      volunteerToken(absentee.volunteerId),
    );
    expect(absent.body.status).toBe("no_show");
    const late = await send(
      "POST",
      `/api/v1/volunteer-shifts/${shiftId}/sign-ups`,
      volunteerToken("not-signed-up"),
      {
        volunteerId: "not-signed-up",
      },
    );
    expect(late.body.reason).toBe("SHIFT_STARTED");
  });

  it("refuses activities with bad shifts and from outsiders", async () => {
    const past = await send("POST", "/api/v1/volunteer-activities", staff, {
      stationId: "nancun-blue-sky-hut",
      title: "Fire-safety outreach",
      shifts: [{ startsAt: "2020-01-01T08:00:00Z", endsAt: "2020-01-01T07:00:00Z", capacity: 0 }],
    });
    expect(past.status).toBe(400);
    expect(past.body.errors.map((error: { field: string }) => error.field)).toEqual([
      "shifts[0].capacity",
      "shifts[0].startsAt",
      "shifts[0].endsAt",
    ]);
    const outsider = await send("POST", "/api/v1/volunteer-activities", volunteerToken("vol-phone"), {
      stationId: "nancun-blue-sky-hut",
      title: "Elderly day care",
      shifts: [{ startsAt: "2027-01-01T08:00:00Z", endsAt: "2027-01-01T10:00:00Z", capacity: 5 }],
    });
    expect(outsider.status).toBe(403);
    const listed = await send("GET", `/api/v1/volunteer-activities?areaId=${nancun}`, "");
    expect(listed.body.activities).toHaveLength(1);
  });
});
