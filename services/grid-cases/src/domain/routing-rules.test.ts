import { AlreadyExistsError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { type CaseState, evolveCase, initialCaseState } from "./case.js";
import {
  decideAutoDispatch,
  decidePublishRoutingRules,
  matchRoutingRule,
  type RoutingRule,
} from "./routing-rules.js";

const rules: RoutingRule[] = [
  { areaId: "440402", categoryCode: "", departmentId: "community-affairs" },
  { areaId: "440402001002", categoryCode: "", departmentId: "nancun-office" },
  { areaId: "", categoryCode: "road-damage", departmentId: "transport" },
  { areaId: "440402", categoryCode: "sewage-discharge", departmentId: "water-affairs" },
  { areaId: "440402001", categoryCode: "sewage-discharge", departmentId: "gongbei-water" },
];
const grid = "440402001002003";

describe("routing rules", () => {
  it("picks the deepest area's rule for the category, then the category's default, then the deepest area's default", () => {
    expect(matchRoutingRule(rules, grid, "sewage-discharge")?.departmentId).toBe("gongbei-water");
    expect(matchRoutingRule(rules, "440402002001", "sewage-discharge")?.departmentId).toBe("water-affairs");
    expect(matchRoutingRule(rules, grid, "road-damage")?.departmentId).toBe("transport");
    expect(matchRoutingRule(rules, grid, "noise-nuisance")?.departmentId).toBe("nancun-office");
    expect(matchRoutingRule(rules, "440402002001", "noise-nuisance")?.departmentId).toBe("community-affairs");
    expect(matchRoutingRule(rules, "440403001", "noise-nuisance")).toBeUndefined();
  });

  const everythingExists = {
    areaExists: () => true,
    categoryExists: () => true,
    departmentExists: () => true,
  };
  const at = new Date("2026-03-02T01:00:00Z");

  it("refuses a rule set field by field: empty rules, unknown references, repeated keys", () => {
    const refusal = () =>
      decidePublishRoutingRules(
        { status: "none" },
        {
          version: 1,
          rules: [
            { areaId: "", categoryCode: "", departmentId: "water-affairs" },
            { areaId: "44x", categoryCode: "road-damage", departmentId: "transport" },
            { areaId: "440402", categoryCode: "road-damage", departmentId: "Transport" },
            { areaId: "440402", categoryCode: "road-damage", departmentId: "transport" },
          ],
          by: "cc-1",
          at,
        },
        { ...everythingExists, departmentExists: (id) => id !== "transport" },
      );
    expect(refusal).toThrow(InvalidArgumentError);
    try {
      refusal();
    } catch (error) {
      expect((error as InvalidArgumentError).violations.map((violation) => violation.field)).toEqual([
        "rules[0]",
        "rules[1].areaId",
        "rules[1].departmentId",
        "rules[2].departmentId",
        "rules[3].departmentId",
        "rules[3]",
      ]);
    }
  });

  it("publishes a version once", () => {
    const event = decidePublishRoutingRules(
      { status: "none" },
      { version: 2, rules, by: "cc-1", at },
      everythingExists,
    );
    expect(event.data).toMatchObject({ version: 2, publishedBy: "cc-1", rules });
    expect(() =>
      decidePublishRoutingRules(
        { ...event.data, status: "published" },
        { version: 2, rules, by: "cc-2", at },
        everythingExists,
      ),
    ).toThrow(AlreadyExistsError);
  });

  it("dispatches only a case that is accepted and not yet dispatched, naming the rule", () => {
    let state: CaseState = evolveCase(initialCaseState(), {
      type: "case.submitted",
      data: {
        caseId: "c-1",
        channel: "app",
        requestType: "report",
        categoryCode: "sewage-discharge",
        categoryVersion: 1,
        title: "Sewage",
        description: "Sewage in the lane",
        areaId: grid,
        address: "",
        reporterName: "",
        anonymous: true,
        reporterPhoneMasked: "",
        reporterPhoneSealed: "",
        submittedBy: "anonymous",
        submittedAt: at.toISOString(),
      },
    });
    expect(decideAutoDispatch(state, { version: 3, rules }, at)).toBeUndefined();
    const actor = { by: "cs-1", at: at.toISOString(), areaId: grid, categoryCode: "sewage-discharge" };
    state = evolveCase(state, {
      type: "case.accepted",
      data: { ...actor, deadlines: { policy: "urgent", resolve: "2026-03-05T16:00:00Z" } },
    });
    expect(decideAutoDispatch(state, undefined, at)).toBeUndefined();
    expect(decideAutoDispatch(state, { version: 3, rules: [] }, at)).toBeUndefined();
    const dispatched = decideAutoDispatch(state, { version: 3, rules }, at);
    expect(dispatched).toMatchObject({
      type: "case.dispatched",
      data: {
        by: "system:case-router",
        departmentId: "gongbei-water",
        routingRule: { version: 3, areaId: "440402001", categoryCode: "sewage-discharge" },
      },
    });
    state = evolveCase(state, dispatched as never);
    expect(state).toMatchObject({ status: "dispatched", routedBy: { version: 3 } });
    expect(decideAutoDispatch(state, { version: 3, rules }, at)).toBeUndefined();
  });
});
