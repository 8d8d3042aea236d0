import { organisationCodeCheckCharacter, withCreditCodeCheck } from "@civic/social-registry";
import { describe, expect, it } from "vitest";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

/** Enterprises of Zhuhai market regulation (91 440400 …). */
const enterpriseCode = (body: string) =>
  withCreditCodeCheck(`91440400${body}${organisationCodeCheckCharacter(body)}`);
const codes = { tech: enterpriseCode("MA4UH000"), food: enterpriseCode("MA4UH001") };

describe("the caring-enterprise directory through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startTestPlatform(mongoUri, natsUrl, 5_000, undefined, { socialRegistry: true }),
  );
  const officer = bearer("civil-affairs-xz", { roles: ["civil_affairs"], areas: ["440402"] });
  const hub = bearer("hub-xz", { roles: ["charity_hub"], areas: ["440402"] });
  const otherDistrict = bearer("civil-affairs-dm", { roles: ["civil_affairs"], areas: ["440403"] });
  const http = httpClient(() => platform().gatewayUrl);

  const money = (donationId: string, amountFen: unknown, donatedOn = "2026-03-15") => ({
    donationId,
    kind: "money",
    amountFen,
    recipient: "南村社区",
    donatedOn,
  });
  const donate = (code: string, body: unknown, authorization = hub) =>
    http.post(`/api/v1/caring-enterprises/${code}/donations`, body, authorization);

  it("lists enterprises with valid, unique codes", async () => {
    const listed = await http.post(
      "/api/v1/caring-enterprises",
      { creditCode: codes.tech, name: "珠海爱心科技有限公司", areaId: "440402001", listedOn: "2025-06-01" },
      officer,
    );
    expect(listed.status).toBe(201);
    expect(listed.body).toMatchObject({
      creditCode: codes.tech,
      donations: [],
      evaluation: { score: 0, level: "none" },
    });
    const wrongCheck = `${codes.food.slice(0, 17)}${codes.food.endsWith("1") ? "2" : "1"}`;
    const refused = await http.post(
      "/api/v1/caring-enterprises",
      { creditCode: wrongCheck, name: "珠海粮油有限公司", areaId: "440402" },
      officer,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: "creditCode", detail: `has the wrong check character: expected '${codes.food.at(-1)}'` },
    ]);
    expect((await http.get(`/api/v1/caring-enterprises/${wrongCheck}`)).status).toBe(404);
    const again = await http.post(
      "/api/v1/caring-enterprises",
      { creditCode: codes.tech, name: "重名", areaId: "440402" },
      officer,
    );
    expect(again.status).toBe(409);
    const elsewhere = await http.post(
      "/api/v1/caring-enterprises",
      { creditCode: codes.food, name: "珠海粮油有限公司", areaId: "440402" },
      otherDistrict,
    );
    expect(elsewhere.status).toBe(403);
    expect(
      (
        await http.post(
          "/api/v1/caring-enterprises",
          { creditCode: codes.food, name: "珠海粮油有限公司", areaId: "440402002" },
          officer,
        )
      ).status,
    ).toBe(201);
    expect((await http.get("/api/v1/caring-enterprises?areaId=440402001")).body.enterprises).toHaveLength(1);
  });

  it("records a donation once per donation id, also when 10 retries race", async () => {
    const first = await donate(codes.tech, money("zh-2026-0001", 30_000_000, "2026-01-10"));
    expect(first.status).toBe(201);
    const replay = await donate(codes.tech, money("zh-2026-0001", 30_000_000, "2026-01-10"));
    expect(replay.status).toBe(200);
    expect(replay.body.donations).toHaveLength(1);
    const changed = await donate(codes.tech, money("zh-2026-0001", 40_000_000, "2026-01-10"));
    expect(changed.status).toBe(409);

    const racing = await Promise.all(
      Array.from({ length: 10 }, () =>
        donate(codes.tech, {
          donationId: "zh-2026-0002",
          kind: "goods",
          description: "米面油 200 份",
          estimatedValueFen: 1_550_000,
          donatedOn: "2026-03-05",
        }),
      ),
    );
    expect(racing.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(racing.filter((answer) => answer.status === 200)).toHaveLength(9);
    const stored = await http.get(`/api/v1/caring-enterprises/${codes.tech}`);
    expect(stored.body.donations.map((donation: { donationId: string }) => donation.donationId)).toEqual([
      "zh-2026-0001",
      "zh-2026-0002",
    ]);
    expect(stored.body.version).toBe(3);
    // The id is taken in the whole directory.
    const elsewhere = await donate(codes.food, money("zh-2026-0001", 30_000_000, "2026-01-10"));
    expect(elsewhere.status).toBe(409);
    expect((await http.get(`/api/v1/caring-enterprises/${codes.food}`)).body.donations).toEqual([]);
  });

  it("refuses negative, fractional and misplaced amounts, storing nothing", async () => {
    const negative = await donate(codes.tech, money("zh-bad-1", -100));
    expect(negative.status).toBe(400);
    expect(negative.body.errors).toEqual([
      { field: "amountFen", detail: "must be a whole number of fen above 0" },
    ]);
    const fractional = await donate(codes.tech, money("zh-bad-2", 10.5));
    expect(fractional.status).toBe(400);
    const asText = await donate(codes.tech, money("zh-bad-3", "100"));
    expect(asText.status).toBe(400);
    const goodsWithoutValue = await donate(codes.tech, {
      donationId: "zh-bad-4",
      kind: "goods",
      description: "图书",
      amountFen: 100,
    });
    expect(goodsWithoutValue.status).toBe(400);
    expect(goodsWithoutValue.body.errors).toEqual([
      { field: "amountFen", detail: "is only for kind money" },
      { field: "estimatedValueFen", detail: "must be a whole number of fen above 0" },
    ]);
    const hours = await donate(codes.tech, {
      donationId: "zh-bad-5",
      kind: "volunteer_hours",
      volunteerHours: 0,
    });
    expect(hours.status).toBe(400);
    expect((await donate(codes.tech, money("zh-bad-6", 100), otherDistrict)).status).toBe(403);
    expect((await http.get(`/api/v1/caring-enterprises/${codes.tech}`)).body).toMatchObject({ version: 3 });
  });

  it("evaluates credit from donations, hours, regularity, recognitions and lists", async () => {
    expect(
      (
        await donate(codes.tech, {
          donationId: "zh-2026-0003",
          kind: "volunteer_hours",
          volunteerHours: 25,
          donatedOn: "2026-03-20",
        })
      ).status,
    ).toBe(201);
    const byHub = await http.post(
      `/api/v1/caring-enterprises/${codes.tech}/recognitions`,
      { title: "爱心企业", awardedOn: "2026-05-01", issuer: "香洲区民政局" },
      hub,
    );
    expect(byHub.status).toBe(403);
    expect(
      (
        await http.post(
          `/api/v1/caring-enterprises/${codes.tech}/recognitions`,
          { title: "爱心企业", awardedOn: "2026-05-01", issuer: "香洲区民政局" },
          officer,
        )
      ).status,
    ).toBe(200);
    const evaluation = await http.get(
      `/api/v1/caring-enterprises/${codes.tech}/credit-evaluation?asOf=2026-11-30`,
    );
    expect(evaluation.body).toMatchObject({
      creditCode: codes.tech,
      evaluation: {
        asOf: "2026-11-30",
        donationValueFen: 31_550_000,
        volunteerHours: 25,
        donationMonths: 2,
        points: { donationValue: 31, volunteerHours: 2, regularity: 4, recognitions: 5, creditLists: 0 },
        score: 42,
        level: "AA",
      },
    });
    const entered = await http.post(
      `/api/v1/caring-enterprises/${codes.tech}/credit-list-entries`,
      { list: "abnormal_operation", reason: "未按期公示年度报告", enteredOn: "2026-10-01" },
      officer,
    );
    expect(entered.status).toBe(200);
    const listed = await http.get(
      `/api/v1/caring-enterprises/${codes.tech}/credit-evaluation?asOf=2026-11-30`,
    );
    expect(listed.body.evaluation).toMatchObject({
      creditLists: ["abnormal_operation"],
      score: 22,
      level: "A",
    });
    const before = await http.get(
      `/api/v1/caring-enterprises/${codes.tech}/credit-evaluation?asOf=2026-09-30`,
    );
    expect(before.body.evaluation.level).toBe("AA");
    const removed = await http.post(
      `/api/v1/caring-enterprises/${codes.tech}/credit-list-removals`,
      { list: "abnormal_operation", reason: "已补报", removedOn: "2026-11-01" },
      officer,
    );
    expect(removed.body.creditListEntries).toEqual([
      {
        list: "abnormal_operation",
        reason: "未按期公示年度报告",
        enteredOn: "2026-10-01",
        removedOn: "2026-11-01",
      },
    ]);
    expect(
      (await http.get(`/api/v1/caring-enterprises/${codes.tech}/credit-evaluation?asOf=2026-11-30`)).body
        .evaluation.level,
    ).toBe("AA");
    expect(
      (await http.get(`/api/v1/caring-enterprises/${codes.tech}/credit-evaluation?asOf=2026-13-01`)).status,
    ).toBe(400);
  });
});
