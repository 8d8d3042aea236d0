import type { CloudEvent } from "@civic/event-log";
import { describe, expect, it } from "vitest";
import { solveRate } from "../domain/liaison-statistics.js";
import { liaisonStatisticsProjection } from "./liaison-statistics-projection.js";

const projection = liaisonStatisticsProjection("CIVIC_PARTY_BUILDING", "civic.party-building");
let sequence = 0;
const event = (type: string, data: Record<string, unknown>): CloudEvent => ({
  specversion: "1.0",
  id: `e-${sequence++}`,
  source: "civic/party-building",
  type: `civic.party-building.${type}`,
  subject: `x-${sequence}`,
  time: "2026-03-02T01:00:00Z",
  datacontenttype: "application/json",
  data: { areaId: "440402001005", ...data },
  stream: `x-${sequence}`,
  streamversion: 1,
});

describe("liaison statistics projection", () => {
  it("reproduces the seed: 2,515 received, 18,156 visited, 511 collected, 461 solved = 90.2%", () => {
    const events = [
      ...[500, 500, 500, 500, 515].map((households) =>
        event("visit.logged", { kind: "reception", households }),
      ),
      ...[1_800, 1_800, 1_800, 1_800, 1_800, 1_800, 1_800, 1_800, 1_800, 1_956].map((households) =>
        event("visit.logged", { kind: "household_visit", households }),
      ),
      ...Array.from({ length: 511 }, () => event("visit.problem_collected", {})),
      ...Array.from({ length: 461 }, () => event("problem.solved", {})),
    ];
    const byKey = new Map<string, ReturnType<typeof projection.initialState>>();
    for (const each of events) {
      for (const key of projection.keysOf?.(each) ?? []) {
        byKey.set(key, projection.apply(byKey.get(key) ?? projection.initialState(), each, key));
      }
    }
    const community = byKey.get("440402001005");
    expect(community).toEqual({
      receptions: 5,
      householdsReceived: 2_515,
      householdVisits: 10,
      householdsVisited: 18_156,
      problemsCollected: 511,
      problemsSolved: 461,
    });
    expect(community && solveRate(community)).toBe(90.2);
    expect([...byKey.keys()]).toEqual(["all", "440402", "440402001", "440402001005"]);
    expect(projection.filterSubjects).toEqual([
      "civic.party-building.visit.logged",
      "civic.party-building.visit.problem_collected",
      "civic.party-building.problem.solved",
    ]);
  });
});
