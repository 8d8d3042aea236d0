import { beforeAll, describe, expect, it } from "vitest";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { ownersAssembly } from "../support/owners-assembly.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const compound = "440402001002003";
const subject = `maintenance-fund:${compound}`;
const fundPath = `/api/v1/maintenance-funds/${compound}`;

describe("a compound's maintenance fund (住宅专项维修资金) through the gateway", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  let councilId: string;
  /** Floor areas of the owners' units 1-0, 1-1, 1-2, in hundredths of m². */
  const unitAreas = [9_000, 6_000, 5_000];

  beforeAll(async () => {
    councilId = await ownersAssembly(api, staff, compound, unitAreas);
    const opened = await api.post("/api/v1/maintenance-funds", { areaId: compound }, staff);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ areaId: compound, balanceFen: 0 });
    for (const [index, area] of unitAreas.entries()) {
      const deposited = await api.post(
        `${fundPath}/deposits`,
        { householdId: `1-${index}`, floorAreaCentiM2: area, amountFen: area * 100, note: "首期交存" },
        staff,
      );
      expect(deposited.status, JSON.stringify(deposited.body)).toBeLessThan(300);
    }
  });

  /** Opens an owners' vote on a use of the fund, has `yes` of the three owners vote yes (the rest no), and closes it. */
  async function ownersVote(
    rule: "owners_ordinary" | "owners_major",
    yes: number,
    subjectReference = subject,
  ) {
    const opened = await api.post(
      `/api/v1/councils/${councilId}/votes`,
      {
        title: "使用维修资金更换电梯",
        method: "e_vote",
        rule,
        subjectReference,
        closesAt: new Date(platform().clock.now.getTime() + 3_600_000).toISOString(),
      },
      staff,
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const voteId = opened.body.voteId as string;
    for (const index of unitAreas.keys()) {
      const owner = bearer(`owner-${index}`, { roles: ["resident"] });
      const ballot = await api.post(
        `/api/v1/votes/${voteId}/ballots`,
        { choices: [index < yes ? "yes" : "no"] },
        owner,
      );
      expect(ballot.status, JSON.stringify(ballot.body)).toBe(201);
    }
    const closed = await api.post(`/api/v1/votes/${voteId}/close`, {}, staff);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    return voteId;
  }

  const withdraw = (body: Record<string, unknown>) =>
    api.post(
      `${fundPath}/withdrawals`,
      { use: "repair", purpose: "更换1栋电梯", amountFen: 100_000, ...body },
      staff,
    );

  it("withdraws on an adopted owners' vote and shares the withdrawal among the households by floor area", async () => {
    const voteId = await ownersVote("owners_ordinary", 2);
    const withdrawn = await withdraw({ voteId, amountFen: 200_000 });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBeLessThan(300);
    expect(withdrawn.body.entry).toMatchObject({
      kind: "withdrawal",
      voteId,
      subject: "repair",
      shares: [
        { householdId: "1-0", amountFen: 90000 },
        { householdId: "1-1", amountFen: 60000 },
        { householdId: "1-2", amountFen: 50000 },
      ],
    });
    const statement = await api.get(`${fundPath}/households/1-1`, staff);
    expect(statement.status, JSON.stringify(statement.body)).toBe(200);
    expect(statement.body).toMatchObject({
      depositedFen: 600000,
      withdrawnFen: 60000,
      balanceFen: 540000,
      topUpDue: false,
    });
    expect(statement.body.lines.map((line: { kind: string }) => line.kind)).toEqual([
      "deposit",
      "withdrawal",
    ]);
    const again = await withdraw({ voteId });
    expect(again.status).toBe(400);
    expect(again.body.reason).toBe("VOTE_ALREADY_USED");
  });

  it("refuses, with the reason, a vote that failed, a major use on an ordinary vote, and a vote on another subject", async () => {
    const failed = await withdraw({ voteId: await ownersVote("owners_ordinary", 1) });
    expect(failed.status).toBe(400);
    expect(failed.body.reason).toBe("VOTE_NOT_ADOPTED");
    expect(failed.body.detail).toContain("not adopted");
    const rebuild = await withdraw({ voteId: await ownersVote("owners_ordinary", 3), use: "rebuild" });
    expect(rebuild.body.reason).toBe("MAJOR_USE_NEEDS_THREE_QUARTERS");
    const other = await withdraw({ voteId: await ownersVote("owners_major", 3, "topic-42") });
    expect(other.body.reason).toBe("VOTE_ON_ANOTHER_SUBJECT");
    const before = await api.get(fundPath);
    expect(before.body.withdrawnFen).toBe(200_000);
  });

  it("is never overdrawn when 20 withdrawals race for it", async () => {
    const { body: fund } = await api.get(fundPath);
    const balance = Number(fund.balanceFen);
    const votes: string[] = [];
    for (let index = 0; index < 20; index++) votes.push(await ownersVote("owners_ordinary", 3));
    // Each asks for a quarter of what the fund holds: at most four can be paid.
    const quarter = Math.floor(balance / 4);
    const answers = await Promise.all(votes.map((voteId) => withdraw({ voteId, amountFen: quarter })));
    const paid = answers.filter((answer) => answer.status < 300).length;
    const short = answers.filter((answer) => answer.body.reason === "INSUFFICIENT_BALANCE").length;
    const lostRace = answers.filter((answer) => answer.status === 409).length;
    expect(paid + short + lostRace, JSON.stringify(answers.map((answer) => answer.status))).toBe(20);
    expect(paid).toBeLessThanOrEqual(4);
    expect(paid).toBeGreaterThan(0);
    const after = await api.get(fundPath);
    expect(Number(after.body.balanceFen)).toBe(balance - paid * quarter);
    expect(Number(after.body.balanceFen)).toBeGreaterThanOrEqual(0);
  });

  it("shows statements to the compound's staff only, and the fund's totals to anyone", async () => {
    const resident = bearer("owner-0", { roles: ["resident"] });
    expect((await api.get(`${fundPath}/households/1-0`, resident)).status).toBe(403);
    expect((await api.get(fundPath)).status).toBe(200);
    const outsider = bearer("cs-elsewhere", { roles: ["community_staff"], areas: ["440402001003"] });
    const refused = await api.post(
      `${fundPath}/deposits`,
      { householdId: "1-0", amountFen: 100, note: "" },
      outsider,
    );
    expect(refused.status).toBe(403);
  });
});
