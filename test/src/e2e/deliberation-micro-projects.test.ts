import { connect } from "@nats-io/transport-node";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { constituteCouncil } from "../support/councils.js";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const street = "440402001";
const nancun = "440402001002";
const shanchang = "440402001009";
const representatives = ["rep-0", "rep-1", "rep-2"];

const fieldsOf = (body: { errors?: { field: string }[] }) =>
  (body.errors ?? []).map((error) => error.field).sort();

describe("民生微实事 micro-projects through the gateway", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  const streetStaff = bearer("ss-gongbei", { roles: ["street_staff"], areas: [street] });
  const resident = bearer("resident-li", { roles: ["resident"] });
  let councilId: string;

  beforeAll(async () => {
    councilId = await constituteCouncil(
      api,
      staff,
      {
        kind: "resident_deliberation_council",
        areaId: nancun,
        name: "南村社区居民议事会",
        seatCount: representatives.length,
      },
      representatives.map((memberId) => ({
        memberId,
        name: memberId,
        role: "representative",
        unitId: "",
        building: "",
        floorAreaCentiM2: 0,
      })),
    );
  });

  const inAnHour = () => new Date(platform().clock.now.getTime() + 3_600_000).toISOString();

  async function propose(body: Record<string, unknown> = {}, token = resident) {
    const proposed = await api.post(
      "/api/v1/micro-projects",
      {
        communityId: nancun,
        year: 2026,
        title: "休闲广场加装遮阳棚",
        description: "广场无遮阴，老人和孩子夏天无法活动",
        category: "leisure",
        proposerKind: "resident",
        proposerName: "李女士",
        estimatedFen: 4_500_000,
        ...body,
      },
      token,
    );
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    return proposed.body.projectId as string;
  }

  async function shortlisted(year: number, count: number) {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const projectId = await propose({ year, title: `微实事${index}` });
      const shortlist = await api.post(`/api/v1/micro-projects/${projectId}/shortlist`, {}, staff);
      expect(shortlist.status, JSON.stringify(shortlist.body)).toBe(200);
      ids.push(projectId);
    }
    return ids;
  }

  /** Opens `vote` in the council; representative i casts `choices(i)`; closes it. Answers the vote's id. */
  async function representativesVote(vote: Record<string, unknown>, choices: (index: number) => string[]) {
    const opened = await api.post(
      `/api/v1/councils/${councilId}/votes`,
      { ...vote, method: "e_vote", closesAt: inAnHour() },
      staff,
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const voteId = opened.body.voteId as string;
    for (const [index, memberId] of representatives.entries()) {
      const ballot = await api.post(
        `/api/v1/votes/${voteId}/ballots`,
        { choices: choices(index) },
        bearer(memberId, { roles: ["resident"] }),
      );
      expect(ballot.status, JSON.stringify(ballot.body)).toBe(201);
    }
    const closed = await api.post(`/api/v1/votes/${voteId}/close`, {}, staff);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    return voteId;
  }

  /** The representatives choose among `projectIds`: each ballot names `choices(rep index)`. */
  const residentsChoose = (
    year: number,
    projectIds: string[],
    seats: number,
    choices: (index: number) => string[],
  ) =>
    representativesVote(
      {
        title: `${year}年民生微实事项目票决`,
        rule: "plurality",
        subjectReference: `micro-projects:${nancun}:${year}`,
        candidates: projectIds.map((candidateId, index) => ({ candidateId, name: `项目${index}` })),
        seats,
      },
      choices,
    );

  /** The representatives vote on accepting `subjectReference`: the first `yes` of them for. */
  const motion = (subjectReference: string, yes: number) =>
    representativesVote({ title: "项目验收", rule: "simple_majority", subjectReference }, (index) => [
      index < yes ? "yes" : "no",
    ]);

  it("goes from a resident's proposal through shortlist, the residents' choice, approval, milestones and acceptance", async () => {
    const shade = await propose();
    const classes = await propose({
      title: "四点半课堂",
      category: "public_service",
      proposerKind: "organisation",
      proposerName: "香洲区某社工服务中心",
      estimatedFen: 3_000_000,
    });
    const proposed = await api.get(`/api/v1/micro-projects/${classes}`);
    expect(proposed.body).toMatchObject({ status: "proposed", proposerKind: "organisation" });
    for (const projectId of [shade, classes]) {
      const answer = await api.post(`/api/v1/micro-projects/${projectId}/shortlist`, {}, staff);
      expect(answer.body.status).toBe("shortlisted");
    }
    // Two representatives choose the shade, one the classes; one seat.
    const voteId = await residentsChoose(2026, [shade, classes], 1, (index) => [index < 2 ? shade : classes]);

    const notChosen = await api.post(
      `/api/v1/micro-projects/${classes}/approval`,
      { voteId, approvedFen: 3_000_000 },
      staff,
    );
    expect(notChosen.status).toBe(400);
    expect(notChosen.body.reason).toBe("NOT_CHOSEN");
    const approved = await api.post(
      `/api/v1/micro-projects/${shade}/approval`,
      { voteId, approvedFen: 4_200_000 },
      staff,
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.project).toMatchObject({ status: "approved", voteId });
    expect(Number(approved.body.project.approvedFen)).toBe(4_200_000);
    expect(Number(approved.body.budget.committedFen)).toBe(4_200_000);
    expect(approved.body.budget.setExplicitly).toBe(false);
    const declined = await api.post(
      `/api/v1/micro-projects/${classes}/decline`,
      { reason: "票决未入选" },
      staff,
    );
    expect(declined.body).toMatchObject({ status: "declined", declineReason: "票决未入选" });

    const contracted = await api.post(
      `/api/v1/micro-projects/${shade}/contract`,
      {
        implementerKind: "contractor",
        implementerName: "珠海某建筑工程有限公司",
        creditCode: "",
        milestones: [
          { title: "材料进场", dueDate: "2026-03-01" },
          { title: "安装完成", dueDate: "2026-04-01" },
        ],
      },
      staff,
    );
    expect(contracted.status, JSON.stringify(contracted.body)).toBe(200);
    expect(contracted.body.status).toBe("under_way");
    const first = await api.post(
      `/api/v1/micro-projects/${shade}/milestones/1/reached`,
      { note: "钢架到场", photoUrls: ["https://img.example.cn/mp/1.jpg"] },
      staff,
    );
    expect(first.body.status).toBe("under_way");
    const again = await api.post(`/api/v1/micro-projects/${shade}/milestones/1/reached`, { note: "" }, staff);
    expect(again.body.reason).toBe("MILESTONE_ALREADY_REACHED");
    const last = await api.post(
      `/api/v1/micro-projects/${shade}/milestones/2/reached`,
      { note: "安装完毕", photoUrls: ["https://img.example.cn/mp/2.jpg", "https://img.example.cn/mp/3.jpg"] },
      staff,
    );
    expect(last.body.status).toBe("completed");

    const rejectedBy = await motion(`micro-project-acceptance:${shade}`, 1);
    const rework = await api.post(
      `/api/v1/micro-projects/${shade}/acceptance`,
      { voteId: rejectedBy },
      staff,
    );
    expect(rework.status, JSON.stringify(rework.body)).toBe(200);
    expect(rework.body.status).toBe("rework");
    const acceptedBy = await motion(`micro-project-acceptance:${shade}`, 3);
    const accepted = await api.post(
      `/api/v1/micro-projects/${shade}/acceptance`,
      { voteId: acceptedBy, photoUrls: ["https://img.example.cn/mp/accepted.jpg"] },
      staff,
    );
    expect(accepted.body).toMatchObject({
      status: "accepted",
      acceptanceVoteId: acceptedBy,
      acceptancePhotoUrls: ["https://img.example.cn/mp/accepted.jpg"],
    });
    const published = await api.get(`/api/v1/micro-projects/${shade}`);
    expect(
      published.body.milestones.map((milestone: { photoUrls: string[] }) => milestone.photoUrls),
    ).toEqual([
      ["https://img.example.cn/mp/1.jpg"],
      ["https://img.example.cn/mp/2.jpg", "https://img.example.cn/mp/3.jpg"],
    ]);
    // Reached in order: the second milestone's time is a real instant, not before the first's.
    const [firstReached, secondReached] = published.body.milestones.map((milestone: { reachedAt: string }) =>
      Date.parse(milestone.reachedAt),
    );
    expect(secondReached).toBeGreaterThanOrEqual(firstReached);
  });

  it("never exceeds the budget the street set when twelve approvals race, and counts by area and year", async () => {
    const communitySet = await api.put(
      `/api/v1/micro-project-budgets/${nancun}/2027`,
      { budgetFen: 1_000_000, reason: "社区自定" },
      staff,
    );
    expect(communitySet.status).toBe(403);
    const set = await api.put(
      `/api/v1/micro-project-budgets/${nancun}/2027`,
      { budgetFen: 1_000_000, reason: "街道核定2027年额度" },
      streetStaff,
    );
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ setExplicitly: true });
    expect(Number(set.body.budgetFen)).toBe(1_000_000);

    const projectIds = await shortlisted(2027, 12);
    const voteId = await residentsChoose(2027, projectIds, 12, () => projectIds);
    const approve = (projectId: string) =>
      api.post(`/api/v1/micro-projects/${projectId}/approval`, { voteId, approvedFen: 300_000 }, staff);
    const answers = await Promise.all(projectIds.map(approve));
    const approved = answers.filter((answer) => answer.status === 200);
    // The rest are refused: short of budget, or (decided after a winner committed) a lost race, 409.
    const refused = answers.filter(
      (answer) => answer.body.reason === "BUDGET_EXCEEDED" || answer.status === 409,
    );
    expect(approved.length, JSON.stringify(answers.map((answer) => answer.status))).toBe(3);
    expect(refused.length).toBe(9);
    const approvedIds = approved.map((answer) => answer.body.project.projectId as string);
    const late = await approve(projectIds.find((projectId) => !approvedIds.includes(projectId)) ?? "");
    expect(late.status).toBe(400);
    expect(late.body.reason).toBe("BUDGET_EXCEEDED");

    const budget = await api.get(`/api/v1/micro-project-budgets/${nancun}/2027`);
    expect(Number(budget.body.committedFen)).toBe(900_000);
    expect(Number(budget.body.remainingFen)).toBe(100_000);
    expect(budget.body.approvedProjects).toBe(3);
    // A retried approval finds its commitment and commits nothing more.
    const retried = await approve(approved[0]?.body.project.projectId);
    expect(retried.status).toBe(200);
    expect(Number(retried.body.budget.committedFen)).toBe(900_000);
    const lowered = await api.put(
      `/api/v1/micro-project-budgets/${nancun}/2027`,
      { budgetFen: 800_000, reason: "压减" },
      streetStaff,
    );
    expect(lowered.body.reason).toBe("BUDGET_BELOW_COMMITTED");

    await propose({ communityId: shanchang, year: 2027, title: "山场社区路灯维修" });
    const statistics = await api.get(`/api/v1/micro-project-statistics?areaId=${street}&year=2027`);
    expect(statistics.status, JSON.stringify(statistics.body)).toBe(200);
    expect(statistics.body.total).toMatchObject({ proposed: 13, approved: 3 });
    expect(Number(statistics.body.total.approvedFen)).toBe(900_000);
    const rows = statistics.body.communities.map(
      (row: { areaId: string; proposed: number; budgetFen: string | number }) => [
        row.areaId,
        row.proposed,
        Number(row.budgetFen),
      ],
    );
    expect(rows).toEqual([
      [nancun, 12, 1_000_000],
      [shanchang, 1, 200_000_000],
    ]);

    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await api.get(
        `/api/v1/micro-projects?areaId=${nancun}&year=2027&status=approved&pageSize=2${pageToken ? `&pageToken=${pageToken}` : ""}`,
      );
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      seen.push(...page.body.projects.map((project: { projectId: string }) => project.projectId));
      pageToken = page.body.nextPageToken ?? "";
    } while (pageToken);
    expect(seen.sort()).toEqual(approved.map((answer) => answer.body.project.projectId).sort());
  });

  it("refuses bad input with the fields named and stores nothing; callers without the role get 403", async () => {
    const before = await api.get(`/api/v1/micro-projects?areaId=${nancun}&year=2026&pageSize=200`);
    const bad = await api.post(
      "/api/v1/micro-projects",
      {
        communityId: "44",
        year: 1999,
        title: "",
        description: "",
        category: "castle",
        proposerKind: "robot",
        proposerName: "",
        estimatedFen: 0,
      },
      resident,
    );
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain("application/problem+json");
    expect(fieldsOf(bad.body)).toEqual([
      "category",
      "communityId",
      "description",
      "estimatedFen",
      "proposerKind",
      "proposerName",
      "title",
      "year",
    ]);
    const compoundAsCommunity = await api.post(
      "/api/v1/micro-projects",
      {
        communityId: "440402001002003",
        year: 2026,
        title: "t",
        description: "d",
        category: "other",
        proposerKind: "resident",
        proposerName: "n",
        estimatedFen: 1,
      },
      resident,
    );
    expect(fieldsOf(compoundAsCommunity.body)).toEqual(["communityId"]);
    const after = await api.get(`/api/v1/micro-projects?areaId=${nancun}&year=2026&pageSize=200`);
    expect(after.body.projects.length).toBe(before.body.projects.length);

    const anonymous = await api.post("/api/v1/micro-projects", { communityId: nancun });
    expect(anonymous.status).toBe(403);

    const projectId = await propose();
    expect((await api.post(`/api/v1/micro-projects/${projectId}/shortlist`, {}, resident)).status).toBe(403);
    const outsider = bearer("cs-shanchang", { roles: ["community_staff"], areas: [shanchang] });
    expect((await api.post(`/api/v1/micro-projects/${projectId}/shortlist`, {}, outsider)).status).toBe(403);
    const noReason = await api.post(`/api/v1/micro-projects/${projectId}/decline`, { reason: " " }, staff);
    expect(fieldsOf(noReason.body)).toEqual(["reason"]);
    const noVote = await api.post(
      `/api/v1/micro-projects/${projectId}/approval`,
      { voteId: "", approvedFen: -5 },
      staff,
    );
    expect(fieldsOf(noVote.body)).toEqual(["approvedFen", "voteId"]);
    const badBudget = await api.put(
      `/api/v1/micro-project-budgets/${nancun}/1800`,
      { budgetFen: 0, reason: "" },
      streetStaff,
    );
    expect(fieldsOf(badBudget.body)).toEqual(["budgetFen", "reason", "year"]);
    const badStatistics = await api.get(`/api/v1/micro-project-statistics?areaId=x&year=0`);
    expect(fieldsOf(badStatistics.body)).toEqual(["areaId", "year"]);
    const unchanged = await api.get(`/api/v1/micro-projects/${projectId}`);
    expect(unchanged.body.status).toBe("proposed");
    expect(Number(unchanged.body.version)).toBe(1);
  });

  it("publishes each step for other services to follow, the budget's commitment with it", async () => {
    const nats = await connect({ servers: inject("natsUrl") });
    try {
      const follow = (type: string) =>
        nats.subscribe(`${platform().namespace}.deliberation.${type}`, { max: 1, timeout: 10_000 });
      const proposedEvents = follow("micro_project.proposed");
      const approvedEvents = follow("micro_project.approved");
      const committedEvents = follow("micro_project_budget.committed");
      const [projectId] = await shortlisted(2028, 1);
      const voteId = await residentsChoose(2028, [projectId ?? ""], 1, () => [projectId ?? ""]);
      const approved = await api.post(
        `/api/v1/micro-projects/${projectId}/approval`,
        { voteId, approvedFen: 50_000 },
        staff,
      );
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      const first = async (subscription: ReturnType<typeof follow>) => {
        for await (const message of subscription) return JSON.parse(message.string());
      };
      expect((await first(proposedEvents)).data).toMatchObject({
        projectId,
        communityId: nancun,
        year: 2028,
        proposerKind: "resident",
      });
      expect((await first(approvedEvents)).data).toMatchObject({ projectId, voteId, approvedFen: 50_000 });
      expect((await first(committedEvents)).data).toMatchObject({
        communityId: nancun,
        year: 2028,
        projectId,
        amountFen: 50_000,
        budgetFen: 200_000_000,
      });
    } finally {
      await nats.drain();
    }
  });
});
