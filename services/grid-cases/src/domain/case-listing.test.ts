import { describe, expect, it } from "vitest";
import { caseListCriteriaChecks, caseListScope, scopeIsEmpty } from "./case-listing.js";

const noCriteria = { areaIdPrefix: "", categoryCode: "", statuses: [], caseIds: [] };

describe("which cases a caller may list", () => {
  it("the command centre and platform administrators see every case", () => {
    expect(caseListScope({ subject: "cc-1", roles: ["command_centre"], areas: [] })).toEqual({ kind: "all" });
    expect(caseListScope({ subject: "admin-1", roles: ["platform_admin"], areas: [] })).toEqual({
      kind: "all",
    });
  });

  it("community staff and grid workers see their areas' cases, and what they reported themselves", () => {
    expect(caseListScope({ subject: "cs-1", roles: ["community_staff"], areas: ["440402001", ""] })).toEqual({
      kind: "some",
      areaPrefixes: ["440402001"],
      reportedBy: "cs-1",
    });
    expect(caseListScope({ subject: "gw-1", roles: ["grid_worker"], areas: ["440402001002003"] })).toEqual({
      kind: "some",
      areaPrefixes: ["440402001002003"],
      reportedBy: "gw-1",
    });
  });

  it("department staff see the cases dispatched to their department, not by area", () => {
    expect(
      caseListScope({
        subject: "dept-1",
        roles: ["department_staff"],
        areas: ["440402"],
        department: "water-affairs",
      }),
    ).toEqual({ kind: "some", areaPrefixes: [], departmentId: "water-affairs", reportedBy: "dept-1" });
  });

  it("a resident sees only their own cases; areas in a resident's token give nothing more", () => {
    expect(caseListScope({ subject: "resident-1", roles: ["resident"], areas: ["440402"] })).toEqual({
      kind: "some",
      areaPrefixes: [],
      reportedBy: "resident-1",
    });
  });

  it("the shared public identity has no cases of its own, so it sees none", () => {
    const scope = caseListScope({ subject: "anonymous", roles: ["public"], areas: [] });
    expect(scope).toEqual({ kind: "some", areaPrefixes: [] });
    expect(scopeIsEmpty(scope)).toBe(true);
    expect(scopeIsEmpty(caseListScope({ subject: "resident-1", roles: [], areas: [] }))).toBe(false);
  });
});

describe("list criteria", () => {
  it("accepts no criteria and a full set of valid ones", () => {
    expect(caseListCriteriaChecks(noCriteria).violations).toEqual([]);
    expect(
      caseListCriteriaChecks({
        areaIdPrefix: "440402001",
        categoryCode: "manhole-cover-missing",
        statuses: ["submitted", "closed"],
        submittedFrom: new Date("2026-03-01T00:00:00+08:00"),
        submittedTo: new Date("2026-03-31T23:59:59+08:00"),
        caseIds: ["0193f5a2-0000-7000-8000-000000000000"],
      }).violations,
    ).toEqual([]);
  });

  it("names every bad criterion", () => {
    const fields = caseListCriteriaChecks({
      areaIdPrefix: "4404a2",
      categoryCode: "Not A Code",
      statuses: ["submitted", "lost"],
      submittedFrom: new Date("2026-04-01T00:00:00Z"),
      submittedTo: new Date("2026-03-01T00:00:00Z"),
      caseIds: ["ok", "{$ne: 1}"],
    }).violations.map((violation) => violation.field);
    expect(fields).toEqual(["areaIdPrefix", "categoryCode", "statuses", "submittedTo", "caseIds"]);
  });

  it("refuses more than 100 case ids", () => {
    const caseIds = Array.from({ length: 101 }, (_, index) => `case-${index}`);
    expect(caseListCriteriaChecks({ ...noCriteria, caseIds }).violations).toEqual([
      { field: "caseIds", description: "must name at most 100 cases" },
    ]);
  });
});
