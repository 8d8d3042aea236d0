import { describe, expect, it } from "vitest";
import type { CaseEvent } from "./case.js";
import { withReferralFeedback } from "./case-referral.js";

const actor = {
  by: "w-3",
  at: "2026-03-02T08:00:00.000Z",
  areaId: "440402001002003",
  categoryCode: "road-damage",
};
const origin = { domain: "deliberation", reference: "task-1" };

describe("referral feedback on a referred case's events", () => {
  it("leaves the events of a case nobody referred as they are", () => {
    const event: CaseEvent = {
      type: "case.resolved",
      data: { ...actor, departmentId: "transport", result: "Patched", firstResolution: true },
    };
    expect(withReferralFeedback(undefined, event)).toBe(event);
  });

  it("adds the origin and the task's progress to steps that move it", () => {
    const resolved = withReferralFeedback(origin, {
      type: "case.resolved",
      data: { ...actor, departmentId: "transport", result: "Patched", firstResolution: true },
    });
    expect(resolved.data).toMatchObject({ origin, taskProgress: { percent: 90, note: "resolved: Patched" } });
    const closed = withReferralFeedback(origin, {
      type: "case.closed",
      data: { ...actor, departmentId: "transport", resolvedOnTime: true, wasOverdue: false },
    });
    expect(closed.data).toMatchObject({ taskProgress: { percent: 100, note: "closed" } });
  });

  it("adds only the origin to steps that record something without moving the task", () => {
    const breached = withReferralFeedback(origin, {
      type: "case.sla_breached",
      data: { ...actor, deadline: "resolve", due: "2026-03-05T10:00:00.000Z" },
    });
    expect(breached.data).toMatchObject({ origin });
    expect("taskProgress" in breached.data).toBe(false);
  });
});
