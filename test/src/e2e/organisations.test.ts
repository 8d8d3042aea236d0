import { withCreditCodeCheck } from "@civic/social-registry";
import { describe, expect, it } from "vitest";
import { jsonCall } from "../support/in-process-gateway.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

/** Social groups registered by Xiangzhou civil affairs; organisation codes MJL0000n with their GB 11714 checks. */
const codes = {
  elderCare: withCreditCodeCheck("51440402MJL000016"),
  dance: withCreditCodeCheck("51440402MJL000024"),
  reading: withCreditCodeCheck("51440402MJL000032"),
};

describe("the organisation register through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startTestPlatform(mongoUri, natsUrl, 2_000, undefined, { socialRegistry: true }),
  );
  const officer = bearer("civil-affairs-xz", { roles: ["civil_affairs"], areas: ["440402"] });

  const send = (method: string, path: string, body?: unknown, authorization = officer) =>
    jsonCall(platform().gatewayUrl, method, path, authorization, body);
  const register = (creditCode: string, name: string, category = "community_service") =>
    send("POST", "/api/v1/organisations", {
      creditCode,
      name,
      legalForm: "social_group",
      category,
      areaId: "440402001002",
      filedOn: "2026-03-01",
    });

  it("registers, reads and moves an organisation through its lifecycle", async () => {
    const registered = await register(codes.elderCare, "南村社区长者关爱协会");
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      creditCode: codes.elderCare,
      status: "filed",
      creditListEntries: [],
    });
    for (const [action, effectiveOn] of [
      ["approve_registration", "2026-03-10"],
      ["activate", "2026-03-15"],
    ]) {
      const changed = await send("POST", `/api/v1/organisations/${codes.elderCare}/status-changes`, {
        action,
        effectiveOn,
      });
      expect(changed.status).toBe(200);
    }
    const suspended = await send("POST", `/api/v1/organisations/${codes.elderCare}/status-changes`, {
      action: "suspend",
      reason: "负责人失联",
      effectiveOn: "2026-06-01",
    });
    expect(suspended.body).toMatchObject({ status: "suspended" });
    expect((suspended.body.statusHistory as unknown[]).at(-1)).toMatchObject({
      status: "suspended",
      reason: "负责人失联",
      effectiveOn: "2026-06-01",
    });
    const listed = await send("POST", `/api/v1/organisations/${codes.elderCare}/credit-list-entries`, {
      list: "abnormal_activity",
      reason: "未按规定报送年度工作报告",
    });
    expect(listed.body.creditListEntries).toMatchObject([{ list: "abnormal_activity", removedOn: "" }]);
    const report = await send("POST", `/api/v1/organisations/${codes.elderCare}/annual-reports`, {
      year: 2025,
      result: "basically_qualified",
    });
    // Recorded on the organisation, which has the URL: 200, not 201 (docs/api.md).
    expect(report.status).toBe(200);
    const covered = await send("PUT", `/api/v1/organisations/${codes.elderCare}/party-branch`, {
      covered: true,
    });
    expect(covered.body).toMatchObject({ partyBranchCovered: true, version: 7 });
    expect((await send("GET", `/api/v1/organisations/${codes.elderCare}`, undefined, "")).body).toMatchObject(
      {
        status: "suspended",
        partyBranchCovered: true,
        annualReports: [{ year: 2025, result: "basically_qualified" }],
      },
    );
  });

  it("answers bad input with problem+json and changes nothing", async () => {
    const wrongCheck = `${codes.dance.slice(0, 17)}${codes.dance.endsWith("1") ? "2" : "1"}`;
    const refused = await register(wrongCheck, "舞蹈队");
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain("application/problem+json");
    expect(refused.body.errors).toEqual([
      { field: "creditCode", detail: `has the wrong check character: expected '${codes.dance.at(-1)}'` },
    ]);
    expect((await send("GET", `/api/v1/organisations/${wrongCheck}`)).status).toBe(404);

    expect((await register(codes.dance, "南村社区舞蹈队", "culture_and_sports")).status).toBe(201);
    const duplicate = await register(codes.dance, "另一支舞蹈队");
    expect(duplicate.status).toBe(409);
    const illegal = await send("POST", `/api/v1/organisations/${codes.dance}/status-changes`, {
      action: "resume",
    });
    expect(illegal.status).toBe(400);
    expect(illegal.body.detail).toBe("cannot resume an organisation that is filed (only when suspended)");
    const unknownField = await send("POST", `/api/v1/organisations/${codes.dance}/status-changes`, {
      action: "activate",
      $where: "1",
    });
    expect(unknownField.status).toBe(400);
    expect(await send("GET", `/api/v1/organisations/${codes.dance}`)).toMatchObject({
      body: { name: "南村社区舞蹈队", status: "filed", version: 1 },
    });
  });

  it("searches by name, code, category, area and status, a page at a time", async () => {
    expect((await register(codes.reading, "南村社区读书会", "culture_and_sports")).status).toBe(201);
    const culture = await send(
      "GET",
      "/api/v1/organisations?category=culture_and_sports&areaId=440402&pageSize=1",
    );
    expect((culture.body.organisations as { creditCode: string }[]).map((found) => found.creditCode)).toEqual(
      [codes.dance],
    );
    const next = await send(
      "GET",
      `/api/v1/organisations?category=culture_and_sports&areaId=440402&pageSize=1&pageToken=${culture.body.nextPageToken}`,
    );
    expect((next.body.organisations as { creditCode: string }[]).map((found) => found.creditCode)).toEqual([
      codes.reading,
    ]);
    expect(next.body).not.toHaveProperty("nextPageToken");
    const byName = await send("GET", `/api/v1/organisations?name=${encodeURIComponent("读书")}`);
    expect((byName.body.organisations as { name: string }[]).map((found) => found.name)).toEqual([
      "南村社区读书会",
    ]);
    const byPrefixAndStatus = await send(
      "GET",
      `/api/v1/organisations?creditCodePrefix=51440402MJL00001&status=suspended`,
    );
    expect(
      (byPrefixAndStatus.body.organisations as { creditCode: string }[]).map((found) => found.creditCode),
    ).toEqual([codes.elderCare]);
    const elsewhere = await send("GET", "/api/v1/organisations?areaId=440403");
    expect(elsewhere.body.organisations).toEqual([]);
    expect((await send("GET", "/api/v1/organisations?status=sleeping")).status).toBe(400);
  });

  it("lets only civil affairs of the organisation's area change it", async () => {
    const otherDistrict = bearer("civil-affairs-dm", { roles: ["civil_affairs"], areas: ["440403"] });
    const refused = await send(
      "POST",
      `/api/v1/organisations/${codes.reading}/status-changes`,
      { action: "approve_registration" },
      otherDistrict,
    );
    expect(refused.status).toBe(403);
    expect((await register(withCreditCodeCheck("51440402MJL000040"), "x")).status).toBe(201);
    const anonymous = await send(
      "POST",
      "/api/v1/organisations",
      {
        creditCode: withCreditCodeCheck("51440402MJL000059"),
        name: "y",
        legalForm: "social_group",
        category: "charity",
        areaId: "440402",
      },
      "",
    );
    expect(anonymous.status).toBe(403);
  });
});
