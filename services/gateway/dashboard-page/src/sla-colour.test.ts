import { describe, expect, it } from "vitest";
import { countByColour, mostUrgent, type OpenCase, slaColourOf } from "./sla-colour.js";

const now = new Date("2026-12-07T02:00:00Z");
const openCase = (caseId: string, resolveDue?: string, breachedDeadlines: string[] = []): OpenCase => ({
  caseId,
  title: caseId,
  areaId: "440402001002003",
  status: resolveDue ? "dispatched" : "submitted",
  ...(resolveDue ? { resolveDue } : {}),
  breachedDeadlines,
});

describe("the SLA board's colours", () => {
  it("puts a case by the time left to its resolve deadline", () => {
    expect(slaColourOf(openCase("a"), now)).toBe("awaiting_acceptance");
    expect(slaColourOf(openCase("b", "2026-12-07T01:59:59Z"), now)).toBe("overdue");
    expect(slaColourOf(openCase("c", "2026-12-07T02:00:00Z"), now)).toBe("overdue");
    expect(slaColourOf(openCase("d", "2026-12-08T02:00:00Z"), now)).toBe("due_today");
    expect(slaColourOf(openCase("e", "2026-12-08T02:00:01Z"), now)).toBe("due_soon");
    expect(slaColourOf(openCase("f", "2026-12-10T02:00:00Z"), now)).toBe("due_soon");
    expect(slaColourOf(openCase("g", "2026-12-10T02:00:01Z"), now)).toBe("on_track");
  });

  it("counts an urgent case whose contact hour passed as overdue, though its resolve deadline is days away", () => {
    expect(slaColourOf(openCase("h", "2026-12-10T02:00:00Z", ["contact"]), now)).toBe("overdue");
  });

  it("counts every colour and lists passed and nearest deadlines first, unaccepted cases last", () => {
    const cases = [
      openCase("later", "2026-12-20T00:00:00Z"),
      openCase("new"),
      openCase("late", "2026-12-06T00:00:00Z"),
      openCase("soon", "2026-12-07T12:00:00Z"),
    ];
    expect(countByColour(cases, now)).toEqual({
      overdue: 1,
      due_today: 1,
      due_soon: 0,
      on_track: 1,
      awaiting_acceptance: 1,
    });
    expect(mostUrgent(cases, 3).map((each) => each.caseId)).toEqual(["late", "soon", "later"]);
  });
});
