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
const area = (areaId: string, level: string, name: string, parentId: string): PublishedArea => ({
  areaId,
  level,
  name,
  parentId,
  population: 5_000,
  households: 1_700,
});
const gongbeiAreas = [
  area("440402001", "street", "拱北街道", "440402"),
  area(nancun, "community", "南村社区", "440402001"),
  area(`${nancun}003`, "grid", "第三网格", nancun),
  area(shanchang, "community", "山场社区", "440402001"),
];

const owner = (personId: string, post: string, extra: Record<string, unknown> = {}) => ({
  personId,
  name: `业主${personId}`,
  post,
  ...extra,
});
const term = { termStart: "2026-01-01", termEnd: "2030-12-31" };

describe("red owners' committees: compounds, committees, branches, cross-appointments, coverage", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startPartyBuildingPlatform(mongoUri, natsUrl, gongbeiAreas),
  );
  let mongo: MongoClient;
  let db: Db;
  const send = gatewayClient(() => platform().gatewayUrl);
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const eventsOf = (compoundId: string) =>
    db.collection("events").countDocuments({ stream: `compound-${compoundId}` });

  const found = async (body: Record<string, unknown>) => {
    const response = await send("POST", "/api/v1/party-organisations", body, tokens.organiser);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.organisationId as string;
  };
  const register = async (compoundId: string, communityAreaId = nancun, token = tokens.staff) =>
    send(
      "POST",
      "/api/v1/residential-compounds",
      { compoundId, name: `${compoundId}花园`, communityAreaId, households: 600 },
      token,
    );
  const form = (compoundId: string, members: unknown[]) =>
    send(
      "POST",
      `/api/v1/residential-compounds/${compoundId}/owners-committee`,
      { ...term, members },
      tokens.staff,
    );
  const cover = (compoundId: string, body: Record<string, unknown>) =>
    send("POST", `/api/v1/residential-compounds/${compoundId}/party-branch`, body, tokens.staff);
  const coverage = async (areaId: string) =>
    (await send("GET", `/api/v1/red-owners-committee-coverage?areaId=${areaId}`, undefined, tokens.organiser))
      .body;

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    tokens.organiser = bearer("po-1", { roles: ["party_organiser"], areas: ["440402"] });
    tokens.staff = bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] });
    tokens.otherStaff = bearer("staff-shanchang", { roles: ["community_staff"], areas: [shanchang] });
    tokens.resident = bearer("resident-1", { roles: ["resident"], areas: [nancun] });
    Object.assign(ids, await foundNancunCommittee(found));
    ids.branch = await found({
      level: "branch",
      branchKind: "owners_committee",
      name: "翠景花园业委会党支部",
      parentId: ids.community,
      areaId: `${nancun}003`,
    });
    ids.shanchangCommittee = await found({
      level: "community_committee",
      name: "山场社区党委",
      parentId: ids.street,
      areaId: shanchang,
    });
    ids.shanchangBranch = await found({
      level: "branch",
      branchKind: "building",
      name: "山场1栋党支部",
      parentId: ids.shanchangCommittee,
      areaId: shanchang,
    });
    for (const [memberId, organisationId] of [
      ["m-secretary", ids.branch],
      ["m-branch", ids.branch],
      ["m-shanchang", ids.shanchangBranch],
    ]) {
      const admitted = await send(
        "POST",
        "/api/v1/party-members",
        { memberId, name: memberId, standing: "formal", organisationId },
        tokens.organiser,
      );
      expect(admitted.status, JSON.stringify(admitted.body)).toBe(201);
    }
  });
  afterAll(() => mongo?.close());

  it("registers compounds only in known communities, for staff of that community", async () => {
    const bad = await send(
      "POST",
      "/api/v1/residential-compounds",
      { compoundId: "bad compound", name: "", communityAreaId: "4404", households: 0 },
      tokens.staff,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual([
      "compoundId",
      "name",
      "communityAreaId",
      "households",
    ]);
    // A grid is not a community, and 440402001005 is not in grid-cases' tree at all.
    const grid = await send(
      "POST",
      "/api/v1/residential-compounds",
      { compoundId: "in-grid", name: "网格小区", communityAreaId: `${nancun}003`, households: 10 },
      tokens.organiser,
    );
    expect(grid.status).toBe(400);
    const unknown = await register("unknown-community", "440402001005", tokens.organiser);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: "communityAreaId", detail: "is not a community of grid-cases' area tree" },
    ]);
    expect(await eventsOf("unknown-community")).toBe(0);

    expect((await register("cuijing", nancun, tokens.otherStaff)).status).toBe(403);
    expect((await register("cuijing", nancun, tokens.resident)).status).toBe(403);
    const registered = await register("cuijing");
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body).toMatchObject({
      compoundId: "cuijing",
      communityAreaId: nancun,
      households: 600,
      redCommittee: false,
      version: 1,
    });
    // No branch and no committee yet: absent, as proto3 JSON leaves unset messages.
    expect(registered.body).not.toHaveProperty("partyBranch");
    expect(registered.body).not.toHaveProperty("ownersCommittee");
    expect((await register("cuijing")).status).toBe(409);
    const first = await db.collection("events").findOne({ stream: "compound-cuijing", version: 1 });
    // The community as areaId: the gateway's event stream shows the event to its staff.
    expect(first).toMatchObject({
      type: "compound.registered",
      data: { compoundId: "cuijing", areaId: nancun },
    });
    expect(
      (await send("GET", "/api/v1/residential-compounds/cuijing", undefined, tokens.otherStaff)).status,
    ).toBe(403);
    expect((await send("GET", "/api/v1/residential-compounds/nowhere", undefined, tokens.staff)).status).toBe(
      404,
    );
  });

  it("forms one owners' committee, derives cross-appointments and 一肩挑 once the branch is named", async () => {
    const twice = await form("cuijing", [
      owner("p1", "director"),
      owner("p1", "member"),
      owner("p2", "chair"),
    ]);
    expect(twice.status).toBe(400);
    expect(twice.body.errors.map((error: { field: string }) => error.field)).toEqual([
      "members[1].personId",
      "members[2].post",
    ]);
    const unknownMember = await form("cuijing", [owner("p1", "director", { partyMemberId: "m-nobody" })]);
    expect(unknownMember.status).toBe(404);
    expect(await eventsOf("cuijing")).toBe(1);

    const formed = await form("cuijing", [
      owner("p1", "director", { partyMemberId: "m-secretary" }),
      owner("p2", "deputy_director", { alsoServesOn: ["residents_committee"] }),
      owner("p3", "member", { partyMemberId: "m-branch" }),
    ]);
    expect(formed.status, JSON.stringify(formed.body)).toBe(200);
    expect(formed.body.ownersCommittee).toMatchObject({ committeeId: "cuijing-1", oneShoulder: false });
    const crossed = (body: {
      ownersCommittee: { members: { personId: string; crossAppointed: boolean }[] };
    }) =>
      body.ownersCommittee.members.filter((member) => member.crossAppointed).map((member) => member.personId);
    expect(crossed(formed.body)).toEqual(["p2"]);
    expect((await form("cuijing", [owner("p9", "member")])).body.reason).toBe("OWNERS_COMMITTEE_SERVING");

    // The branch of another community, a community committee, and a secretary of another branch.
    expect((await cover("cuijing", { organisationId: ids.shanchangBranch })).body.reason).toBe(
      "BRANCH_OUTSIDE_COMMUNITY",
    );
    expect((await cover("cuijing", { organisationId: ids.community })).body.reason).toBe("NOT_A_BRANCH");
    expect(
      (await cover("cuijing", { organisationId: ids.branch, secretaryMemberId: "m-shanchang" })).body.reason,
    ).toBe("SECRETARY_NOT_IN_BRANCH");
    expect((await cover("cuijing", { organisationId: "no-such-branch" })).status).toBe(404);
    expect(await eventsOf("cuijing")).toBe(2);

    const covered = await cover("cuijing", { organisationId: ids.branch, secretaryMemberId: "m-secretary" });
    expect(covered.status, JSON.stringify(covered.body)).toBe(200);
    expect(covered.body).toMatchObject({
      partyBranch: { organisationId: ids.branch, secretaryMemberId: "m-secretary" },
      redCommittee: true,
      ownersCommittee: { oneShoulder: true },
    });
    expect(crossed(covered.body)).toEqual(["p1", "p2", "p3"]);
  });

  it("seats a person once on a committee, also when 10 requests race", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        send(
          "POST",
          "/api/v1/residential-compounds/cuijing/owners-committee/members",
          owner("p4", "member", { alsoServesOn: ["community_party_committee"] }),
          tokens.staff,
        ),
      ),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    expect(
      results
        .filter((result) => result.status === 409)
        .every((r) => r.body.reason === "ALREADY_ON_COMMITTEE"),
    ).toBe(true);
    const compound = (await send("GET", "/api/v1/residential-compounds/cuijing", undefined, tokens.staff))
      .body;
    expect(compound.ownersCommittee.members.map((member: { personId: string }) => member.personId)).toEqual([
      "p1",
      "p2",
      "p3",
      "p4",
    ]);
  });

  it("lets one of 10 concurrent formations win for a compound", async () => {
    expect((await register("haibin")).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => form("haibin", [owner(`director-${index}`, "director")])),
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(
      await db
        .collection("events")
        .countDocuments({ stream: "compound-haibin", type: "owners_committee.formed" }),
    ).toBe(1);
  });

  it("reports 100% red-committee coverage, and less when a committee has no branch", async () => {
    expect((await cover("haibin", { organisationId: ids.branch })).status).toBe(200);
    expect(await coverage(nancun)).toEqual({
      areaId: nancun,
      compounds: 2,
      withOwnersCommittee: 2,
      withPartyBranch: 2,
      redCommittees: 2,
      ownersCommitteeRate: 100,
      partyBranchRate: 100,
      redCommitteeCoverage: 100,
      crossAppointedMembers: 4,
      oneShoulderCommittees: 1,
      committeesWithoutDirector: 0,
      committeesPastTerm: 0,
    });

    expect((await register("yuehai")).status).toBe(201);
    expect((await form("yuehai", [owner("y1", "director")])).status).toBe(200);
    expect((await register("no-committee")).status).toBe(201);
    expect(await coverage("440402001")).toMatchObject({
      compounds: 4,
      withOwnersCommittee: 3,
      withPartyBranch: 2,
      redCommittees: 2,
      ownersCommitteeRate: 75,
      partyBranchRate: 50,
      redCommitteeCoverage: 66.7,
    });
    const empty = await coverage(shanchang);
    expect(empty).toMatchObject({ compounds: 0 });
    expect(empty).not.toHaveProperty("redCommitteeCoverage");
    expect(
      (
        await send(
          "GET",
          `/api/v1/red-owners-committee-coverage?areaId=${nancun}`,
          undefined,
          tokens.otherStaff,
        )
      ).status,
    ).toBe(403);
    expect(
      (await send("GET", "/api/v1/red-owners-committee-coverage?areaId=44", undefined, tokens.organiser))
        .status,
    ).toBe(400);
    const listed = await send(
      "GET",
      `/api/v1/residential-compounds?areaId=${nancun}&pageSize=2`,
      undefined,
      tokens.staff,
    );
    expect(listed.body.compounds.map((compound: { compoundId: string }) => compound.compoundId)).toEqual([
      "cuijing",
      "haibin",
    ]);
    const next = await send(
      "GET",
      `/api/v1/residential-compounds?areaId=${nancun}&pageSize=2&pageToken=${listed.body.nextPageToken}`,
      undefined,
      tokens.staff,
    );
    expect(next.body.compounds.map((compound: { compoundId: string }) => compound.compoundId)).toEqual([
      "no-committee",
      "yuehai",
    ]);
  });

  it("dissolves a committee so the next one can form", async () => {
    const dissolved = await send(
      "POST",
      "/api/v1/residential-compounds/yuehai/owners-committee/dissolution",
      { endedOn: "2026-11-30", reason: "换届" },
      tokens.staff,
    );
    expect(dissolved.status, JSON.stringify(dissolved.body)).toBe(200);
    expect(dissolved.body).not.toHaveProperty("ownersCommittee");
    expect(dissolved.body).toMatchObject({
      formerCommittees: [{ committeeId: "yuehai-1", endedOn: "2026-11-30", reason: "换届" }],
    });
    const next = await form("yuehai", [owner("y2", "director")]);
    expect(next.body.ownersCommittee.committeeId).toBe("yuehai-2");
  });

  it("records a member leaving: the flags and coverage follow, someone not on it is refused", async () => {
    const departure = (personId: string, body: Record<string, unknown>, token = tokens.staff) =>
      send(
        "POST",
        `/api/v1/residential-compounds/cuijing/owners-committee/members/${personId}/departure`,
        body,
        token,
      );
    const before = await eventsOf("cuijing");
    const bad = await departure("p1", { kind: "fired", leftOn: "2026-6-1" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(["kind", "leftOn"]);
    const early = await departure("p1", { kind: "resigned", leftOn: "2025-12-31" });
    expect(early.body.errors).toEqual([{ field: "leftOn", detail: "must not be before the term starts" }]);
    const stranger = await departure("p9", { kind: "removed", leftOn: "2026-06-01" });
    expect(stranger.status).toBe(400);
    expect(stranger.body.reason).toBe("NOT_ON_COMMITTEE");
    expect(
      (await departure("p1", { kind: "resigned", leftOn: "2026-06-01" }, tokens.otherStaff)).status,
    ).toBe(403);
    expect(
      (
        await send(
          "POST",
          "/api/v1/residential-compounds/nowhere/owners-committee/members/p1/departure",
          { kind: "resigned", leftOn: "2026-06-01" },
          tokens.staff,
        )
      ).status,
    ).toBe(404);
    expect(await eventsOf("cuijing")).toBe(before);

    const resigned = await departure("p1", { kind: "resigned", leftOn: "2026-06-01", reason: "搬离小区" });
    expect(resigned.status, JSON.stringify(resigned.body)).toBe(200);
    expect(
      resigned.body.ownersCommittee.members.map((member: { personId: string }) => member.personId),
    ).toEqual(["p2", "p3", "p4"]);
    expect(resigned.body.ownersCommittee).toMatchObject({
      oneShoulder: false,
      formerMembers: [
        { personId: "p1", post: "director", kind: "resigned", leftOn: "2026-06-01", reason: "搬离小区" },
      ],
    });
    expect(resigned.body.redCommittee).toBe(true);
    expect(
      await db
        .collection("events")
        .findOne({ stream: "compound-cuijing", type: "owners_committee.member_left" }),
    ).toMatchObject({ data: { personId: "p1", kind: "resigned", leftOn: "2026-06-01" } });
    expect(await coverage(nancun)).toMatchObject({
      crossAppointedMembers: 3,
      oneShoulderCommittees: 0,
      committeesWithoutDirector: 1,
      redCommittees: 2,
    });

    // Of 10 concurrent removals of the same person, one is recorded.
    const removals = await Promise.all(
      Array.from({ length: 10 }, () => departure("p3", { kind: "removed", leftOn: "2026-07-01" })),
    );
    expect(raceOutcome(removals, "NOT_ON_COMMITTEE")).toEqual({ won: 1, lost: 9, other: [] });
    expect(
      await db
        .collection("events")
        .countDocuments({ stream: "compound-cuijing", type: "owners_committee.member_left" }),
    ).toBe(2);
    expect((await coverage(nancun)).crossAppointedMembers).toBe(2);
  });

  it("shows a committee past its term as expired and counts it separately in coverage", async () => {
    expect((await register("jinxiu")).status).toBe(201);
    const reversed = await send(
      "POST",
      "/api/v1/residential-compounds/jinxiu/owners-committee",
      { termStart: "2025-12-31", termEnd: "2021-01-01", members: [owner("j1", "director")] },
      tokens.staff,
    );
    expect(reversed.body.errors).toEqual([{ field: "termEnd", detail: "must be after termStart" }]);
    expect(await eventsOf("jinxiu")).toBe(1);
    const formed = await send(
      "POST",
      "/api/v1/residential-compounds/jinxiu/owners-committee",
      { termStart: "2021-01-01", termEnd: "2025-12-31", members: [owner("j1", "director")] },
      tokens.staff,
    );
    expect(formed.status, JSON.stringify(formed.body)).toBe(200);
    expect(formed.body.ownersCommittee).toMatchObject({ termEnd: "2025-12-31", termExpired: true });
    const read = await send("GET", "/api/v1/residential-compounds/jinxiu", undefined, tokens.staff);
    expect(read.body.ownersCommittee.termExpired).toBe(true);
    expect(
      (await send("GET", "/api/v1/residential-compounds/jinxiu", undefined, tokens.otherStaff)).status,
    ).toBe(403);
    const listed = await send(
      "GET",
      `/api/v1/residential-compounds?areaId=${nancun}`,
      undefined,
      tokens.staff,
    );
    const expired = Object.fromEntries(
      listed.body.compounds
        .filter((compound: { ownersCommittee: unknown }) => compound.ownersCommittee)
        .map((compound: { compoundId: string; ownersCommittee: { termExpired: boolean } }) => [
          compound.compoundId,
          compound.ownersCommittee.termExpired,
        ]),
    );
    expect(expired).toEqual({ cuijing: false, haibin: false, jinxiu: true, yuehai: false });
    expect(await coverage(nancun)).toMatchObject({ withOwnersCommittee: 4, committeesPastTerm: 1 });
    expect((await coverage("440402001")).committeesPastTerm).toBe(1);
    expect((await coverage(shanchang)).committeesPastTerm).toBe(0);
  });
});
