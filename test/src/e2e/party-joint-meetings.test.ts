import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  foundNancunCommittee,
  gatewayClient,
  startPartyBuildingPlatform,
} from "../support/party-building-platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import type { PublishedArea } from "../support/published-areas.js";
import { raceOutcome } from "../support/races.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const shanchang = "440402001009";
const community = (areaId: string, name: string): PublishedArea => ({
  areaId,
  level: "community",
  name,
  parentId: "440402001",
  population: 9_800,
  households: 3_400,
});

describe("joint meetings: member units, sessions, agenda items and pairings", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startPartyBuildingPlatform(mongoUri, natsUrl, [
      community(nancun, "南村社区"),
      community(shanchang, "山场社区"),
    ]),
  );
  let mongo: MongoClient;
  let db: Db;
  const send = gatewayClient(() => platform().gatewayUrl);
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const countEvents = (filter: Record<string, unknown>) => db.collection("events").countDocuments(filter);
  const join = (unitId: string, kind: string, areaId = nancun, token = tokens.staff) =>
    send("POST", `/api/v1/joint-meetings/${areaId}/units`, { unitId, name: `${unitId}单位`, kind }, token);
  const found = async (body: Record<string, unknown>) => {
    const response = await send("POST", "/api/v1/party-organisations", body, tokens.organiser);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.organisationId as string;
  };

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    tokens.organiser = bearer("po-1", { roles: ["party_organiser"], areas: ["440402"] });
    tokens.staff = bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] });
    tokens.otherStaff = bearer("staff-shanchang", { roles: ["community_staff"], areas: [shanchang] });
    Object.assign(ids, await foundNancunCommittee(found));
  });
  afterAll(() => mongo?.close());

  it("seats member units of the known kinds once, in known communities, for staff of the community", async () => {
    const bad = await join("bank 1", "bank");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(["unitId", "kind"]);
    expect((await join("police", "police_station", "440402001005", tokens.organiser)).status).toBe(400);
    expect((await join("police", "police_station", nancun, tokens.otherStaff)).status).toBe(403);
    expect(await countEvents({ type: "joint_meeting.unit_joined" })).toBe(0);

    for (const [unitId, kind] of [
      ["police", "police_station"],
      ["school", "school"],
      ["hospital", "hospital"],
      ["property", "property_company"],
    ]) {
      // Seating a unit changes the joint meeting, which has the URL: 200 (docs/api.md).
      const joined = await join(unitId as string, kind as string);
      expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    }
    const again = await join("police", "police_station");
    expect(again).toMatchObject({ status: 409, body: { reason: "UNIT_ALREADY_JOINED" } });
    const meeting = await send("GET", `/api/v1/joint-meetings/${nancun}`, undefined, tokens.staff);
    expect(
      meeting.body.units.map((unit: { unitId: string; kind: string }) => [unit.unitId, unit.kind]),
    ).toEqual([
      ["police", "police_station"],
      ["school", "school"],
      ["hospital", "hospital"],
      ["property", "property_company"],
    ]);
    expect((await send("GET", `/api/v1/joint-meetings/${nancun}`, undefined, tokens.otherStaff)).status).toBe(
      403,
    );
    expect(
      (await send("GET", `/api/v1/joint-meetings/${shanchang}`, undefined, tokens.otherStaff)).status,
    ).toBe(404);
  });

  it("seats a unit once when 10 requests to join race", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => join("association", "association")));
    expect(results.map((result) => result.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(results.filter((result) => result.status === 409).map((result) => result.body.reason)).toEqual(
      Array(9).fill("UNIT_ALREADY_JOINED"),
    );
    expect(await countEvents({ type: "joint_meeting.unit_joined", "data.unitId": "association" })).toBe(1);
  });

  it("records meetings held with attendees among the member units", async () => {
    const strangers = await send(
      "POST",
      `/api/v1/joint-meetings/${nancun}/sessions`,
      { heldOn: "2026-11-20", title: "第四季度联席会议", attendeeUnitIds: ["police", "bank"] },
      tokens.staff,
    );
    expect(strangers.status).toBe(400);
    expect(strangers.body.errors).toEqual([
      { field: "attendeeUnitIds[1]", detail: "is not a member unit of this joint meeting" },
    ]);
    const held = await send(
      "POST",
      `/api/v1/joint-meetings/${nancun}/sessions`,
      {
        heldOn: "2026-11-20",
        title: "第四季度联席会议",
        attendeeUnitIds: ["police", "school", "property"],
        minutes: "议定停车整治",
      },
      tokens.staff,
    );
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const sessions = await send("GET", `/api/v1/joint-meetings/${nancun}/sessions`, undefined, tokens.staff);
    expect(sessions.body).toMatchObject({
      sessions: [{ heldOn: "2026-11-20", attendeeUnitIds: ["police", "school", "property"] }],
    });
    expect(sessions.body).not.toHaveProperty("nextPageToken");
  });

  it("moves an agenda item through its stages, refusing moves out of order with nothing changed", async () => {
    const proposed = await send(
      "POST",
      `/api/v1/joint-meetings/${nancun}/agenda-items`,
      { title: "小区停车难", description: "夜间车位不足", proposedByUnitId: "property" },
      tokens.staff,
    );
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect(proposed.body).toMatchObject({ stage: "motion", version: 1 });
    const itemPath = `/api/v1/joint-meeting-agenda-items/${proposed.body.itemId}`;
    const move = (to: string, note = "", token = tokens.staff) =>
      send("POST", `${itemPath}/transitions`, { to, note }, token);

    const early = await move("decided", "增设车位");
    expect(early).toMatchObject({ status: 400, body: { reason: "STAGE_OUT_OF_ORDER" } });
    expect((await move("regular_consultation", "", tokens.otherStaff)).status).toBe(403);
    expect((await move("motion")).status).toBe(400);
    expect((await send("GET", itemPath, undefined, tokens.staff)).body).toMatchObject({
      stage: "motion",
      version: 1,
    });

    expect((await move("immediate_consultation", "事关安全，即时协商")).status).toBe(200);
    expect((await move("regular_consultation")).body.reason).toBe("STAGE_OUT_OF_ORDER");
    const noDecision = await move("decided", "");
    expect(noDecision.status).toBe(400);
    expect(noDecision.body.errors).toEqual([{ field: "note", detail: "must state the decision" }]);
    expect((await move("decided", "夜间开放学校操场停车")).status).toBe(200);
    expect((await move("closed")).body.reason).toBe("STAGE_OUT_OF_ORDER");
    expect((await move("follow_up", "物业落实")).status).toBe(200);
    const closed = await move("closed", "已办结");
    expect(closed.status).toBe(200);
    expect(
      closed.body.history.map((change: { from: string; to: string }) => `${change.from}>${change.to}`),
    ).toEqual([
      ">motion",
      "motion>immediate_consultation",
      "immediate_consultation>decided",
      "decided>follow_up",
      "follow_up>closed",
    ]);
    expect(closed.body.history[2]).toMatchObject({ note: "夜间开放学校操场停车", by: "staff-nancun" });
    expect(await countEvents({ stream: `agenda_item-${proposed.body.itemId}` })).toBe(5);
    const open = await send(
      "GET",
      `/api/v1/joint-meetings/${nancun}/agenda-items?stage=motion`,
      undefined,
      tokens.staff,
    );
    expect(open.body.items).toEqual([]);
    const done = await send(
      "GET",
      `/api/v1/joint-meetings/${nancun}/agenda-items?stage=closed`,
      undefined,
      tokens.staff,
    );
    expect(done.body.items.map((item: { itemId: string }) => item.itemId)).toEqual([proposed.body.itemId]);
  });

  it("pairs a community organisation with a member unit once while active: 10 concurrent requests, one wins", async () => {
    const pairing = {
      organisationId: ids.community,
      unitId: "police",
      startedOn: "2026-01-01",
      purpose: "警民共建",
    };
    const outsider = await send(
      "POST",
      "/api/v1/co-building-pairings",
      { ...pairing, unitId: "bank" },
      tokens.staff,
    );
    expect(outsider).toMatchObject({ status: 400, body: { reason: "NOT_A_MEMBER_UNIT" } });
    const street = await send(
      "POST",
      "/api/v1/co-building-pairings",
      { ...pairing, organisationId: ids.street },
      tokens.organiser,
    );
    expect(street).toMatchObject({ status: 400, body: { reason: "NOT_A_COMMUNITY_ORGANISATION" } });
    expect((await send("POST", "/api/v1/co-building-pairings", pairing, tokens.otherStaff)).status).toBe(403);
    const badDate = await send(
      "POST",
      "/api/v1/co-building-pairings",
      { ...pairing, startedOn: "2026-13-01" },
      tokens.staff,
    );
    expect(badDate.status).toBe(400);
    expect(await countEvents({ type: "pairing.formed" })).toBe(0);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => send("POST", "/api/v1/co-building-pairings", pairing, tokens.staff)),
    );
    expect(results.map((result) => result.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(results.filter((result) => result.status === 409).map((result) => result.body.reason)).toEqual(
      Array(9).fill("ALREADY_PAIRED"),
    );
    expect(await countEvents({ type: "pairing.formed" })).toBe(1);
    expect(await db.collection("events").findOne({ type: "pairing.formed" })).toMatchObject({
      data: { organisationId: ids.community, unitId: "police", areaId: nancun },
    });
    const pairingId = `${ids.community}.police`;
    const active = await send(
      "GET",
      `/api/v1/co-building-pairings?communityAreaId=${nancun}&activeOnly=true`,
      undefined,
      tokens.staff,
    );
    expect(active.body.pairings.map((found: { pairingId: string }) => found.pairingId)).toEqual([pairingId]);

    const early = await send(
      "POST",
      `/api/v1/co-building-pairings/${pairingId}/end`,
      { endedOn: "2025-12-31" },
      tokens.staff,
    );
    expect(early.status).toBe(400);
    const ended = await send(
      "POST",
      `/api/v1/co-building-pairings/${pairingId}/end`,
      { endedOn: "2026-11-30", note: "期满" },
      tokens.staff,
    );
    expect(ended.body).toMatchObject({ status: "ended", endedOn: "2026-11-30", endNote: "期满" });
    expect(
      (
        await send(
          "POST",
          `/api/v1/co-building-pairings/${pairingId}/end`,
          { endedOn: "2026-12-01" },
          tokens.staff,
        )
      ).body.reason,
    ).toBe("PAIRING_ENDED");
    const none = await send(
      "GET",
      `/api/v1/co-building-pairings?communityAreaId=${nancun}&activeOnly=true`,
      undefined,
      tokens.staff,
    );
    expect(none.body.pairings).toEqual([]);
    const renewed = await send(
      "POST",
      "/api/v1/co-building-pairings",
      { ...pairing, startedOn: "2027-01-01" },
      tokens.staff,
    );
    expect(renewed.status).toBe(201);
    expect(renewed.body).toMatchObject({
      status: "active",
      startedOn: "2027-01-01",
      formerTerms: [{ startedOn: "2026-01-01", endedOn: "2026-11-30" }],
    });
    expect(
      (await send("GET", `/api/v1/co-building-pairings/${pairingId}`, undefined, tokens.otherStaff)).status,
    ).toBe(403);
    expect((await send("GET", "/api/v1/co-building-pairings/no.such", undefined, tokens.staff)).status).toBe(
      404,
    );
  });

  it("lets a unit leave once its pairings have ended, and join again", async () => {
    const leave = (unitId: string, body: Record<string, unknown>, token = tokens.staff) =>
      send("POST", `/api/v1/joint-meetings/${nancun}/units/${unitId}/departure`, body, token);
    const leftEvents = () => countEvents({ type: "joint_meeting.unit_left" });
    expect((await leave("police", { leftOn: "2027-13-01" })).body.errors).toEqual([
      { field: "leftOn", detail: "must be a date, YYYY-MM-DD" },
    ]);
    expect((await leave("police", { leftOn: "2026-01-01" })).body.errors).toEqual([
      { field: "leftOn", detail: "must not be before the unit joined" },
    ]);
    expect((await leave("police", { leftOn: "2027-03-01", extra: 1 })).status).toBe(400);
    expect(await leave("bank", { leftOn: "2027-03-01" })).toMatchObject({
      status: 400,
      body: { reason: "NOT_A_MEMBER_UNIT" },
    });
    expect((await leave("police", { leftOn: "2027-03-01" }, tokens.otherStaff)).status).toBe(403);
    expect(
      (
        await send(
          "POST",
          `/api/v1/joint-meetings/${shanchang}/units/police/departure`,
          { leftOn: "2027-03-01" },
          tokens.otherStaff,
        )
      ).status,
    ).toBe(404);
    // The pairing renewed in 2027 is still active: it is named, and nothing is recorded.
    const pairingId = `${ids.community}.police`;
    const paired = await leave("police", { leftOn: "2027-03-01" });
    expect(paired).toMatchObject({ status: 400, body: { reason: "UNIT_HAS_ACTIVE_PAIRINGS" } });
    expect(paired.body.detail).toContain(pairingId);
    expect(await leftEvents()).toBe(0);

    const ended = await send(
      "POST",
      `/api/v1/co-building-pairings/${pairingId}/end`,
      { endedOn: "2027-02-28" },
      tokens.staff,
    );
    expect(ended.status).toBe(200);
    const left = await leave("police", { leftOn: "2027-03-01" });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    expect(left.body.units.map((unit: { unitId: string }) => unit.unitId)).not.toContain("police");
    expect(left.body.formerUnits).toMatchObject([
      { unitId: "police", kind: "police_station", leftOn: "2027-03-01", leftBy: "staff-nancun" },
    ]);
    expect(await db.collection("events").findOne({ type: "joint_meeting.unit_left" })).toMatchObject({
      stream: `joint_meeting-${nancun}`,
      data: { areaId: nancun, unitId: "police", leftOn: "2027-03-01" },
    });
    // No longer a member: it can neither attend, nor pair, nor leave again.
    const session = await send(
      "POST",
      `/api/v1/joint-meetings/${nancun}/sessions`,
      { heldOn: "2027-03-02", title: "例会", attendeeUnitIds: ["police"] },
      tokens.staff,
    );
    expect(session.status).toBe(400);
    const pairing = await send(
      "POST",
      "/api/v1/co-building-pairings",
      { organisationId: ids.community, unitId: "police", startedOn: "2027-03-02" },
      tokens.staff,
    );
    expect(pairing.body.reason).toBe("NOT_A_MEMBER_UNIT");

    const rejoined = await join("police", "police_station");
    expect(rejoined.status).toBe(200);
    expect(rejoined.body.units.map((unit: { unitId: string }) => unit.unitId)).toContain("police");
    expect(rejoined.body.formerUnits.map((unit: { unitId: string }) => unit.unitId)).toEqual(["police"]);
  });

  it("records one leave of a unit when 10 requests race", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        send(
          "POST",
          `/api/v1/joint-meetings/${nancun}/units/school/departure`,
          { leftOn: "2027-03-01" },
          tokens.staff,
        ),
      ),
    );
    expect(raceOutcome(results, "NOT_A_MEMBER_UNIT")).toEqual({ won: 1, lost: 9, other: [] });
    expect(await countEvents({ type: "joint_meeting.unit_left", "data.unitId": "school" })).toBe(1);
  });

  it("never leaves a unit gone with an active pairing when its leave and a pairing race, 10 rounds", async () => {
    const unitId = "racer";
    const pairingId = `${ids.community}.${unitId}`;
    const meetingUnits = async () =>
      (await send("GET", `/api/v1/joint-meetings/${nancun}`, undefined, tokens.staff)).body.units.map(
        (unit: { unitId: string }) => unit.unitId,
      ) as string[];
    const pairingStatus = async () => {
      const pairing = await send("GET", `/api/v1/co-building-pairings/${pairingId}`, undefined, tokens.staff);
      return pairing.status === 404 ? "none" : (pairing.body.status as string);
    };
    const outcomes = { left: 0, paired: 0 };
    for (let round = 0; round < 10; round++) {
      if (!(await meetingUnits()).includes(unitId))
        expect((await join(unitId, "enterprise")).status).toBe(200);
      if ((await pairingStatus()) === "active") {
        const ended = await send(
          "POST",
          `/api/v1/co-building-pairings/${pairingId}/end`,
          { endedOn: "2027-01-01" },
          tokens.staff,
        );
        expect(ended.status).toBe(200);
      }
      const [leave, pairing] = await Promise.all([
        send(
          "POST",
          `/api/v1/joint-meetings/${nancun}/units/${unitId}/departure`,
          { leftOn: "2027-03-01" },
          tokens.staff,
        ),
        send(
          "POST",
          "/api/v1/co-building-pairings",
          { organisationId: ids.community, unitId, startedOn: "2027-01-01" },
          tokens.staff,
        ),
      ]);
      expect([200, 400, 409], JSON.stringify(leave.body)).toContain(leave.status);
      expect([201, 400, 409], JSON.stringify(pairing.body)).toContain(pairing.status);
      const gone = !(await meetingUnits()).includes(unitId);
      const active = (await pairingStatus()) === "active";
      expect({ round, gone, active }).not.toMatchObject({ gone: true, active: true });
      expect(gone).toBe(leave.status === 200);
      expect(active).toBe(pairing.status === 201);
      if (leave.status === 400) expect(leave.body.reason).toBe("UNIT_HAS_ACTIVE_PAIRINGS");
      if (pairing.status === 400)
        expect(["NOT_A_MEMBER_UNIT", "PAIRING_INTERRUPTED"]).toContain(pairing.body.reason);
      if (gone) outcomes.left++;
      if (active) outcomes.paired++;
    }
    expect(outcomes.left + outcomes.paired).toBeGreaterThan(0);
    // Every registration on the joint meeting was released, or settled by the unit's leave.
    const meeting = await db.collection("joint_meetings").findOne({ _id: nancun as never });
    const open = (meeting?.state.pairingRegistrations ?? []).filter(
      (registration: { unitId: string }) => registration.unitId === unitId,
    );
    expect(open.length).toBeLessThanOrEqual(outcomes.paired > 0 ? 1 : 0);
  });

  it("lets a unit leave past a pairing registered but never formed (a crash in between), voiding it", async () => {
    expect((await join("crashed", "enterprise")).status).toBe(200);
    const stream = `joint_meeting-${nancun}`;
    const [last] = await db.collection("events").find({ stream }).sort({ version: -1 }).limit(1).toArray();
    const pairingId = `${ids.community}.crashed`;
    // What a formation leaves behind when its process dies after registering on the joint meeting.
    await db.collection("events").insertOne({
      _id: `crashed-registration-${Date.now()}` as never,
      stream,
      version: (last?.version as number) + 1,
      type: "joint_meeting.pairing_registered",
      subject: "civic.party-building.joint_meeting.pairing_registered",
      source: last?.source,
      data: {
        areaId: nancun,
        unitId: "crashed",
        pairingId,
        registrationId: "crashed-1",
        by: "staff-nancun",
        at: new Date().toISOString(),
      },
      time: new Date(),
    });
    const left = await send(
      "POST",
      `/api/v1/joint-meetings/${nancun}/units/crashed/departure`,
      { leftOn: "2027-03-01" },
      tokens.staff,
    );
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    expect(await countEvents({ type: "pairing.registration_voided", stream: `pairing-${pairingId}` })).toBe(
      1,
    );
    expect(
      (await send("GET", `/api/v1/co-building-pairings/${pairingId}`, undefined, tokens.staff)).status,
    ).toBe(404);
  });
});
