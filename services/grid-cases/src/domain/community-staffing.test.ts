import { describe, expect, it } from "vitest";
import {
  activeWorkers,
  assessStaffing,
  decideReassessment,
  defaultStaffingThresholds as t,
  workerQuota,
} from "./community-staffing.js";

describe("community staffing standards", () => {
  it("moves the quota from 6 to 8 with residents, households, land and economy", () => {
    const small = { residents: 9_000, households: 3_150, workers: 0 };
    const large = { residents: 28_000, households: 9_800, workers: 0 };
    expect(workerQuota(small, { areaKm2: 1, economy: "average" }, t)).toBe(6);
    expect(workerQuota(small, { areaKm2: 1, economy: "developing" }, t)).toBe(6);
    expect(workerQuota(large, { areaKm2: 1, economy: "average" }, t)).toBe(8);
    expect(workerQuota(small, { areaKm2: 4, economy: "developed" }, t)).toBe(8);
    expect(workerQuota(large, { areaKm2: 4, economy: "developed" }, t)).toBe(8);
  });

  it("checks each standard: residents, households per worker, workers per 10,000, quota", () => {
    expect(assessStaffing({ residents: 32_000, households: 11_000, workers: 60 }, 8, t).breaches).toEqual([
      "residents_per_community",
    ]);
    // Dongguan's worst: one worker per 2,000 residents.
    expect(assessStaffing({ residents: 10_000, households: 3_500, workers: 5 }, 6, t)).toMatchObject({
      householdsPerWorker: 700,
      workersPer10kResidents: 5,
      breaches: ["households_per_worker", "workers_per_10k_residents", "worker_quota"],
    });
    expect(assessStaffing({ residents: 0, households: 0, workers: 6 }, 6, t).breaches).toEqual([]);
    expect(
      assessStaffing({ residents: 60_000, households: 20_000, workers: 120 }, 12, t, 2).breaches,
    ).toEqual([]);
  });

  it("counts workers from their start to the day before their end", () => {
    const workers = [
      { personId: "a", name: "A", startDate: "2026-01-05", endDate: "" },
      { personId: "b", name: "B", startDate: "2026-01-05", endDate: "2026-06-01" },
      { personId: "c", name: "C", startDate: "2026-07-01", endDate: "" },
    ];
    expect(activeWorkers(workers, "2026-05-31").map((worker) => worker.personId)).toEqual(["a", "b"]);
    expect(activeWorkers(workers, "2026-06-01").map((worker) => worker.personId)).toEqual(["a"]);
  });

  it("records an assessment only when the broken standards change", () => {
    const now = new Date("2026-03-02T01:00:00Z");
    const kept = {
      status: "kept" as const,
      communityId: "440402001002",
      workers: [],
      profile: { areaKm2: 0, economy: "average" as const },
      breaches: ["worker_quota" as const],
      flagged: true,
      assessedAt: "",
    };
    const same = assessStaffing({ residents: 0, households: 0, workers: 5 }, 6, t);
    expect(decideReassessment(kept, kept.communityId, same, now)).toBeUndefined();
    const worse = assessStaffing({ residents: 10_000, households: 0, workers: 5 }, 6, t);
    expect(decideReassessment(kept, kept.communityId, worse, now)).toMatchObject({
      type: "community_staffing.standard_broken",
      data: { newlyBroken: ["workers_per_10k_residents"], restored: [] },
    });
    const mended = assessStaffing({ residents: 0, households: 0, workers: 6 }, 6, t);
    expect(decideReassessment(kept, kept.communityId, mended, now)).toMatchObject({
      type: "community_staffing.standards_restored",
      data: { restored: ["worker_quota"], breaches: [] },
    });
  });
});
