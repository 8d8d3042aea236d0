import { testGrid } from "../support/geography.js";

/** The case every intake benchmark submits: a hotline noise complaint in the test grid. */
export const noiseComplaint = {
  channel: "hotline_12345",
  requestType: "complaint",
  categoryCode: "noise-nuisance",
  title: "Construction noise after 22:00",
  description: "Pile driving at the site next to building 3 every night this week.",
  areaId: testGrid,
  address: "Building 3, Lianhua Road",
};

/** The value below which `fraction` of `sorted` (ascending) lies. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}
