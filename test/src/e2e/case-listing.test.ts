import { initTelemetry } from "@civic/telemetry";
import { beforeAll, describe, expect, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const otherGrid = "440402001002004";

const aCase = (overrides: Record<string, unknown> = {}) => ({
  channel: "app",
  requestType: "complaint",
  categoryCode: "street-vending",
  title: "Stalls block the pavement",
  description: "Vendors occupy the pavement on Lianhua Road every evening.",
  areaId: testGrid,
  reporterName: "Mr Li",
  reporterPhone: "13912345678",
  ...overrides,
});

describe("listing cases and the category catalogue through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) => {
    initTelemetry({ serviceName: "e2e" });
    return startTestPlatform(mongoUri, natsUrl);
  });
  const http = httpClient(() => platform().gatewayUrl);
  const residentA = bearer("resident-a", { roles: ["resident"] });
  const residentB = bearer("resident-b", { roles: ["resident"] });
  const staffOfGrid = bearer("cs-1", { roles: ["community_staff"], areas: [testGrid] });
  const commandCentre = bearer("cc-1", { roles: ["command_centre"] });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
    const admin = bearer("admin-1", { roles: ["platform_admin"] });
    const defined = await http.post(
      "/api/v1/areas",
      { areaId: otherGrid, level: "grid", name: "第四网格", gridSize: "small" },
      admin,
    );
    expect(defined.status).toBe(201);
    const submit = async (name: string, body: unknown, authorization?: string) => {
      const posted = await http.post("/api/v1/cases", body, authorization);
      expect(posted.status).toBe(201);
      ids[name] = posted.body.caseId;
    };
    await submit("aVending", aCase(), residentA);
    await submit("aNoise", aCase({ categoryCode: "noise-nuisance", requestType: "report" }), residentA);
    await submit("aAnonymous", aCase({ anonymous: true, reporterName: "", reporterPhone: "" }), residentA);
    await submit("bOtherGrid", aCase({ areaId: otherGrid }), residentB);
    await submit("public", aCase());
  });

  const listedIds = async (query: string, authorization?: string) => {
    const listed = await http.get(`/api/v1/cases${query}`, authorization);
    expect(listed.status).toBe(200);
    return (listed.body.cases as { caseId: string }[]).map((found) => found.caseId);
  };

  it("shows a resident their own cases but never their anonymous one, nor others'", async () => {
    expect(await listedIds("", residentA)).toEqual([ids.aVending, ids.aNoise]);
    expect(await listedIds("", residentB)).toEqual([ids.bOtherGrid]);
    expect(await listedIds("")).toEqual([]);
  });

  it("shows community staff the cases of their grid only, anonymous ones included", async () => {
    expect(await listedIds("", staffOfGrid)).toEqual([ids.aVending, ids.aNoise, ids.aAnonymous, ids.public]);
  });

  it("shows the command centre every case, phones masked, filtered and paged", async () => {
    const all = await http.get("/api/v1/cases", commandCentre);
    expect(all.body.cases).toHaveLength(5);
    expect(all.body.cases[0]).toMatchObject({ reporterPhone: "139****5678", status: "submitted" });
    expect(await listedIds(`?areaIdPrefix=${otherGrid}`, commandCentre)).toEqual([ids.bOtherGrid]);
    expect(await listedIds("?categoryCode=noise-nuisance", commandCentre)).toEqual([ids.aNoise]);
    expect(await listedIds("?statuses=closed&statuses=rejected", commandCentre)).toEqual([]);
    expect(await listedIds(`?caseIds=${ids.aNoise}&caseIds=${ids.public}`, commandCentre)).toEqual([
      ids.aNoise,
      ids.public,
    ]);
    expect(await listedIds("?submittedTo=2020-01-01T00:00:00%2B08:00", commandCentre)).toEqual([]);
    const from = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
    expect(await listedIds(`?submittedFrom=${from}`, commandCentre)).toHaveLength(5);

    const first = await http.get("/api/v1/cases?pageSize=2", commandCentre);
    expect(first.body.cases).toHaveLength(2);
    const second = await http.get(
      `/api/v1/cases?pageSize=2&pageToken=${first.body.nextPageToken}`,
      commandCentre,
    );
    expect(second.body.cases.map((found: { caseId: string }) => found.caseId)).toEqual([
      ids.aAnonymous,
      ids.bOtherGrid,
    ]);
  });

  it("shows department staff the cases dispatched to their department", async () => {
    const dispatcher = bearer("cc-2", { roles: ["command_centre"], areas: ["440402"] });
    const step = async (body: unknown, authorization: string) =>
      expect((await http.post(`/api/v1/cases/${ids.aNoise}/transitions`, body, authorization)).status).toBe(
        200,
      );
    await step({ accept: {} }, staffOfGrid);
    await step({ dispatch: { departmentId: "water-affairs" } }, dispatcher);
    const water = bearer("dept-1", { roles: ["department_staff"], department: "water-affairs" });
    const urban = bearer("dept-2", { roles: ["department_staff"], department: "urban-management" });
    expect(await listedIds("", water)).toEqual([ids.aNoise]);
    expect(await listedIds("", urban)).toEqual([]);
    expect(await listedIds("?statuses=dispatched", commandCentre)).toEqual([ids.aNoise]);
  });

  it("answers bad criteria with 400 naming the fields", async () => {
    const bad = await http.get(
      "/api/v1/cases?statuses=lost&submittedFrom=yesterday&colour=red",
      commandCentre,
    );
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain("application/problem+json");
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "colour",
      "statuses.0",
      "submittedFrom",
    ]);
    const reversed = await http.get(
      "/api/v1/cases?submittedFrom=2026-04-01T00:00:00Z&submittedTo=2026-03-01T00:00:00Z",
      commandCentre,
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors).toEqual([
      { field: "submittedTo", detail: "must not be before submittedFrom" },
    ]);
    expect((await http.get("/api/v1/cases?pageSize=500", commandCentre)).status).toBe(400);
  });

  it("lists the category catalogue to anyone, a page at a time", async () => {
    const first = await http.get("/api/v1/case-categories?pageSize=20");
    expect(first.status).toBe(200);
    expect(first.body.categories).toHaveLength(20);
    expect(first.body.categories[0]).toEqual({
      code: "animal-nuisance",
      name: "动物伤人隐患 Dangerous animal",
      requestType: "report",
      urgency: "urgent",
      defaultDepartmentId: "agriculture-rural",
    });
    const rest = await http.get(`/api/v1/case-categories?pageToken=${first.body.nextPageToken}`);
    expect(rest.body.categories).toHaveLength(8);
    expect(rest.body).not.toHaveProperty("nextPageToken");
  });
});
