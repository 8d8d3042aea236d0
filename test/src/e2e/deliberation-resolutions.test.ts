import { ensureDomainStream } from "@civic/event-log";
import { type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { constituteCouncil } from "../support/councils.js";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const compound = "440402001002003";

describe("resolutions, their tasks and progress through the gateway and NATS", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: ["440402001002"] });
  let nats: NatsConnection;
  let js: JetStreamClient;

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
    js = jetstream(nats);
  });
  afterAll(() => nats.drain());

  async function vote(adopt: boolean) {
    const councilId = await constituteCouncil(
      api,
      staff,
      { kind: "compound_co_building_council", areaId: compound, name: "共建议事会", seatCount: 3 },
      ["m1", "m2", "m3"].map((member) => ({ memberId: member, name: member, role: "member" })),
    );
    const opened = await api.post(
      `/api/v1/councils/${councilId}/votes`,
      {
        title: "修缮小区排水管网",
        method: "e_vote",
        rule: "simple_majority",
        closesAt: new Date(platform().clock.now.getTime() + 3_600_000).toISOString(),
      },
      staff,
    );
    for (const member of ["m1", "m2"]) {
      await api.post(
        `/api/v1/votes/${opened.body.voteId}/ballots`,
        { choices: [adopt ? "yes" : "no"] },
        bearer(member, { roles: [] }),
      );
    }
    await api.post(`/api/v1/votes/${opened.body.voteId}/close`, {}, staff);
    return opened.body.voteId as string;
  }

  const recordResolution = (
    voteId: string,
    resolution: { title: string; text: string; reviewDate: string },
  ) => api.post(`/api/v1/votes/${voteId}/resolution`, resolution, staff);
  const requestTask = (resolutionId: string, task: Record<string, unknown>) =>
    api.post(`/api/v1/resolutions/${resolutionId}/tasks`, task, staff);

  /** What another service publishes for an entity it created for a deliberation task. */
  async function publishProgress(
    domain: string,
    subjectTail: string,
    taskId: string,
    percent: number,
    note: string,
    id: string,
  ) {
    const stream = await ensureDomainStream(await jetstreamManager(nats), domain, platform().namespace);
    const event = {
      specversion: "1.0",
      id,
      source: `${platform().namespace}/${domain}`,
      type: `${stream.subjectPrefix}.${subjectTail}`,
      subject: `${stream.subjectPrefix}.${subjectTail}`,
      time: new Date().toISOString(),
      datacontenttype: "application/json",
      stream: `x-${taskId}`,
      streamversion: 1,
      data: { origin: { domain: "deliberation", reference: taskId }, taskProgress: { percent, note } },
    };
    await js.publish(`${stream.subjectPrefix}.${subjectTail}`, JSON.stringify(event), { msgID: id });
  }

  const eventually = async <T>(read: () => Promise<T>, until: (value: T) => boolean): Promise<T> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = await read();
      if (until(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return read();
  };

  it("adopts a resolution, publishes its tasks per contract 3 and keeps their dated progress", async () => {
    const voteId = await vote(true);
    const adopted = await recordResolution(voteId, {
      title: "修缮排水管网",
      text: "由网格办立案处理，志愿者配合清淤",
      reviewDate: "2027-03-31",
    });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(201);
    expect(adopted.body).toMatchObject({ resolutionId: voteId, status: "adopted", reviewDate: "2027-03-31" });

    const requested = nats.subscribe(`${platform().namespace}.deliberation.resolution.task_requested`, {
      max: 2,
    });
    const withCase = await requestTask(voteId, {
      kind: "case",
      title: "排水管网修缮",
      description: "3栋至5栋排水管堵塞",
      categoryCode: "sewage-discharge",
    });
    expect(withCase.status, JSON.stringify(withCase.body)).toBe(200);
    const withActivity = await requestTask(voteId, {
      kind: "volunteer_activity",
      title: "清淤志愿活动",
      description: "周六上午",
      budgetFen: 200_000,
    });
    const [caseTask, activityTask] = withActivity.body.tasks;
    const published = [];
    for await (const message of requested) published.push(JSON.parse(message.string()));
    expect(published.map((event) => event.data)).toEqual([
      expect.objectContaining({
        taskId: caseTask.taskId,
        resolutionId: voteId,
        kind: "case",
        areaId: compound,
        categoryCode: "sewage-discharge",
        requestedBy: "cs-nancun",
      }),
      expect.objectContaining({
        taskId: activityTask.taskId,
        kind: "volunteer_activity",
        budgetFen: 200_000,
      }),
    ]);
    expect(published[0].data).not.toHaveProperty("budgetFen");

    await publishProgress("grid-cases", "case.submitted", caseTask.taskId, 0, "submitted", "e-1");
    await publishProgress("grid-cases", "case.accepted", caseTask.taskId, 10, "accepted", "e-2");
    await publishProgress(
      "grid-cases",
      "case.accepted",
      caseTask.taskId,
      10,
      "accepted",
      "e-2-redelivered-id",
    );
    await publishProgress(
      "volunteer-stations",
      "activity.completed",
      activityTask.taskId,
      100,
      "completed",
      "e-3",
    );
    const resolution = await eventually(
      async () => (await api.get(`/api/v1/resolutions/${voteId}`)).body,
      (body) => body.tasks[0].timeline.length >= 3 && body.tasks[1].timeline.length >= 1,
    );
    expect(resolution.tasks[0].percent).toBe(10);
    expect(
      resolution.tasks[0].timeline.map((entry: { percent: number; domain: string }) => [
        entry.percent,
        entry.domain,
      ]),
    ).toEqual([
      [0, "grid-cases"],
      [10, "grid-cases"],
      [10, "grid-cases"],
    ]);
    expect(resolution.tasks[1]).toMatchObject({
      percent: 100,
      timeline: [{ percent: 100, domain: "volunteer-stations" }],
    });

    const disclosure = (await api.get(`/api/v1/resolutions/${voteId}/disclosure`)).body;
    expect(disclosure.voteResult).toMatchObject({ adopted: true, votesCast: 2 });
    expect(disclosure.reviewDue).toBe(false);
    expect(disclosure.resolution.tasks).toHaveLength(2);

    const reviewed = await api.post(
      `/api/v1/resolutions/${voteId}/review`,
      { outcome: "管网畅通，居民满意" },
      staff,
    );
    expect(reviewed.body).toMatchObject({ status: "reviewed", reviewOutcome: "管网畅通，居民满意" });
  });

  it("applies a redelivered progress event once", async () => {
    const voteId = await vote(true);
    await recordResolution(voteId, { title: "t", text: "x", reviewDate: "2027-01-01" });
    const task = (
      await requestTask(voteId, { kind: "charity_project", title: "长者饭堂", description: "公益创投" })
    ).body.tasks[0];
    // The same event id twice: JetStream drops the second inside its duplicate window; the
    // timeline would take it once anyway (it records each source event id).
    await publishProgress("social-registry", "project.milestone_reached", task.taskId, 40, "场地落实", "p-1");
    await publishProgress("social-registry", "project.milestone_reached", task.taskId, 40, "场地落实", "p-1");
    await publishProgress("social-registry", "project.completed", task.taskId, 100, "完成", "p-2");
    const resolution = await eventually(
      async () => (await api.get(`/api/v1/resolutions/${voteId}`)).body,
      (body) => body.tasks[0].percent === 100,
    );
    expect(resolution.tasks[0].timeline.map((entry: { percent: number }) => entry.percent)).toEqual([
      40, 100,
    ]);
  });

  it("refuses a resolution of a vote that did not adopt its motion, bad tasks and a second review", async () => {
    const rejected = await vote(false);
    const refused = await recordResolution(rejected, { title: "t", text: "x", reviewDate: "2027-01-01" });
    expect(refused.status).toBe(400);
    expect(refused.body.reason).toBe("VOTE_NOT_ADOPTED");
    const voteId = await vote(true);
    const pastReview = await recordResolution(voteId, { title: "t", text: "x", reviewDate: "2020-01-01" });
    expect(pastReview.status).toBe(400);
    await recordResolution(voteId, { title: "t", text: "x", reviewDate: "2027-01-01" });
    const twice = await recordResolution(voteId, { title: "t", text: "x", reviewDate: "2027-01-01" });
    expect(twice.status).toBe(409);
    const noCategory = await requestTask(voteId, { kind: "case", title: "t", description: "d" });
    expect(noCategory.status).toBe(400);
    expect(noCategory.body.errors[0].field).toBe("categoryCode");
    const elsewhere = await requestTask(voteId, {
      kind: "volunteer_activity",
      areaId: "440402001009",
      title: "t",
      description: "d",
    });
    expect(elsewhere.status).toBe(400);
    expect((await api.get(`/api/v1/resolutions/${voteId}`)).body.tasks).toHaveLength(0);
    await api.post(`/api/v1/resolutions/${voteId}/review`, { outcome: "ok" }, staff);
    expect(
      (await api.post(`/api/v1/resolutions/${voteId}/review`, { outcome: "again" }, staff)).body.reason,
    ).toBe("RESOLUTION_REVIEWED");
  });
  it("shows the review date, and the public disclosure marks the review due once the date comes without a review", async () => {
    const voteId = await vote(true);
    const day = 86_400_000;
    const reviewDate = new Date(platform().clock.now.getTime() + 10 * day).toISOString().slice(0, 10);
    const adopted = await recordResolution(voteId, {
      title: "楼道照明改造",
      text: "更换全部楼道灯具",
      reviewDate,
    });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(201);
    await requestTask(voteId, { kind: "volunteer_activity", title: "灯具安装", description: "志愿者协助" });
    // The public view: no token needed.
    const before = await api.get(`/api/v1/resolutions/${voteId}/disclosure`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      resolution: { resolutionId: voteId, title: "楼道照明改造", reviewDate, status: "adopted" },
      voteResult: { adopted: true, votesCast: 2 },
      reviewDue: false,
    });
    expect(before.body.resolution.tasks).toMatchObject([{ kind: "volunteer_activity", title: "灯具安装" }]);
    const read = (await api.get(`/api/v1/resolutions/${voteId}`)).body;
    expect(read.reviewDate).toBe(reviewDate);
    expect(before.body.resolution.version).toBe(read.version);

    platform().clock.now = new Date(`${reviewDate}T00:00:01Z`);
    const due = (await api.get(`/api/v1/resolutions/${voteId}/disclosure`)).body;
    expect(due.reviewDue).toBe(true);
    expect(due.resolution.status).toBe("adopted");

    const reviewed = await api.post(
      `/api/v1/resolutions/${voteId}/review`,
      { outcome: "灯具已换，居民满意" },
      staff,
    );
    expect(reviewed.status).toBe(200);
    const after = (await api.get(`/api/v1/resolutions/${voteId}/disclosure`)).body;
    expect(after.reviewDue).toBe(false);
    expect(after.resolution).toMatchObject({ status: "reviewed", reviewOutcome: "灯具已换，居民满意" });
    expect((await api.get("/api/v1/resolutions/no-such-resolution/disclosure")).status).toBe(404);
  });
});
