import { beforeAll, describe, expect, it } from "vitest";
import { openEventStream } from "../support/event-stream-client.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import { startWholePlatform } from "../support/whole-platform.js";

// Gongbei street: Nancun (two buildings of 3 and 2 households) and Yuehai (one of 4); and a
// community of another street.
const street = "440402001";
const nancun = "440402001002";
const yuehai = "440402001003";
const otherStreetCommunity = "440402002001";
const nancunBuildings = { a: "440402001002001001", b: "440402001002001002" };
const yuehaiBuilding = "440402001003001001";

describe("emergency notices: one broadcast, one check-in per household, live counts, who has not answered", () => {
  const platform = platformForTheseTests(startWholePlatform);
  const http = httpClient(() => platform().gatewayUrl);
  const tokens = {
    street: bearer("street-1", { roles: ["street_staff"], areas: [street] }),
    command: bearer("cc-1", { roles: ["command_centre"] }),
    nancunStaff: bearer("nancun-staff", { roles: ["community_staff"], areas: [nancun] }),
    otherStreet: bearer("street-2", { roles: ["street_staff"], areas: ["440402002"] }),
    residentA: bearer("resident-a", { roles: ["resident"], areas: [nancunBuildings.a] }),
    residentYuehai: bearer("resident-y", { roles: ["resident"], areas: [yuehaiBuilding] }),
  };
  const fieldsOf = (body: { errors?: { field: string }[] }) =>
    (body.errors ?? []).map((error) => error.field).sort();

  const broadcast = (body: unknown, token = tokens.street) =>
    http.post("/api/v1/emergency-notices", body, token);
  const checkIn = (noticeId: string, body: unknown, token: string) =>
    http.post(`/api/v1/emergency-notices/${noticeId}/check-ins`, body, token);

  beforeAll(async () => {
    const admin = bearer("admin-1", { roles: ["platform_admin"] });
    const areas = [
      { areaId: "440400", level: "city", name: "珠海市" },
      { areaId: "440402", level: "district", name: "香洲区" },
      { areaId: street, level: "street", name: "拱北街道", gridSize: "big" },
      { areaId: "440402002", level: "street", name: "吉大街道", gridSize: "big" },
      { areaId: nancun, level: "community", name: "南村社区", gridSize: "medium" },
      { areaId: yuehai, level: "community", name: "粤海社区", gridSize: "medium" },
      { areaId: otherStreetCommunity, level: "community", name: "园林社区", gridSize: "medium" },
      { areaId: "440402001002001", level: "grid", name: "南村第一网格", gridSize: "small" },
      { areaId: "440402001003001", level: "grid", name: "粤海第一网格", gridSize: "small" },
      { areaId: nancunBuildings.a, level: "building", name: "南村1栋", households: 3 },
      { areaId: nancunBuildings.b, level: "building", name: "南村2栋", households: 2 },
      { areaId: yuehaiBuilding, level: "building", name: "粤海1栋", households: 4 },
    ];
    for (const area of areas) {
      const answer = await http.post("/api/v1/areas", { population: 0, households: 0, ...area }, admin);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
  });

  it("broadcasts to chosen communities in one call, with each community's households", async () => {
    const answer = await broadcast({
      title: "台风“摩羯”红色预警",
      message: "请留在室内，报平安或求助。",
      communityIds: [nancun, yuehai],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const noticeId = answer.body.noticeId;
    expect(answer.body.communities).toEqual([
      { communityId: nancun, households: 5, answered: 0, safe: 0, needHelp: 0, unanswered: 5 },
      { communityId: yuehai, households: 4, answered: 0, safe: 0, needHelp: 0, unanswered: 4 },
    ]);
    const read = await http.get(`/api/v1/emergency-notices/${noticeId}`, tokens.nancunStaff);
    expect(read.status).toBe(200);
    // Community staff see their own community's counts only.
    expect(read.body.communities.map((c: { communityId: string }) => c.communityId)).toEqual([nancun]);
  });

  it("refuses bad broadcasts with field errors and wrong callers with 403, storing nothing", async () => {
    const before = await platform().storedDocuments({ settled: true });
    const bad = await broadcast({ title: "", message: "x", communityIds: ["4404", nancun, nancun] });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain("application/problem+json");
    expect(fieldsOf(bad.body)).toEqual(["communityIds", "communityIds[0]", "title"]);
    const unknown = await broadcast({ title: "t", message: "m", communityIds: ["440402001009"] });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(["communityIds[0]"]);
    const notice = { title: "t", message: "m", communityIds: [nancun, otherStreetCommunity] };
    expect((await broadcast(notice)).status).toBe(403);
    expect((await broadcast(notice, tokens.nancunStaff)).status).toBe(403);
    expect((await broadcast(notice, tokens.residentA)).status).toBe(403);
    expect(await platform().storedDocuments({ settled: true })).toEqual(before);
  });

  it("counts one check-in per household when many race, and every household of a burst once", async () => {
    const { body } = await broadcast({ title: "燃气泄漏", message: "请报平安", communityIds: [nancun] });
    const noticeId = body.noticeId;
    const household = `${nancunBuildings.a}-1`;
    const same = await Promise.all(
      Array.from({ length: 12 }, () =>
        checkIn(noticeId, { householdId: household, answer: "safe" }, tokens.residentA),
      ),
    );
    expect(same.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(same.filter((answer) => answer.status === 409)).toHaveLength(11);
    const staffAnswers = await Promise.all(
      [`${nancunBuildings.a}-2`, `${nancunBuildings.a}-3`, `${nancunBuildings.b}-1`].map(
        (householdId, index) =>
          checkIn(
            noticeId,
            {
              householdId,
              answer: index === 0 ? "need_help" : "safe",
              note: index === 0 ? "老人行动不便" : "",
            },
            tokens.nancunStaff,
          ),
      ),
    );
    expect(staffAnswers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    const read = await http.get(`/api/v1/emergency-notices/${noticeId}`, tokens.street);
    expect(read.body.communities).toEqual([
      { communityId: nancun, households: 5, answered: 4, safe: 3, needHelp: 1, unanswered: 1 },
    ]);
    const unanswered = await http.get(
      `/api/v1/emergency-notices/${noticeId}/communities/${nancun}/unanswered`,
      tokens.nancunStaff,
    );
    expect(unanswered.body).toEqual({ householdIds: [`${nancunBuildings.b}-2`] });
  });

  it("shows live counts per community on the event stream", async () => {
    const { body } = await broadcast({
      title: "停水通知",
      message: "请报平安",
      communityIds: [nancun, yuehai],
    });
    const noticeId = body.noticeId;
    const stream = await openEventStream(
      `${platform().gatewayUrl}/api/v1/event-stream?types=grid-cases.emergency_notice`,
      tokens.nancunStaff,
    );
    try {
      expect(stream.response.status).toBe(200);
      const answers = await Promise.all(
        [`${nancunBuildings.a}-1`, `${nancunBuildings.b}-1`, `${nancunBuildings.b}-2`].map((householdId) =>
          checkIn(noticeId, { householdId, answer: "safe" }, tokens.nancunStaff),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
      // Yuehai's check-in is not shown to Nancun's staff.
      expect(
        (
          await checkIn(
            noticeId,
            { householdId: `${yuehaiBuilding}-4`, answer: "safe" },
            tokens.residentYuehai,
          )
        ).status,
      ).toBe(201);
      const deadline = Date.now() + 15_000;
      const checkedIn = () =>
        stream.received.filter(
          (event) =>
            event.event.endsWith("emergency_notice.checked_in") && event.data.data.noticeId === noticeId,
        );
      while (checkedIn().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const counts = checkedIn().map((event) => event.data.data.counts as { answered: number });
      expect(counts.map((c) => c.answered).sort()).toEqual([1, 2, 3]);
      expect(checkedIn().every((event) => event.data.areaId === nancun)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(checkedIn()).toHaveLength(3);
    } finally {
      await stream.close();
    }
  });

  it("refuses bad check-ins with field errors, households of no notice community, and wrong callers", async () => {
    const { body } = await broadcast({ title: "演练", message: "请报平安", communityIds: [nancun] });
    const noticeId = body.noticeId;
    const before = await platform().storedDocuments({ settled: true });
    const bad = await checkIn(noticeId, { householdId: "101", note: "说".repeat(501) }, tokens.residentA);
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(["answer", "householdId", "note"]);
    // An unknown answer, a household beyond the building's, a building the notice did not reach.
    const refusedFields: [checkIn: Record<string, unknown>, authorization: string, fields: string[]][] = [
      [{ householdId: `${nancunBuildings.a}-1`, answer: "unsure" }, tokens.residentA, ["answer"]],
      [{ householdId: `${nancunBuildings.a}-4`, answer: "safe" }, tokens.residentA, ["householdId"]],
      [{ householdId: `${yuehaiBuilding}-1`, answer: "safe" }, tokens.residentYuehai, ["householdId"]],
    ];
    for (const [body, authorization, fields] of refusedFields) {
      const refused = await checkIn(noticeId, body, authorization);
      expect(fieldsOf(refused.body), JSON.stringify(body)).toEqual(fields);
    }
    const otherBuilding = await checkIn(
      noticeId,
      { householdId: `${nancunBuildings.b}-1`, answer: "safe" },
      tokens.residentA,
    );
    expect(otherBuilding.status).toBe(403);
    expect(
      (await checkIn(noticeId, { householdId: `${nancunBuildings.b}-1`, answer: "safe" }, tokens.otherStreet))
        .status,
    ).toBe(403);
    const unanswered = `/api/v1/emergency-notices/${noticeId}/communities/${nancun}/unanswered`;
    expect((await http.get(unanswered, tokens.residentA)).status).toBe(403);
    expect((await http.get(unanswered, tokens.otherStreet)).status).toBe(403);
    expect(fieldsOf((await http.get(`${unanswered}?pageSize=501`, tokens.street)).body)).toEqual([
      "pageSize",
    ]);
    expect((await http.get(`/api/v1/emergency-notices/${noticeId}`, tokens.otherStreet)).status).toBe(403);
    expect(await platform().storedDocuments({ settled: true })).toEqual(before);
    const firstPage = await http.get(`${unanswered}?pageSize=3`, tokens.street);
    expect(firstPage.body.householdIds).toEqual([1, 2, 3].map((n) => `${nancunBuildings.a}-${n}`));
    const secondPage = await http.get(
      `${unanswered}?pageSize=3&pageToken=${firstPage.body.nextPageToken}`,
      tokens.street,
    );
    expect(secondPage.body).toEqual({ householdIds: [1, 2].map((n) => `${nancunBuildings.b}-${n}`) });
  });
});
