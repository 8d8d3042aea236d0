import { describe, expect, it } from "vitest";
import {
  type CountedOrganisation,
  defaultDensityTargets,
  densityReport,
  per10k,
  statusOn,
} from "./density.js";
import type { OrganisationStatus, StatusChange } from "./organisation.js";

const change = (status: OrganisationStatus, effectiveOn: string): StatusChange => ({
  status,
  effectiveOn,
  reason: "",
  recordedAt: "2026-01-01T00:00:00.000Z",
  recordedBy: "civil-affairs-1",
});
const activeSince2025 = [
  change("filed", "2025-01-10"),
  change("registered", "2025-02-01"),
  change("active", "2025-03-01"),
];
const organisation = (
  areaId: string,
  statusHistory: StatusChange[] = activeSince2025,
): CountedOrganisation => ({
  areaId,
  statusHistory,
});

describe("per 10,000 residents", () => {
  it("reproduces the seed's figures to 2 decimals", () => {
    expect(per10k(136, 100_000)).toBe(13.6);
    expect(per10k(1_361, 1_000_000)).toBe(13.61);
    expect(per10k(1_580, 1_000_000)).toBe(15.8);
    // Zhuhai's 2,581,829 residents: 3,514 organisations give 13.61.
    expect(per10k(3_514, 2_581_829)).toBe(13.61);
    // 2,582 licensed social workers are 15.8 per 10k of 1,634,177 residents.
    expect(per10k(2_582, 1_634_177)).toBe(15.8);
  });

  it("rounds half up and has no figure without residents", () => {
    expect(per10k(1, 80_000)).toBe(0.13);
    expect(per10k(1, 30_000)).toBe(0.33);
    expect(per10k(2, 30_000)).toBe(0.67);
    expect(per10k(0, 5_000)).toBe(0);
    expect(per10k(3, 0)).toBeNull();
  });
});

describe("the status on a date", () => {
  it("is that of the last change effective on or before it", () => {
    expect(statusOn(activeSince2025, "2025-01-09")).toBeUndefined();
    expect(statusOn(activeSince2025, "2025-01-10")).toBe("filed");
    expect(statusOn(activeSince2025, "2025-02-15")).toBe("registered");
    expect(statusOn(activeSince2025, "2026-12-31")).toBe("active");
  });
});

describe("the density report", () => {
  const communities = [
    { areaId: "440402001002", name: "南村社区", settlement: "urban" as const },
    { areaId: "440402001009", name: "山场社区", settlement: "rural" as const },
  ];

  it("counts registered and active organisations per 10k, and filed ones in their community", () => {
    const organisations = [
      ...Array.from({ length: 10 }, () => organisation("440402001002")),
      organisation("440402001009", [change("filed", "2025-06-01")]),
      ...Array.from({ length: 4 }, () => organisation("440402001009", [change("filed", "2025-06-01")])),
      organisation("440402001", [...activeSince2025, change("suspended", "2026-01-01")]),
    ];
    const report = densityReport({
      areaId: "440402001",
      asOf: "2025-12-31",
      population: 20_000,
      organisations,
      workers: [{ registeredOn: "2025-05-01" }, { registeredOn: "2026-01-02" }],
      communities,
      targets: defaultDensityTargets,
    });
    // 11 registered or active on 2025-12-31 (the street's own one is suspended only from 2026).
    expect(report.organisations).toEqual({ count: 11, per10k: 5.5, target: 6.5, meetsTarget: false });
    expect(report.socialWorkers).toEqual({ count: 1, per10k: 0.5, target: null, meetsTarget: null });
    expect(report.communities).toEqual([
      { ...communities[0], communityOrganisations: 10, target: 10, meetsTarget: true },
      { ...communities[1], communityOrganisations: 5, target: 5, meetsTarget: true },
    ]);
    expect(report.communitiesMeetingTarget).toBe(2);

    const later = densityReport({
      areaId: "440402001",
      asOf: "2026-06-30",
      population: 20_000,
      organisations,
      workers: [{ registeredOn: "2025-05-01" }, { registeredOn: "2026-01-02" }],
      communities,
      targets: { ...defaultDensityTargets, organisationsPer10k: 5, socialWorkersPer10k: 1 },
    });
    expect(later.organisations).toEqual({ count: 10, per10k: 5, target: 5, meetsTarget: true });
    expect(later.socialWorkers).toEqual({ count: 2, per10k: 1, target: 1, meetsTarget: true });
  });

  it("has no ratio and no verdict for an area without residents", () => {
    const report = densityReport({
      areaId: "440402001",
      asOf: "2026-06-30",
      population: 0,
      organisations: [organisation("440402001002")],
      workers: [],
      communities: [],
      targets: defaultDensityTargets,
    });
    expect(report.organisations).toEqual({ count: 1, per10k: null, target: 6.5, meetsTarget: null });
  });
});
