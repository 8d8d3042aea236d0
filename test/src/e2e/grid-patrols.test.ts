import { beforeAll, describe, expect, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

describe("whole-subject grid patrols (全科网格) through the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const communityStaff = bearer("cs-nancun", { roles: ["community_staff"], areas: ["440402001002"] });
  const gridWorker = bearer("gw-wang", { roles: ["grid_worker"], areas: [testGrid] });

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
    const admin = bearer("admin-1", { roles: ["platform_admin"] });
    await api.post(
      `/api/v1/areas/${testGrid}/staff`,
      { personId: "gw-wang", name: "王网格员", role: "worker" },
      admin,
    );
  });

  const patrol = (body: Record<string, unknown>, token = gridWorker) =>
    api.post(
      "/api/v1/patrols",
      { gridId: testGrid, patrolledAt: "2026-11-03T09:30:00+08:00", notes: "", findings: [], ...body },
      token,
    );

  it("plans, records patrols with findings, makes a finding a case once, and reports coverage", async () => {
    expect((await patrol({ subjects: ["fire_safety"] })).body.reason).toBe("NO_PATROL_PLAN");
    expect(
      (
        await api.put(
          `/api/v1/areas/${testGrid}/patrol-plan`,
          { frequencies: [{ subject: "fire_safety", perMonth: 4 }] },
          gridWorker,
        )
      ).status,
    ).toBe(403);
    const plan = await api.put(
      `/api/v1/areas/${testGrid}/patrol-plan`,
      {
        frequencies: [
          { subject: "fire_safety", perMonth: 4 },
          { subject: "dispute_screening", perMonth: 2 },
          { subject: "food_safety", perMonth: 2 },
        ],
      },
      communityStaff,
    );
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);

    const first = await patrol({
      subjects: ["fire_safety", "dispute_screening"],
      findings: [
        {
          subject: "fire_safety",
          categoryCode: "manhole-cover-missing",
          description: "Manhole cover missing outside building 3",
          address: "Building 3",
        },
      ],
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ period: "2026-11", recordedBy: "gw-wang" });
    expect(first.body.findings[0]).toMatchObject({ findingId: "1", caseId: "" });
    for (let index = 0; index < 5; index++) {
      expect((await patrol({ subjects: ["fire_safety"] })).status).toBe(201);
    }

    const patrolId = first.body.patrolId as string;
    const referrals = await Promise.all(
      [0, 1, 2].map(() => api.post(`/api/v1/patrols/${patrolId}/findings/1/case`, {}, gridWorker)),
    );
    const caseIds = new Set(referrals.map((referral) => referral.body.caseId));
    expect(caseIds.size).toBe(1);
    expect(referrals.filter((referral) => referral.body.created === true)).toHaveLength(1);
    const [caseId] = [...caseIds];
    const opened = await api.get(`/api/v1/cases/${caseId}`, communityStaff);
    expect(opened.body).toMatchObject({ channel: "grid_patrol", areaId: testGrid, status: "submitted" });
    expect((await api.get(`/api/v1/patrols/${patrolId}`, gridWorker)).body.findings[0].caseId).toBe(caseId);

    const coverage = await api.get(`/api/v1/areas/${testGrid}/patrol-coverage/2026-11`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.subjects).toEqual([
      { subject: "fire_safety", planned: 4, done: 6 },
      { subject: "dispute_screening", planned: 2, done: 1 },
      { subject: "food_safety", planned: 2, done: 0 },
    ]);
    // (4 + 1 + 0) of 8 planned: a subject done more often makes up for no other.
    expect(coverage.body.coveragePercent).toBe(62.5);
  });

  it("refuses a subject outside the plan, a patrol in the future, and a stranger's record, changing nothing", async () => {
    const before = (await api.get(`/api/v1/areas/${testGrid}/patrol-coverage/2026-11`)).body.subjects;
    const outside = await patrol({ subjects: ["emergency"] });
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.body)).toContain("subjects[0]");
    expect((await patrol({ subjects: ["fire_safety"], patrolledAt: "2099-01-01T00:00:00Z" })).status).toBe(
      400,
    );
    const stranger = bearer("gw-other", { roles: ["grid_worker"], areas: ["440402001002001"] });
    expect((await patrol({ subjects: ["fire_safety"] }, stranger)).status).toBe(403);
    expect((await api.get(`/api/v1/areas/${testGrid}/patrol-coverage/2026-11`)).body.subjects).toEqual(
      before,
    );
  });
});
