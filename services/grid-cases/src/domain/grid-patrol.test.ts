import { FailedPreconditionError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  decideRecordPatrol,
  decideSetPatrolPlan,
  evolvePatrolPlan,
  initialPatrolPlanState,
  patrolCoverage,
} from "./grid-patrol.js";

const at = new Date("2026-11-03T02:00:00Z");
const plan = evolvePatrolPlan(
  initialPatrolPlanState(),
  decideSetPatrolPlan({
    gridId: "440402001002003",
    frequencies: [
      { subject: "fire_safety", perMonth: 4 },
      { subject: "food_safety", perMonth: 2 },
    ],
    by: "cs-1",
    at,
  }),
);
const record = (overrides: Partial<Parameters<typeof decideRecordPatrol>[0]> = {}) =>
  decideRecordPatrol({ ...recordInput(), ...overrides }, plan);

describe("grid patrols", () => {
  it("refuses a plan with an unknown or repeated subject or a frequency out of range", () => {
    expect(() =>
      decideSetPatrolPlan({
        gridId: "g",
        frequencies: [
          { subject: "fire_safety", perMonth: 0 },
          { subject: "fire_safety", perMonth: 2 },
          { subject: "karaoke", perMonth: 1 },
        ],
        by: "cs-1",
        at,
      }),
    ).toThrow(InvalidArgumentError);
  });

  it("counts a patrol in its China-time month", () => {
    // 01:00 on 1 November in Beijing is still 31 October in UTC.
    const event = record();
    expect(event.type === "patrol.recorded" && event.data.period).toBe("2026-11");
  });

  it("needs a plan, subjects of it, findings of the patrol's subjects and a time that has passed", () => {
    expect(() => decideRecordPatrol({ ...recordInput(), gridId: "x" }, initialPatrolPlanState())).toThrow(
      FailedPreconditionError,
    );
    expect(() => record({ subjects: ["emergency"] })).toThrow(InvalidArgumentError);
    expect(() => record({ patrolledAt: new Date("2026-11-04T00:00:00Z") })).toThrow(InvalidArgumentError);
    expect(() =>
      record({ findings: [{ subject: "food_safety", categoryCode: "c", description: "d", address: "" }] }),
    ).toThrow(InvalidArgumentError);
  });

  it("covers each subject up to its plan", () => {
    const coverage = patrolCoverage(plan, [
      { subjects: ["fire_safety", "food_safety"] },
      ...Array.from({ length: 5 }, () => ({ subjects: ["fire_safety" as const] })),
    ]);
    expect(coverage.subjects).toEqual([
      { subject: "fire_safety", planned: 4, done: 6 },
      { subject: "food_safety", planned: 2, done: 1 },
    ]);
    expect(coverage.coveragePercent).toBe(83.3);
    expect(patrolCoverage(initialPatrolPlanState(), []).coveragePercent).toBeNull();
  });
});

function recordInput() {
  return {
    patrolId: "p-1",
    gridId: "440402001002003",
    subjects: ["fire_safety"],
    patrolledAt: new Date("2026-10-31T17:00:00Z"),
    notes: "",
    findings: [],
    by: "gw-1",
    at,
  };
}
