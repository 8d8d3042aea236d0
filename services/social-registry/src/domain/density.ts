import { AreaCode } from "@civic/domain-kit";
import type { OrganisationStatus, StatusChange } from "./organisation.js";

/**
 * Density of social organisations and licensed social workers: how many per 10,000
 * residents of an area, and how many community organisations each community has, against
 * configurable targets [Zhuhai: 13.61 organisations per 10k against at least 6.5; 15.8
 * licensed social workers per 10k; the national target of at least 10 community
 * organisations per urban community and 5 per rural one].
 */
export interface DensityTargets {
  /** Organisations (registered or active) per 10,000 residents: at least this. */
  organisationsPer10k: number;
  /** Community organisations per urban community: at least this. */
  perUrbanCommunity: number;
  /** Community organisations per rural community: at least this. */
  perRuralCommunity: number;
  /** Licensed social workers per 10,000 residents: at least this; 0 sets no target. */
  socialWorkersPer10k: number;
}

export const defaultDensityTargets: DensityTargets = {
  organisationsPer10k: 6.5,
  perUrbanCommunity: 10,
  perRuralCommunity: 5,
  socialWorkersPer10k: 0,
};

export const settlements = ["urban", "rural"] as const;
export type Settlement = (typeof settlements)[number];

/**
 * `count` per 10,000 of `population`, rounded half up to 2 decimals; null without residents.
 * Integer arithmetic (count × 1,000,000 divided by population, in hundredths), so 3,514 of
 * 2,581,829 is exactly 13.61, never 13.609999.
 */
export function per10k(count: number, population: number): number | null {
  if (population <= 0) return null;
  const scaled = count * 1_000_000;
  const hundredths = Math.floor(scaled / population);
  const remainder = scaled - hundredths * population;
  return (hundredths + (2 * remainder >= population ? 1 : 0)) / 100;
}

/**
 * The status an organisation had on `date` (YYYY-MM-DD): that of its last change effective
 * on or before it; undefined when it was not yet filed. Changes are recorded in the order
 * of their dates (decideChangeStatus refuses one before the last).
 */
export function statusOn(history: readonly StatusChange[], date: string): OrganisationStatus | undefined {
  let status: OrganisationStatus | undefined;
  for (const change of history) {
    if (change.effectiveOn > date) break;
    status = change.status;
  }
  return status;
}

/** Statuses in which an organisation counts in the per-10,000 figure. */
const countedPer10k: readonly OrganisationStatus[] = ["registered", "active"];
/**
 * Statuses in which an organisation counts as one of its community's organisations: a
 * community organisation exists once filed for record (备案), most are never registered.
 */
const countedInCommunity: readonly OrganisationStatus[] = ["filed", "registered", "active"];

export interface CountedOrganisation {
  areaId: string;
  statusHistory: readonly StatusChange[];
}

export interface CountedWorker {
  registeredOn: string;
}

export interface Community {
  areaId: string;
  name: string;
  settlement: Settlement;
}

export interface Measured {
  count: number;
  per10k: number | null;
  /** null when there is no target. */
  target: number | null;
  /** null when there is no target or no population. */
  meetsTarget: boolean | null;
}

export interface CommunityDensity extends Community {
  communityOrganisations: number;
  target: number;
  meetsTarget: boolean;
}

export interface DensityReport {
  areaId: string;
  asOf: string;
  population: number;
  organisations: Measured;
  socialWorkers: Measured;
  communities: CommunityDensity[];
  communitiesMeetingTarget: number;
}

function measured(count: number, population: number, target: number): Measured {
  const ratio = per10k(count, population);
  const hasTarget = target > 0;
  return {
    count,
    per10k: ratio,
    target: hasTarget ? target : null,
    meetsTarget: hasTarget && ratio !== null ? ratio >= target : null,
  };
}

/** The area's figures on `asOf` from the organisations and workers of the area and below. */
export function densityReport(input: {
  areaId: string;
  asOf: string;
  population: number;
  organisations: readonly CountedOrganisation[];
  workers: readonly CountedWorker[];
  communities: readonly Community[];
  targets: DensityTargets;
}): DensityReport {
  const { asOf, targets } = input;
  const statuses = input.organisations.map((organisation) => ({
    areaId: organisation.areaId,
    status: statusOn(organisation.statusHistory, asOf),
  }));
  const organisations = statuses.filter(
    ({ status }) => status !== undefined && countedPer10k.includes(status),
  ).length;
  const workers = input.workers.filter((worker) => worker.registeredOn <= asOf).length;
  const communities = input.communities.map((community) => {
    const communityOrganisations = statuses.filter(
      ({ areaId, status }) =>
        AreaCode.covers(community.areaId, areaId) &&
        status !== undefined &&
        countedInCommunity.includes(status),
    ).length;
    const target = community.settlement === "rural" ? targets.perRuralCommunity : targets.perUrbanCommunity;
    return { ...community, communityOrganisations, target, meetsTarget: communityOrganisations >= target };
  });
  return {
    areaId: input.areaId,
    asOf,
    population: input.population,
    organisations: measured(organisations, input.population, targets.organisationsPer10k),
    socialWorkers: measured(workers, input.population, targets.socialWorkersPer10k),
    communities,
    communitiesMeetingTarget: communities.filter((community) => community.meetsTarget).length,
  };
}
