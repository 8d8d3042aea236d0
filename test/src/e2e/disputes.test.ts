import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/domain-events.js";
import { seedGeography, testGrid } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { raceOutcome } from "../support/races.js";
import { bearer } from "../support/tokens.js";

/** A second community of Gongbei street with one grid, so the rate test counts only its own disputes. */
const otherCommunity = "440402001003";
const otherGrid = "440402001003001";

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const thisMonth = () => today().slice(0, 7);

const parties = [
  { name: "张先生 (302)", role: "applicant" },
  { name: "李女士 (402)", role: "respondent" },
];
const mediators = [
  { mediatorId: "med-chen", name: "陈楼栋长", kind: "building_head" },
  { mediatorId: "med-he", name: "何调解员", kind: "peoples_mediator" },
];

describe("dispute mediation (矛盾纠纷化解) through the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const communityStaff = bearer("cs-nancun", { roles: ["community_staff"], areas: ["440402001002"] });
  const otherCommunityStaff = bearer("cs-beiling", { roles: ["community_staff"], areas: [otherCommunity] });
  const commandCentre = bearer("cc-1", { roles: ["command_centre"] });
  const mediatorChen = bearer("med-chen", { roles: ["party_organiser"] });
  const mediatorHe = bearer("med-he", { roles: ["party_organiser"] });
  const stranger = bearer("gw-elsewhere", { roles: ["grid_worker"], areas: ["440402002001001"] });

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
    const admin = bearer("admin-1", { roles: ["platform_admin"] });
    for (const area of [
      { areaId: otherCommunity, level: "community", name: "北岭社区", gridSize: "medium" },
      {
        areaId: otherGrid,
        level: "grid",
        name: "第一网格",
        gridSize: "small",
        population: 1_200,
        households: 420,
      },
    ]) {
      expect((await api.post("/api/v1/areas", area, admin)).status).toBe(201);
    }
  });

  const fileCase = async (areaId = testGrid, categoryCode = "neighbour-dispute") => {
    const filed = await api.post(
      "/api/v1/cases",
      {
        channel: "walk_in",
        requestType: "help",
        categoryCode,
        title: "楼上漏水纠纷 Water leaking from the flat above",
        description: "302 says water from 402's bathroom leaks into the ceiling; 402 refuses to repair.",
        areaId,
        address: "Building 3",
        reporterName: "张先生",
      },
      communityStaff,
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    return filed.body.caseId as string;
  };

  const open = (caseId: string, token = communityStaff, body: Record<string, unknown> = {}) =>
    api.post("/api/v1/disputes", { caseId, parties, mediators, ...body }, token);

  const session = (caseId: string, token = mediatorChen, body: Record<string, unknown> = {}) =>
    api.post(
      `/api/v1/disputes/${caseId}/sessions`,
      {
        heldOn: today(),
        place: "南村社区调解室",
        summary: "Both parties heard; a plumber to inspect.",
        ...body,
      },
      token,
    );

  it("opens a mediation, records a session, an agreement and the follow-up visit", async () => {
    const caseId = await fileCase();
    const opened = await open(caseId);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({
      caseId,
      areaId: testGrid,
      categoryCode: "neighbour-dispute",
      status: "in_mediation",
      key: false,
      parties,
      mediators,
      sessions: [],
      openedBy: "cs-nancun",
      version: 1,
    });
    expect((await open(caseId)).status).toBe(409);

    const early = await api.post(
      `/api/v1/disputes/${caseId}/outcome`,
      { outcome: "agreement", terms: "402 repairs the pipe" },
      mediatorChen,
    );
    expect(early).toMatchObject({ status: 400, body: { reason: "NO_SESSION" } });

    const held = await session(caseId);
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect(held.body.sessions).toEqual([
      expect.objectContaining({
        sessionId: "1",
        heldOn: today(),
        place: "南村社区调解室",
        recordedBy: "med-chen",
      }),
    ]);
    const agreed = await api.post(
      `/api/v1/disputes/${caseId}/outcome`,
      {
        outcome: "agreement",
        terms: "402 repairs the pipe within 7 days and pays 800 yuan for the ceiling.",
      },
      mediatorHe,
    );
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
    expect(agreed.body).toMatchObject({
      status: "agreed",
      outcome: { outcome: "agreement", recordedBy: "med-he", reason: "" },
    });
    expect((await session(caseId)).body.reason).toBe("DISPUTE_CLOSED");

    const visited = await api.post(
      `/api/v1/disputes/${caseId}/follow-up`,
      { visitedOn: today(), agreementKept: true, note: "Pipe repaired, ceiling painted." },
      communityStaff,
    );
    expect(visited.status, JSON.stringify(visited.body)).toBe(200);
    expect(visited.body.followUp).toMatchObject({ agreementKept: true, visitedBy: "cs-nancun" });
    expect(
      (await api.post(`/api/v1/disputes/${caseId}/follow-up`, { visitedOn: today() }, communityStaff)).body
        .reason,
    ).toBe("ALREADY_FOLLOWED_UP");

    const read = await api.get(`/api/v1/disputes/${caseId}`, mediatorChen);
    expect(read).toMatchObject({ status: 200, body: { status: "agreed", version: 4 } });
  });

  it("records a failure referred to a court", async () => {
    const caseId = await fileCase();
    expect((await open(caseId, commandCentre)).status).toBe(201);
    expect((await session(caseId, mediatorHe)).status).toBe(200);
    const failed = await api.post(
      `/api/v1/disputes/${caseId}/outcome`,
      {
        outcome: "failure",
        reason: "The respondent refuses any repair.",
        referral: { body: "court", name: "香洲区人民法院" },
      },
      communityStaff,
    );
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(failed.body).toMatchObject({
      status: "failed",
      outcome: { outcome: "failure", terms: "", referral: { body: "court", name: "香洲区人民法院" } },
    });
    const followUp = await api.post(
      `/api/v1/disputes/${caseId}/follow-up`,
      { visitedOn: today() },
      communityStaff,
    );
    expect(followUp.body.reason).toBe("NO_AGREEMENT");
  });

  it("refuses bad input naming the fields, a case that is no dispute, and callers without the role, storing nothing", async () => {
    const caseId = await fileCase();
    const bad = await open(caseId, communityStaff, {
      parties: [{ name: "", role: "neighbour" }],
      mediators: [{ mediatorId: "m1", name: "Wu", kind: "judge" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain("application/problem+json");
    const fields = JSON.stringify(bad.body);
    for (const field of ["parties", "parties[0].name", "parties[0].role", "mediators[0].kind"]) {
      expect(fields).toContain(`"${field}"`);
    }
    expect((await open(caseId, stranger)).status).toBe(403);
    expect((await open(caseId, mediatorChen)).status).toBe(403);
    expect((await api.get(`/api/v1/disputes/${caseId}`, commandCentre)).status).toBe(404);

    const notADispute = await open(await fileCase(testGrid, "manhole-cover-missing"));
    expect(notADispute).toMatchObject({ status: 400, body: { reason: "NOT_A_DISPUTE" } });
    expect((await open("0197a3b2-0000-7000-8000-000000000000")).status).toBe(404);

    expect((await open(caseId)).status).toBe(201);
    const badSession = await session(caseId, mediatorChen, { heldOn: "2099-01-01", place: "" });
    expect(badSession.status).toBe(400);
    expect(JSON.stringify(badSession.body)).toContain('"place"');
    expect(JSON.stringify(badSession.body)).toContain('"heldOn"');
    expect((await session(caseId, stranger)).status).toBe(403);
    const badOutcome = await api.post(
      `/api/v1/disputes/${caseId}/outcome`,
      { outcome: "failure", terms: "x", referral: { body: "police" } },
      mediatorChen,
    );
    expect(badOutcome.status).toBe(400);
    for (const field of ["reason", "terms", "referral.body"]) {
      expect(JSON.stringify(badOutcome.body)).toContain(`"${field}"`);
    }
    expect((await api.get(`/api/v1/disputes/${caseId}`, stranger)).status).toBe(403);
    const unchanged = await api.get(`/api/v1/disputes/${caseId}`, mediatorChen);
    expect(unchanged.body).toMatchObject({ status: "in_mediation", sessions: [], version: 1 });
  });

  it("of two mediators recording an outcome at once, exactly one wins and the other gets 409", async () => {
    for (let round = 0; round < 3; round++) {
      const caseId = await fileCase();
      expect((await open(caseId)).status).toBe(201);
      expect((await session(caseId)).status).toBe(200);
      const answers = await Promise.all([
        api.post(
          `/api/v1/disputes/${caseId}/outcome`,
          { outcome: "agreement", terms: "Chen's terms" },
          mediatorChen,
        ),
        api.post(
          `/api/v1/disputes/${caseId}/outcome`,
          { outcome: "failure", reason: "He saw none" },
          mediatorHe,
        ),
        api.post(
          `/api/v1/disputes/${caseId}/outcome`,
          { outcome: "agreement", terms: "Staff's terms" },
          communityStaff,
        ),
      ]);
      const outcome = raceOutcome(answers, "DISPUTE_CLOSED");
      expect(outcome, JSON.stringify(answers)).toMatchObject({ won: 1, lost: 2, other: [] });
      expect(answers.some((answer) => answer.status === 409)).toBe(true);
      const final = await api.get(`/api/v1/disputes/${caseId}`, commandCentre);
      expect(final.body.version).toBe(3);
    }
  });

  it("reports the mediation rate per area and period: 25 closed, 24 agreements = 96%", async () => {
    const year = thisMonth().slice(0, 4);
    const rate = (area: string, period: string, token = commandCentre) =>
      api.get(`/api/v1/areas/${area}/mediation-rate/${period}`, token);
    // The tests before closed five disputes in Nancun (the race's winners agreed or failed).
    const before = await eventually(
      async () => (await rate("440402001", year)).body,
      (body) => body.closed === 5,
    );
    expect(before).toMatchObject({ closed: 5, referred: 1 });

    const fileAndClose = async (index: number) => {
      const caseId = await fileCase(otherGrid);
      const opened = await open(caseId, otherCommunityStaff, { key: true });
      expect(opened).toMatchObject({ status: 201, body: { key: true } });
      expect((await session(caseId, otherCommunityStaff)).status).toBe(200);
      const body =
        index === 0
          ? {
              outcome: "failure",
              reason: "Parties would not meet.",
              referral: { body: "peoples_mediation_committee" },
            }
          : { outcome: "agreement", terms: `Agreement ${index}` };
      const closed = await api.post(`/api/v1/disputes/${caseId}/outcome`, body, otherCommunityStaff);
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    };
    for (let index = 0; index < 25; index++) await fileAndClose(index);
    // One still in mediation counts nowhere.
    expect((await open(await fileCase(otherGrid), otherCommunityStaff)).status).toBe(201);

    const community = await eventually(
      async () => (await rate(otherCommunity, thisMonth())).body,
      (body) => body.closed === 25,
    );
    expect(community).toEqual({
      areaId: otherCommunity,
      period: thisMonth(),
      closed: 25,
      agreements: 24,
      failures: 1,
      referred: 1,
      mediationRate: 96,
      keyClosed: 25,
      keyAgreements: 24,
      keyMediationRate: 96,
    });
    const street = await eventually(
      async () => (await rate("440402001", year)).body,
      (body) => body.closed === 30,
    );
    const agreements = before.agreements + 24;
    expect(street).toMatchObject({
      closed: 30,
      agreements,
      failures: 30 - agreements,
      referred: 2,
      mediationRate: Math.round((agreements / 30) * 10_000) / 100,
      // Only the other community's disputes were key: the seeds' figure (重点矛盾纠纷化解率).
      keyClosed: 25,
      keyMediationRate: 96,
    });
    for (const area of ["440402", "440400"]) {
      expect((await rate(area, year)).body).toMatchObject({ closed: 30, agreements });
    }
    expect((await rate(otherGrid, thisMonth())).body).toMatchObject({ closed: 25, mediationRate: 96 });
    expect((await rate(otherCommunity, "2020-01")).body).toEqual({
      areaId: otherCommunity,
      period: "2020-01",
      closed: 0,
      agreements: 0,
      failures: 0,
      referred: 0,
      keyClosed: 0,
      keyAgreements: 0,
    });

    expect((await rate(otherCommunity, thisMonth(), otherCommunityStaff)).status).toBe(200);
    expect((await rate("440402001002", thisMonth(), otherCommunityStaff)).status).toBe(403);
    expect((await rate(otherCommunity, thisMonth(), mediatorChen)).status).toBe(403);
    const bad = await rate("12ab", "2026-13");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"areaId"');
    expect(JSON.stringify(bad.body)).toContain('"period"');
  });

  it("lists an area's mediations by page, of one status or all, for its staff", async () => {
    const first = await api.get("/api/v1/disputes?areaId=440402001002&pageSize=4", communityStaff);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.disputes).toHaveLength(4);
    const second = await api.get(
      `/api/v1/disputes?areaId=440402001002&pageSize=4&pageToken=${first.body.nextPageToken}`,
      communityStaff,
    );
    expect(second.body.disputes).toHaveLength(2);
    expect(second.body.nextPageToken).toBeUndefined();
    const ids = [...first.body.disputes, ...second.body.disputes].map((dispute) => dispute.caseId);
    expect(new Set(ids).size).toBe(6);
    const open = await api.get("/api/v1/disputes?areaId=440402001002&status=in_mediation", communityStaff);
    expect(open.body.disputes.map((dispute: { status: string }) => dispute.status)).toEqual(["in_mediation"]);
    expect((await api.get("/api/v1/disputes?areaId=440402001", commandCentre)).body.disputes).toHaveLength(
      32,
    );
    expect((await api.get("/api/v1/disputes?areaId=440402001002", otherCommunityStaff)).status).toBe(403);
    const bad = await api.get("/api/v1/disputes?areaId=x&status=settled", communityStaff);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"areaId"');
    expect(JSON.stringify(bad.body)).toContain('"status"');
  });

  it("opens a mediation from a patrol's dispute-screening finding in one step", async () => {
    const admin = bearer("admin-1", { roles: ["platform_admin"] });
    await api.post(
      `/api/v1/areas/${testGrid}/staff`,
      { personId: "gw-wang", name: "王网格员", role: "worker" },
      admin,
    );
    const gridWorker = bearer("gw-wang", { roles: ["grid_worker"], areas: [testGrid] });
    await api.put(
      `/api/v1/areas/${testGrid}/patrol-plan`,
      { frequencies: [{ subject: "dispute_screening", perMonth: 4 }] },
      communityStaff,
    );
    const patrol = await api.post(
      "/api/v1/patrols",
      {
        gridId: testGrid,
        subjects: ["dispute_screening"],
        patrolledAt: new Date(Date.now() - 60_000).toISOString(),
        findings: [
          {
            subject: "dispute_screening",
            categoryCode: "neighbour-dispute",
            description: "Two neighbours quarrel over a parking space in front of building 5.",
            address: "Building 5",
          },
        ],
      },
      gridWorker,
    );
    expect(patrol.status, JSON.stringify(patrol.body)).toBe(201);
    const path = `/api/v1/patrols/${patrol.body.patrolId}/findings/1/dispute`;
    const opened = await api.post(path, { parties, mediators }, gridWorker);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ areaId: testGrid, status: "in_mediation", openedBy: "gw-wang" });
    const theCase = await api.get(`/api/v1/cases/${opened.body.caseId}`, communityStaff);
    expect(theCase.body).toMatchObject({ channel: "grid_patrol", categoryCode: "neighbour-dispute" });
    expect(
      (await api.get(`/api/v1/patrols/${patrol.body.patrolId}`, gridWorker)).body.findings[0].caseId,
    ).toBe(opened.body.caseId);
    expect((await api.post(path, { parties, mediators }, gridWorker)).status).toBe(409);
  });
});
