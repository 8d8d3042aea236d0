import { beforeAll, describe, expect, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { raceOutcome } from "../support/races.js";
import { bearer } from "../support/tokens.js";

interface Category {
  code: string;
  name: string;
  requestType: string;
  urgency: string;
  defaultDepartmentId: string;
}

describe("case categories and routing rules as data, through the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const commandCentre = bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] });
  const communityStaff = bearer("cs-7", { roles: ["community_staff"], areas: ["440402001002"] });

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
  });

  const submit = async (categoryCode: string, requestType = "complaint") => {
    const response = await api.post("/api/v1/cases", {
      channel: "grid_patrol",
      requestType,
      categoryCode,
      title: `A ${categoryCode} case`,
      description: "Seen on the morning patrol",
      areaId: testGrid,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.caseId as string;
  };
  const accept = async (caseId: string) => {
    const response = await api.post(`/api/v1/cases/${caseId}/transitions`, { accept: {} }, communityStaff);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const catalogue = async () => (await api.get("/api/v1/case-category-catalogue")).body;

  it("ships version 1; the command centre publishes a new version, and a case keeps the version it was filed under", async () => {
    const shipped = await catalogue();
    expect(shipped).toMatchObject({ version: 1, publishedBy: "platform" });
    expect(shipped.categories).toHaveLength(28);
    const filedUnderV1 = await submit("street-vending");

    const categories: Category[] = shipped.categories.map((category: Category) =>
      category.code === "street-vending" ? { ...category, urgency: "urgent" } : category,
    );
    categories.push({
      code: "shared-bike-clutter",
      name: "共享单车乱停放 Shared bikes blocking the way",
      requestType: "complaint",
      urgency: "normal",
      defaultDepartmentId: "urban-management",
    });
    const published = await api.put(
      "/api/v1/case-category-catalogue",
      { baseVersion: 1, categories },
      commandCentre,
    );
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ version: 2, publishedBy: "cc-1" });
    expect((await api.get("/api/v1/case-category-catalogue?version=1")).body.categories).toHaveLength(28);
    const listed = await api.get("/api/v1/case-categories?pageSize=200");
    expect(listed.body.categories.map((category: Category) => category.code)).toContain(
      "shared-bike-clutter",
    );

    const filedUnderV2 = await submit("street-vending");
    await submit("shared-bike-clutter");
    // The category became urgent in version 2: only the case filed under it gets the urgent clock.
    expect(await accept(filedUnderV1)).toMatchObject({ categoryVersion: 1, slaPolicy: "standard" });
    expect(await accept(filedUnderV2)).toMatchObject({ categoryVersion: 2, slaPolicy: "urgent" });
  });

  it("refuses callers other than the command centre, and bad catalogues field by field, storing nothing", async () => {
    const current = await catalogue();
    const forbidden = await api.put(
      "/api/v1/case-category-catalogue",
      { baseVersion: current.version, categories: current.categories },
      communityStaff,
    );
    expect(forbidden.status).toBe(403);
    const bad = await api.put(
      "/api/v1/case-category-catalogue",
      {
        baseVersion: current.version,
        categories: [
          current.categories[0],
          { ...current.categories[1], name: " " },
          {
            ...current.categories[2],
            code: current.categories[0].code,
            defaultDepartmentId: "Water Affairs",
          },
        ],
      },
      commandCentre,
    );
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((violation: { field: string }) => violation.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "categories[1].name",
        "categories[2].code",
        "categories[2].defaultDepartmentId",
      ]),
    );
    expect((await catalogue()).version).toBe(current.version);
  });

  it("lets exactly one of concurrent changes from the same version win; the others get 409", async () => {
    const current = await catalogue();
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        api.put(
          "/api/v1/case-category-catalogue",
          {
            baseVersion: current.version,
            categories: current.categories.map((category: Category, index: number) =>
              index === 0 ? { ...category, name: `${category.name} (edit ${n})` } : category,
            ),
          },
          commandCentre,
        ),
      ),
    );
    const outcome = raceOutcome(answers, []);
    expect(outcome).toMatchObject({ won: 1, lost: 3, other: [] });
    expect((await catalogue()).version).toBe(current.version + 1);
  });

  it("dispatches a case on acceptance when a routing rule matches, recording the rule, and leaves it for a dispatcher otherwise", async () => {
    expect((await api.get("/api/v1/routing-rules")).body).toMatchObject({ version: 0, rules: [] });
    const rules = [
      { areaId: "440402001", categoryCode: "sewage-discharge", departmentId: "water-affairs" },
      { areaId: "", categoryCode: "fallen-tree", departmentId: "urban-management" },
    ];
    expect((await api.put("/api/v1/routing-rules", { baseVersion: 0, rules }, communityStaff)).status).toBe(
      403,
    );
    const bad = await api.put(
      "/api/v1/routing-rules",
      {
        baseVersion: 0,
        rules: [
          { areaId: "440402001", categoryCode: "sewage-discharge", departmentId: "fire-brigade" },
          { areaId: "", categoryCode: "", departmentId: "water-affairs" },
          { areaId: "440499", categoryCode: "no-such-category", departmentId: "water-affairs" },
        ],
      },
      commandCentre,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((violation: { field: string }) => violation.field)).toEqual(
      expect.arrayContaining([
        "rules[0].departmentId",
        "rules[1]",
        "rules[2].areaId",
        "rules[2].categoryCode",
      ]),
    );
    expect((await api.get("/api/v1/routing-rules")).body.version).toBe(0);

    const published = await api.put("/api/v1/routing-rules", { baseVersion: 0, rules }, commandCentre);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ version: 1, publishedBy: "cc-1", rules });

    const routed = await accept(await submit("sewage-discharge", "report"));
    expect(routed).toMatchObject({ status: "dispatched", departmentId: "water-affairs" });
    expect(routed.timeline.at(-1)).toMatchObject({
      type: "case.dispatched",
      by: "system:case-router",
      note: "water-affairs (routing rules v1: area 440402001, category sewage-discharge)",
    });

    const waiting = await accept(await submit("road-damage", "report"));
    expect(waiting).toMatchObject({ status: "accepted", departmentId: "" });
    const dispatched = await api.post(
      `/api/v1/cases/${waiting.caseId}/transitions`,
      { dispatch: { departmentId: "urban-management" } },
      commandCentre,
    );
    expect(dispatched.body).toMatchObject({ status: "dispatched", departmentId: "urban-management" });
  });

  it("lets exactly one of concurrent routing-rule changes win", async () => {
    const current = (await api.get("/api/v1/routing-rules")).body;
    const answers = await Promise.all(
      ["water-affairs", "urban-management", "water-affairs"].map((departmentId) =>
        api.put(
          "/api/v1/routing-rules",
          { baseVersion: current.version, rules: [{ areaId: "440402", categoryCode: "", departmentId }] },
          commandCentre,
        ),
      ),
    );
    expect(raceOutcome(answers, [])).toMatchObject({ won: 1, lost: 2, other: [] });
    expect((await api.get("/api/v1/routing-rules")).body.version).toBe(current.version + 1);
  });
});
