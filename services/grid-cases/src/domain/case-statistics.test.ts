import { describe, expect, it } from "vitest";
import type { CaseEvent } from "./case.js";
import {
  type CaseCounters,
  caseRates,
  countCaseEvent,
  emptyCounters,
  statisticsKeysOf,
  statisticsSliceFor,
} from "./case-statistics.js";

const facts = {
  by: "x",
  at: "2026-03-02T01:00:00.000Z",
  areaId: "440402001002003",
  categoryCode: "noise-nuisance",
};

const countInAll = (counters: CaseCounters, event: CaseEvent) => countCaseEvent(counters, event, "all");

describe("case statistics", () => {
  it("reproduces the seed: 13,370 collected and 11,871 resolved give 88.79%", () => {
    expect(caseRates({ ...emptyCounters(), collected: 13_370, resolved: 11_871 }).resolutionRate).toBe(88.79);
  });

  it("counts a resolution once even when a reopened case is resolved again", () => {
    const resolved = (firstResolution: boolean): CaseEvent => ({
      type: "case.resolved",
      data: { ...facts, departmentId: "d", result: "done", firstResolution },
    });
    const counters = [resolved(true), resolved(false)].reduce(countInAll, emptyCounters());
    expect(counters.resolved).toBe(1);
  });

  it("keeps overdue open cases in the on-time rate until they close", () => {
    const breach: CaseEvent = {
      type: "case.sla_breached",
      data: { ...facts, deadline: "resolve", due: facts.at },
    };
    const close = (resolvedOnTime: boolean, wasOverdue: boolean): CaseEvent => ({
      type: "case.closed",
      data: { ...facts, departmentId: "d", resolvedOnTime, wasOverdue },
    });
    let counters = [close(true, false), close(true, false), breach].reduce(countInAll, emptyCounters());
    expect(caseRates(counters).onTimeRate).toBe(66.67); // 2 on time ÷ (2 closed + 1 open overdue)
    counters = countInAll(counters, close(false, true));
    expect(counters).toMatchObject({ closed: 3, closedOnTime: 2, openOverdue: 0 });
    expect(caseRates(counters).onTimeRate).toBe(66.67);
  });

  it("satisfaction counts satisfied and basically satisfied visits; no visits is no rate", () => {
    expect(caseRates(emptyCounters())).toEqual({
      resolutionRate: null,
      onTimeRate: null,
      satisfactionRate: null,
    });
    const visit = (satisfaction: "satisfied" | "basically_satisfied" | "dissatisfied"): CaseEvent => ({
      type: "case.return_visited",
      data: { ...facts, satisfaction, comment: "" },
    });
    const counters = [visit("satisfied"), visit("basically_satisfied"), visit("dissatisfied")].reduce(
      countInAll,
      emptyCounters(),
    );
    expect(caseRates(counters).satisfactionRate).toBe(66.67);
  });

  it("counts an event in every slice it belongs to, areas up the tree, days in China's time", () => {
    const event: CaseEvent = {
      type: "case.resolved",
      data: { ...facts, departmentId: "water", result: "ok", firstResolution: true },
    };
    expect(statisticsKeysOf(event, new Date("2026-02-28T17:30:00Z"))).toEqual([
      "all",
      "area:440000",
      "area:440400",
      "area:440402",
      "area:440402001",
      "area:440402001002",
      "area:440402001002003",
      "category:noise-nuisance",
      "department:water",
      "day:2026-03-01",
      "month:2026-03",
    ]);
  });

  it("counts a case filed on a community in its street, district, city and province too", () => {
    const event: CaseEvent = {
      type: "case.submitted",
      data: { ...facts, areaId: "440402001002" },
    } as unknown as CaseEvent;
    expect(
      statisticsKeysOf(event, new Date("2026-03-02T01:00:00Z")).filter((key) => key.startsWith("area:")),
    ).toEqual(["area:440000", "area:440400", "area:440402", "area:440402001", "area:440402001002"]);
  });

  it("a department collects the cases dispatched to it, so its resolution rate is defined", () => {
    const submitted = { type: "case.submitted", data: { ...facts } } as unknown as CaseEvent;
    const dispatched: CaseEvent = { type: "case.dispatched", data: { ...facts, departmentId: "water" } };
    const resolved: CaseEvent = {
      type: "case.resolved",
      data: { ...facts, departmentId: "water", result: "ok", firstResolution: true },
    };
    const count = (sliceKey: string) =>
      [submitted, dispatched, resolved].reduce(
        (counters, event) => countCaseEvent(counters, event, sliceKey),
        emptyCounters(),
      );
    expect(count("department:water")).toMatchObject({ collected: 1, resolved: 1 });
    expect(caseRates(count("department:water")).resolutionRate).toBe(100);
    expect(count("area:440402")).toMatchObject({ collected: 1, resolved: 1 });
  });

  it("a day or month slice names a date that exists, with the field's error otherwise", () => {
    const commandCentre = { subject: "cc-1", roles: ["command_centre"], areas: [] };
    expect(statisticsSliceFor("month", "2026-03", commandCentre).key).toBe("month:2026-03");
    expect(statisticsSliceFor("day", "2026-02-28", commandCentre).key).toBe("day:2026-02-28");
    for (const [scope, value] of [
      ["month", "2026-13"],
      ["day", "2026-02-30"],
      ["day", "2026-3-1"],
      ["area", "440402/001"],
    ]) {
      expect(() => statisticsSliceFor(scope as string, value as string, commandCentre)).toThrow(
        expect.objectContaining({ violations: [{ field: "value", description: `is not a valid ${scope}` }] }),
      );
    }
  });
});
