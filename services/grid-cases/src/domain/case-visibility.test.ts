import { describe, expect, it } from "vitest";
import {
  evolveCase,
  initialCaseState,
  mayReadCaseInFull,
  type OpenCase,
  withoutPersonalDetails,
} from "./case.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./case-categories.js";
import { decideSubmitCase } from "./submit-case.js";

const nancunGrid = "440402001002003";
const reported = (submittedBy: string): OpenCase =>
  evolveCase(
    initialCaseState(),
    decideSubmitCase(
      {
        caseId: "c-1",
        channel: "app",
        requestType: "complaint",
        categoryCode: "sewage-discharge",
        title: "Sewage in the street",
        description: "My neighbour at No. 3 pours waste oil into the drain",
        areaId: nancunGrid,
        address: "Jida Road 3",
        reporterName: "王女士",
        reporterPhone: "13812345678",
        anonymous: false,
        submittedBy,
        submittedAt: new Date("2026-03-02T02:00:00Z"),
      },
      initialCaseState(),
      new CaseCategoryCatalogue(defaultCaseCategories),
      (plain) => `sealed(${plain})`,
    ),
  ) as OpenCase;

const caller = (subject: string, roles: string[], areas: string[] = [], department?: string) => ({
  subject,
  roles,
  areas,
  ...(department ? { department } : {}),
});

describe("who reads a case in full", () => {
  const state = { ...reported("resident-wang"), departmentId: "water-affairs" };

  it("lets the reporter, the command centre, staff of its area and its department read it", () => {
    expect(mayReadCaseInFull(state, caller("resident-wang", ["resident"]))).toBe(true);
    expect(mayReadCaseInFull(state, caller("cc-1", ["command_centre"]))).toBe(true);
    expect(mayReadCaseInFull(state, caller("admin", ["platform_admin"]))).toBe(true);
    expect(mayReadCaseInFull(state, caller("cs-1", ["community_staff"], ["440402001002"]))).toBe(true);
    // A city's code (440400, Zhuhai) covers its districts' codes (440402...).
    expect(mayReadCaseInFull(state, caller("cs-city", ["community_staff"], ["440400"]))).toBe(true);
    expect(mayReadCaseInFull(state, caller("gw-1", ["grid_worker"], [nancunGrid]))).toBe(true);
    expect(mayReadCaseInFull(state, caller("d-1", ["department_staff"], [], "water-affairs"))).toBe(true);
  });

  it("refuses other residents, staff of another community and other departments", () => {
    expect(mayReadCaseInFull(state, caller("resident-li", ["resident"]))).toBe(false);
    expect(mayReadCaseInFull(state, caller("cs-2", ["community_staff"], ["440402001003"]))).toBe(false);
    expect(mayReadCaseInFull(state, caller("d-2", ["department_staff"], [], "urban-management"))).toBe(false);
    expect(mayReadCaseInFull(state, caller("v-1", ["volunteer"], ["440402001002"]))).toBe(false);
  });

  it("does not treat every anonymous caller as the reporter of an anonymous submission", () => {
    expect(mayReadCaseInFull(reported("anonymous"), caller("anonymous", []))).toBe(false);
  });

  it("lets a department summoned by the whistle read the case", () => {
    const summoned = {
      ...state,
      whistle: {
        reason: "drain blocked again",
        reportBy: "2026-03-03T02:00:00Z",
        reports: [{ departmentId: "urban-management", acknowledgedAt: "", arrivedAt: "" }],
        escalated: false,
      },
    };
    expect(mayReadCaseInFull(summoned, caller("d-2", ["department_staff"], [], "urban-management"))).toBe(
      true,
    );
  });
});

describe("a case without personal details", () => {
  it("keeps where the case stands and drops what the resident wrote and who acted", () => {
    const shown = withoutPersonalDetails({
      ...reported("resident-wang"),
      result: "Drain cleared; the restaurant owner Mr Chen was warned",
    });
    expect(shown).toMatchObject({
      caseId: "c-1",
      status: "submitted",
      categoryCode: "sewage-discharge",
      title: "Sewage in the street",
      areaId: nancunGrid,
      description: "",
      address: "",
      reporterName: "",
      reporterPhoneMasked: "",
      reporterPhoneSealed: "",
      submittedBy: "",
      result: "",
    });
    expect(shown.timeline).toEqual([
      { type: "case.submitted", at: "2026-03-02T02:00:00.000Z", by: "", note: "" },
    ]);
    expect(JSON.stringify(shown)).not.toContain("neighbour");
  });
});
