import { beforeAll, describe, expect, it } from "vitest";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { ownersAssembly } from "../support/owners-assembly.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const street = "440402001";
const nancun = "440402001002";
const compound = "440402001002003";
const shanchang = "440402001009";

const fieldsOf = (body: { errors?: { field: string }[] }) =>
  (body.errors ?? []).map((error) => error.field).sort();

describe("old-compound renovation (老旧小区改造) through the gateway", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const streetStaff = bearer("ss-gongbei", { roles: ["street_staff"], areas: [street] });
  const nancunStaff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  let programmeId: string;
  let councilId: string;

  beforeAll(async () => {
    councilId = await ownersAssembly(api, nancunStaff, compound, [9_000, 6_000, 5_000]);
    const created = await api.post(
      "/api/v1/renovation-programmes",
      {
        areaId: street,
        name: "拱北街道老旧小区改造2021—2025",
        phases: [
          { name: "实施一批", startYear: 2021, endYear: 2021 },
          { name: "谋划一批", startYear: 2021, endYear: 2023 },
          { name: "储备一批", startYear: 2021, endYear: 2025 },
        ],
      },
      streetStaff,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    programmeId = created.body.programmeId;
    expect(created.body.phases.map((phase: { phaseId: string }) => phase.phaseId)).toEqual(["1", "2", "3"]);
    for (const [compoundId, phaseId] of [
      [compound, "1"],
      [shanchang, "2"],
      [nancun, "3"],
    ]) {
      const listed = await api.post(
        `/api/v1/renovation-programmes/${programmeId}/compounds`,
        { compoundId, phaseId },
        streetStaff,
      );
      expect(listed.status, JSON.stringify(listed.body)).toBeLessThan(300);
    }
  });

  const inAnHour = () => new Date(platform().clock.now.getTime() + 3_600_000).toISOString();

  async function createProject(compoundId: string, works: string[]) {
    const created = await api.post(
      `/api/v1/renovation-programmes/${programmeId}/projects`,
      {
        compoundId,
        title: "外立面及消防设施改造",
        works,
        budgetFen: 380_000_000,
        plannedStart: "2021-03-01",
        plannedEnd: "2021-12-31",
      },
      streetStaff,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  /** An owners' vote of the compound on the project's plan: `yes` of the three owners vote yes. */
  async function ownersVote(projectId: string, yes: number, close = true) {
    const opened = await api.post(
      `/api/v1/councils/${councilId}/votes`,
      {
        title: "老旧小区改造方案表决",
        method: "e_vote",
        rule: "owners_ordinary",
        subjectReference: `renovation-project:${projectId}`,
        closesAt: inAnHour(),
      },
      nancunStaff,
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const voteId = opened.body.voteId as string;
    for (const index of [0, 1, 2]) {
      const ballot = await api.post(
        `/api/v1/votes/${voteId}/ballots`,
        { choices: [index < yes ? "yes" : "no"] },
        bearer(`owner-${index}`, { roles: ["resident"] }),
      );
      expect(ballot.status, JSON.stringify(ballot.body)).toBe(201);
    }
    if (close) expect((await api.post(`/api/v1/votes/${voteId}/close`, {}, nancunStaff)).status).toBe(200);
    return voteId;
  }

  it("consults the owners by vote, builds, reports progress, and shows progress by phase", async () => {
    const project = await createProject(compound, ["facade", "parking", "fire_safety"]);
    expect(project).toMatchObject({ status: "planned", phaseId: "1", progressPercent: 0 });
    const projectId = project.projectId as string;
    const path = `/api/v1/renovation-projects/${projectId}`;
    /** Links the owners' vote `voteId` to the project as its consultation. */
    const consultByVote = (voteId: string) =>
      api.post(`${path}/consultation`, { consultationKind: "vote", consultationId: voteId }, nancunStaff);

    const openVote = await ownersVote(projectId, 3, false);
    const linked = await consultByVote(openVote);
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body).toMatchObject({ status: "consulting", consultationKind: "vote" });
    const early = await api.post(`${path}/consultation/conclude`, {}, nancunStaff);
    expect(early.body.reason).toBe("CONSULTATION_NOT_CONCLUDED");

    const failedVote = await ownersVote(projectId, 1);
    await consultByVote(failedVote);
    const failed = await api.post(`${path}/consultation/conclude`, {}, nancunStaff);
    expect(failed.status).toBe(400);
    expect(failed.body.reason).toBe("CONSULTATION_NOT_ADOPTED");
    expect((await api.post(`${path}/construction`, {}, streetStaff)).body.reason).toBe(
      "WRONG_PROJECT_STATUS",
    );

    const adoptedVote = await ownersVote(projectId, 2);
    await consultByVote(adoptedVote);
    const concluded = await api.post(`${path}/consultation/conclude`, {}, nancunStaff);
    expect(concluded.status, JSON.stringify(concluded.body)).toBe(200);
    expect(concluded.body).toMatchObject({ status: "approved", consultationId: adoptedVote });
    expect(concluded.body.consultationOutcome).toContain("adopted");

    const started = await api.post(`${path}/construction`, {}, streetStaff);
    expect(started.body.status).toBe("under_construction");
    const report = (percent: number, photoUrls: string[] = []) =>
      api.post(`${path}/progress`, { percent, note: `完成${percent}%`, photoUrls }, streetStaff);
    const forty = await report(40, ["https://img.example.cn/renovation/40.jpg"]);
    expect(forty.body).toMatchObject({ status: "under_construction", progressPercent: 40 });
    expect((await report(30)).body.reason).toBe("PROGRESS_BACKWARDS");
    const reportedFrom = Date.now();
    const done = await report(100);
    expect(done.body).toMatchObject({ status: "completed", progressPercent: 100 });
    // Completed by the report of 100%, at the time it was made.
    expect(Date.parse(done.body.completedAt)).toBeGreaterThanOrEqual(reportedFrom - 1_000);
    expect(Date.parse(done.body.completedAt)).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(done.body.progress.map((entry: { percent: number }) => entry.percent)).toEqual([40, 100]);

    // 山场 consults its residents by a topic through the six steps.
    const shanchangProject = await createProject(shanchang, ["roads_greening", "drainage"]);
    const topic = await api.post(
      "/api/v1/topics",
      {
        areaId: shanchang,
        title: "小区路面及绿化改造方案",
        description: "征求居民对改造方案的意见",
        categoryCode: "environment-facilities",
        proposerKind: "resident",
      },
      bearer("resident-9", { roles: ["resident"] }),
    );
    expect(topic.status, JSON.stringify(topic.body)).toBe(201);
    const topicPath = `/api/v1/renovation-projects/${shanchangProject.projectId}`;
    const linkedTopic = await api.post(
      `${topicPath}/consultation`,
      { consultationKind: "topic", consultationId: topic.body.topicId },
      streetStaff,
    );
    expect(linkedTopic.body.status).toBe("consulting");
    expect((await api.post(`${topicPath}/consultation/conclude`, {}, streetStaff)).body.reason).toBe(
      "CONSULTATION_NOT_CONCLUDED",
    );
    for (const step of [
      { step: "agenda", record: "列入议事会议程" },
      { step: "deliberate", record: "居民代表发言9人次" },
      { step: "decide", record: "通过改造方案，保留两棵古树", reference: "meeting-7" },
    ]) {
      const recorded = await api.post(`/api/v1/topics/${topic.body.topicId}/steps`, step, streetStaff);
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    }
    const topicConcluded = await api.post(`${topicPath}/consultation/conclude`, {}, streetStaff);
    expect(topicConcluded.body).toMatchObject({
      status: "approved",
      consultationOutcome: "通过改造方案，保留两棵古树",
    });

    const progress = await api.get(`/api/v1/renovation-programmes/${programmeId}/progress`);
    expect(progress.status, JSON.stringify(progress.body)).toBe(200);
    const phases = progress.body.phases.map(
      (phase: {
        phase: { phaseId: string };
        compoundsListed: number;
        projects: number;
        meanProgressPercent: number;
        compoundsCompleted: number;
        byStatus: { status: string; count: number }[];
      }) => ({
        phaseId: phase.phase.phaseId,
        listed: phase.compoundsListed,
        projects: phase.projects,
        mean: phase.meanProgressPercent,
        completed: phase.compoundsCompleted,
        approved: phase.byStatus.find((entry) => entry.status === "approved")?.count,
      }),
    );
    expect(phases).toEqual([
      { phaseId: "1", listed: 1, projects: 1, mean: 100, completed: 1, approved: 0 },
      { phaseId: "2", listed: 1, projects: 1, mean: 0, completed: 0, approved: 1 },
      { phaseId: "3", listed: 1, projects: 0, mean: 0, completed: 0, approved: 0 },
    ]);
    const ofPhase = await api.get(`/api/v1/renovation-programmes/${programmeId}/projects?phaseId=2`);
    expect(ofPhase.body.projects.map((item: { projectId: string }) => item.projectId)).toEqual([
      shanchangProject.projectId,
    ]);
    expect(ofPhase.body.nextPageToken).toBeUndefined();
  });

  it("refuses bad input with the fields named and stores nothing; callers without the role get 403", async () => {
    const bad = await api.post(
      "/api/v1/renovation-programmes",
      { areaId: "x", name: "", phases: [{ name: "", startYear: 2025, endYear: 2021 }] },
      streetStaff,
    );
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(["areaId", "name", "phases[0].endYear", "phases[0].name"]);
    const resident = bearer("resident-1", { roles: ["resident"] });
    const good = {
      areaId: street,
      name: "改造",
      phases: [{ name: "实施一批", startYear: 2021, endYear: 2021 }],
    };
    expect((await api.post("/api/v1/renovation-programmes", good, resident)).status).toBe(403);
    expect((await api.post("/api/v1/renovation-programmes", good, nancunStaff)).status).toBe(403);

    const before = await api.get(`/api/v1/renovation-programmes/${programmeId}`);
    const twice = await api.post(
      `/api/v1/renovation-programmes/${programmeId}/compounds`,
      { compoundId: compound, phaseId: "2" },
      streetStaff,
    );
    expect(twice.body.reason).toBe("COMPOUND_ALREADY_LISTED");
    const badListing = await api.post(
      `/api/v1/renovation-programmes/${programmeId}/compounds`,
      { compoundId: "440402001009", phaseId: "9" },
      streetStaff,
    );
    expect(fieldsOf(badListing.body)).toEqual(["phaseId"]);
    const after = await api.get(`/api/v1/renovation-programmes/${programmeId}`);
    expect(after.body.version).toBe(before.body.version);

    const badProject = await api.post(
      `/api/v1/renovation-programmes/${programmeId}/projects`,
      {
        compoundId: "440402001002099",
        title: "",
        works: ["castle"],
        budgetFen: -1,
        plannedStart: "2021-13-01",
        plannedEnd: "2020-01-01",
      },
      streetStaff,
    );
    expect(fieldsOf(badProject.body)).toEqual([
      "budgetFen",
      "compoundId",
      "plannedEnd",
      "plannedStart",
      "title",
      "works[0]",
    ]);
    const projects = await api.get(`/api/v1/renovation-programmes/${programmeId}/projects?pageSize=200`);
    const project = projects.body.projects[0];
    const badProgress = await api.post(
      `/api/v1/renovation-projects/${project.projectId}/progress`,
      { percent: 101, note: "", photoUrls: ["ftp://x"] },
      streetStaff,
    );
    expect(fieldsOf(badProgress.body)).toEqual(["note", "percent", "photoUrls[0]"]);
    const outsider = bearer("cs-elsewhere", { roles: ["community_staff"], areas: ["440402001005"] });
    expect(
      (
        await api.post(
          `/api/v1/renovation-projects/${project.projectId}/consultation`,
          { consultationKind: "vote", consultationId: "v" },
          outsider,
        )
      ).status,
    ).toBe(403);
    const unchanged = await api.get(`/api/v1/renovation-projects/${project.projectId}`);
    expect(unchanged.body.version).toBe(project.version);
  });
});
