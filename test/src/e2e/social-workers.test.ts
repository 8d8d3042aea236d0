import { withCreditCodeCheck } from "@civic/social-registry";
import { describe, expect, it } from "vitest";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

/** Private non-enterprise units (52) of Xiangzhou; organisation codes MJL0000n with their checks. */
const agencyCodes = {
  xiangzhou: withCreditCodeCheck("52440402MJL000016"),
  gongbei: withCreditCodeCheck("52440402MJL000024"),
};

describe("social-work agencies and licensed social workers through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startTestPlatform(mongoUri, natsUrl, 5_000, undefined, { socialRegistry: true }),
  );
  const officer = bearer("civil-affairs-xz", { roles: ["civil_affairs"], areas: ["440402"] });
  const otherDistrict = bearer("civil-affairs-dm", { roles: ["civil_affairs"], areas: ["440403"] });
  const http = httpClient(() => platform().gatewayUrl);

  const worker = (licenceNumber: string, overrides: Record<string, unknown> = {}) => ({
    name: "李社工",
    licenceLevel: "social_worker",
    licenceNumber,
    affiliation: { kind: "agency", agencyCreditCode: agencyCodes.xiangzhou },
    areaId: "440402001",
    registeredOn: "2026-01-10",
    ...overrides,
  });

  it("registers agencies; a wrong check character or a taken code changes nothing", async () => {
    const created = await http.post(
      "/api/v1/social-work-agencies",
      {
        creditCode: agencyCodes.xiangzhou,
        name: "香洲区启航社会工作服务中心",
        areaId: "440402",
        registeredOn: "2025-05-01",
      },
      officer,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ creditCode: agencyCodes.xiangzhou, areaId: "440402", version: 1 });

    const code = agencyCodes.gongbei;
    const wrongCheck = `${code.slice(0, 17)}${code.endsWith("1") ? "2" : "1"}`;
    const refused = await http.post(
      "/api/v1/social-work-agencies",
      { creditCode: wrongCheck, name: "拱北社工站", areaId: "440402001" },
      officer,
    );
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain("application/problem+json");
    expect(refused.body.errors).toEqual([
      { field: "creditCode", detail: `has the wrong check character: expected '${code.at(-1)}'` },
    ]);
    expect((await http.get(`/api/v1/social-work-agencies/${wrongCheck}`)).status).toBe(404);

    const again = await http.post(
      "/api/v1/social-work-agencies",
      { creditCode: agencyCodes.xiangzhou, name: "另一家", areaId: "440402" },
      officer,
    );
    expect(again.status).toBe(409);
    expect((await http.get(`/api/v1/social-work-agencies/${agencyCodes.xiangzhou}`)).body.name).toBe(
      "香洲区启航社会工作服务中心",
    );
    const elsewhere = await http.post(
      "/api/v1/social-work-agencies",
      { creditCode: code, name: "拱北社工站", areaId: "440402001" },
      otherDistrict,
    );
    expect(elsewhere.status).toBe(403);
    expect((await http.get(`/api/v1/social-work-agencies/${code}`)).status).toBe(404);
    expect((await http.get("/api/v1/social-work-agencies?areaId=440402")).body.agencies).toHaveLength(1);
  });

  it("registers one worker per licence number, also when 10 registrations race", async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        http.post("/api/v1/social-workers", worker("GD-SW-2026-0001", { name: `社工${index}` }), officer),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    const losers = answers.filter((answer) => answer.status === 409);
    expect(losers).toHaveLength(9);
    expect(losers[0]?.body.detail).toBe("licence number GD-SW-2026-0001 is already registered");
    const winner = answers.find((answer) => answer.status === 201)?.body;
    const stored = await http.get(`/api/v1/social-workers/${winner.workerId}`);
    expect(stored.body).toMatchObject({ name: winner.name, licenceNumber: "GD-SW-2026-0001", version: 1 });
    const listed = await http.get("/api/v1/social-workers?areaId=440402");
    expect(listed.body.workers).toHaveLength(1);
    // Lower case is the same licence.
    expect((await http.post("/api/v1/social-workers", worker("gd-sw-2026-0001"), officer)).status).toBe(409);
  });

  it("refuses bad input, unknown agencies and other areas, storing nothing", async () => {
    const badLevel = await http.post(
      "/api/v1/social-workers",
      worker("GD-SW-2026-0002", { licenceLevel: "expert" }),
      officer,
    );
    expect(badLevel.status).toBe(400);
    const badCommunity = await http.post(
      "/api/v1/social-workers",
      worker("GD-SW-2026-0002", { affiliation: { kind: "community", communityId: "44040200100" } }),
      officer,
    );
    expect(badCommunity.status).toBe(400);
    expect(badCommunity.body.errors).toEqual([
      { field: "affiliation.communityId", detail: "must be a 12-digit community code" },
    ]);
    const unknownAgency = await http.post(
      "/api/v1/social-workers",
      worker("GD-SW-2026-0002", { affiliation: { kind: "agency", agencyCreditCode: agencyCodes.gongbei } }),
      officer,
    );
    expect(unknownAgency.status).toBe(400);
    expect(unknownAgency.body.detail).toContain("no social-work agency");
    const injected = await http.post(
      "/api/v1/social-workers",
      { ...worker("GD-SW-2026-0002"), $where: "1" },
      officer,
    );
    expect(injected.status).toBe(400);
    const elsewhere = await http.post("/api/v1/social-workers", worker("GD-SW-2026-0002"), otherDistrict);
    expect(elsewhere.status).toBe(403);
    expect((await http.get("/api/v1/social-workers?areaId=440402")).body.workers).toHaveLength(1);
  });

  it("counts workers of an area by level and affiliation, and follows affiliation changes", async () => {
    const assistant = await http.post(
      "/api/v1/social-workers",
      worker("GD-ASW-0101", {
        licenceLevel: "assistant_social_worker",
        affiliation: { kind: "community", communityId: "440402001002" },
      }),
      officer,
    );
    expect(assistant.status).toBe(201);
    const senior = await http.post(
      "/api/v1/social-workers",
      worker("GD-SSW-0007", {
        licenceLevel: "senior_social_worker",
        affiliation: { kind: "none" },
        areaId: "440402",
      }),
      officer,
    );
    expect(senior.status).toBe(201);
    const street = await http.get("/api/v1/social-worker-counts/440402001");
    expect(street.body).toMatchObject({
      areaId: "440402001",
      total: 2,
      byLevel: { assistant_social_worker: 1, social_worker: 1, senior_social_worker: 0 },
      byAffiliation: { agency: 1, community: 1, none: 0 },
    });
    expect((await http.get("/api/v1/social-worker-counts/440402")).body.total).toBe(3);

    const moved = await http.put(
      `/api/v1/social-workers/${senior.body.workerId}/affiliation`,
      { affiliation: { kind: "agency", agencyCreditCode: agencyCodes.xiangzhou }, changedOn: "2026-02-01" },
      officer,
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ affiliation: { kind: "agency" }, version: 2 });
    const district = await http.get("/api/v1/social-worker-counts/440402");
    expect(district.body.byAffiliation).toEqual({ agency: 2, community: 1, none: 0 });
    expect(district.body.byLevelAndAffiliation).toContainEqual({
      licenceLevel: "senior_social_worker",
      affiliationKind: "agency",
      count: 1,
    });
    const ofAgency = await http.get(
      `/api/v1/social-workers?agencyCreditCode=${agencyCodes.xiangzhou}&pageSize=1`,
    );
    expect(ofAgency.body.workers).toHaveLength(1);
    expect(ofAgency.body.nextPageToken).toEqual(expect.any(String));
    const refused = await http.put(
      `/api/v1/social-workers/${senior.body.workerId}/affiliation`,
      { affiliation: { kind: "none" } },
      otherDistrict,
    );
    expect(refused.status).toBe(403);
  });
});
