import {
  AreaCode,
  type AreaLevel,
  type Caller,
  chinaDate,
  FieldChecks,
  hasAnyRole,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";
import type { CaseEvent } from "./case.js";
import { type CaseCounters, type CaseRates, caseRates } from "./case-statistics.js";
import { staffingRatios } from "./community-staffing.js";

/**
 * The community scorecard (年终一次性考核): per district, street and community and per year,
 * figures that projections of every service's events keep (keys below), and rates computed
 * on reading from those counts and the area's population.
 */

export const scorecardLevels = ["district", "street", "community"] as const satisfies readonly AreaLevel[];

/** The year of an event in China time ("2026"). */
export const scorecardYearOf = (time: string | Date): string =>
  chinaDate(typeof time === "string" ? new Date(time) : time).slice(0, 4);

/** The district, street and community an area code belongs to (itself included). */
export function scorecardAreasOf(areaId: string): string[] {
  const level = AreaCode.level(areaId);
  if (level === undefined || level === "city") return [];
  return [...AreaCode.ancestors(areaId), areaId].filter((code) => isScorecardLevel(AreaCode.level(code)));
}

const isScorecardLevel = (level: AreaLevel | undefined): boolean =>
  scorecardLevels.some((candidate) => candidate === level);

/** Keys of a yearly projection: "<area>@<year>" for each scorecard area of `areaId`. */
export const yearlyKeysOf = (areaId: unknown, time: string): string[] =>
  typeof areaId === "string" ? scorecardAreasOf(areaId).map((area) => yearlyKey(area, time)) : [];

export const yearlyKey = (area: string, time: string) => `${area}@${scorecardYearOf(time)}`;

/** Keys of a stock projection (counts that carry over from year to year): the areas alone. */
export const stockKeysOf = (areaId: unknown): string[] =>
  typeof areaId === "string" ? scorecardAreasOf(areaId) : [];

// --- liaison problems (party-building) ---

export interface LiaisonCounters {
  problemsCollected: number;
  problemsSolved: number;
}

export const emptyLiaisonCounters = (): LiaisonCounters => ({ problemsCollected: 0, problemsSolved: 0 });

/** `type` relative to party-building's subject prefix: visit.problem_collected, problem.solved. */
export function countLiaisonEvent(counters: LiaisonCounters, type: string): LiaisonCounters {
  if (type === "visit.problem_collected")
    return { ...counters, problemsCollected: counters.problemsCollected + 1 };
  if (type === "problem.solved") return { ...counters, problemsSolved: counters.problemsSolved + 1 };
  return counters;
}

// --- social organisations and social workers (social-registry), by year registered ---

export interface RegistryCounters {
  organisationsByYear: Record<string, number>;
  socialWorkersByYear: Record<string, number>;
}

export const emptyRegistryCounters = (): RegistryCounters => ({
  organisationsByYear: {},
  socialWorkersByYear: {},
});

const plusOne = (byYear: Record<string, number>, year: string) => ({
  ...byYear,
  [year]: (byYear[year] ?? 0) + 1,
});

/** organisation.registered and worker.registered, counted in the year of the event. */
export function countRegistryEvent(counters: RegistryCounters, type: string, time: string): RegistryCounters {
  const year = scorecardYearOf(time);
  if (type === "organisation.registered")
    return { ...counters, organisationsByYear: plusOne(counters.organisationsByYear, year) };
  if (type === "worker.registered")
    return { ...counters, socialWorkersByYear: plusOne(counters.socialWorkersByYear, year) };
  return counters;
}

const upTo = (byYear: Record<string, number>, year: number) =>
  Object.entries(byYear).reduce((sum, [at, count]) => (Number(at) <= year ? sum + count : sum), 0);

// --- volunteer hours (volunteer-stations) ---

export interface VolunteerCounters {
  approvedMinutes: number;
}

export const emptyVolunteerCounters = (): VolunteerCounters => ({ approvedMinutes: 0 });

/** hours.approved adds its minutes; hours.corrected of an approved record takes them back (pending again). */
export function countVolunteerEvent(
  counters: VolunteerCounters,
  type: string,
  data: Record<string, unknown>,
): VolunteerCounters {
  const whole = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : 0);
  if (type === "hours.approved") return { approvedMinutes: counters.approvedMinutes + whole(data.minutes) };
  if (type === "hours.corrected" && data.wasApproved === true)
    return { approvedMinutes: counters.approvedMinutes - whole(data.previousMinutes) };
  return counters;
}

// --- maintenance funds (deliberation) ---

export interface FundCounters {
  depositedFen: number;
  withdrawnFen: number;
  withdrawals: number;
}

export const emptyFundCounters = (): FundCounters => ({ depositedFen: 0, withdrawnFen: 0, withdrawals: 0 });

export function countFundEvent(
  counters: FundCounters,
  type: string,
  data: Record<string, unknown>,
): FundCounters {
  const amount = typeof data.amountFen === "number" ? data.amountFen : 0;
  if (type === "maintenance_fund.deposited")
    return { ...counters, depositedFen: counters.depositedFen + amount };
  if (type === "maintenance_fund.withdrawn")
    return {
      ...counters,
      withdrawnFen: counters.withdrawnFen + amount,
      withdrawals: counters.withdrawals + 1,
    };
  return counters;
}

// --- happiness funds (deliberation): the community funds' movements, by area and year ---

export interface HappinessFundCounters {
  creditedFen: number;
  /** Allocations less their reversals. */
  allocatedFen: number;
  disbursedFen: number;
}

export const emptyHappinessFundCounters = (): HappinessFundCounters => ({
  creditedFen: 0,
  allocatedFen: 0,
  disbursedFen: 0,
});

/** fund.credited, allocated, reversed and disbursed of community happiness funds; other kinds of fund are not counted. */
export function countHappinessFundEvent(
  counters: HappinessFundCounters,
  type: string,
  data: Record<string, unknown>,
): HappinessFundCounters {
  if (data.fundKind !== "community_happiness_fund") return counters;
  const amount = typeof data.amountFen === "number" ? data.amountFen : 0;
  switch (type) {
    case "fund.credited":
      return { ...counters, creditedFen: counters.creditedFen + amount };
    case "fund.allocated":
      return { ...counters, allocatedFen: counters.allocatedFen + amount };
    case "fund.reversed":
      return { ...counters, allocatedFen: counters.allocatedFen - amount };
    case "fund.disbursed":
      return { ...counters, disbursedFen: counters.disbursedFen + amount };
    default:
      return counters;
  }
}

// --- residential compounds' owners' committees and party branches (party-building) ---

export interface CompoundTallies {
  compounds: number;
  withOwnersCommittee: number;
  withPartyBranch: number;
  /** Serving committees with a covering branch (红色业委会). */
  redCommittees: number;
}

/** Changes of the tallies by the year they happened in: a year's end sums the years up to it. */
export interface CompoundCounters {
  changesByYear: Record<string, CompoundTallies>;
}

export const emptyCompoundCounters = (): CompoundCounters => ({ changesByYear: {} });

const noCompounds = (): CompoundTallies => ({
  compounds: 0,
  withOwnersCommittee: 0,
  withPartyBranch: 0,
  redCommittees: 0,
});

interface CompoundCoverage {
  ownersCommittee: boolean;
  partyBranch: boolean;
  redCommittee: boolean;
}

const isCoverage = (value: unknown): value is CompoundCoverage =>
  typeof value === "object" &&
  value !== null &&
  ["ownersCommittee", "partyBranch", "redCommittee"].every(
    (flag) => typeof (value as Record<string, unknown>)[flag] === "boolean",
  );

/**
 * compound.registered counts a compound; every later change names the compound's coverage
 * before and after it, whose difference moves the tallies (changes stored before events
 * carried it move nothing).
 */
export function countCompoundEvent(
  counters: CompoundCounters,
  type: string,
  data: Record<string, unknown>,
  time: string,
): CompoundCounters {
  const delta = noCompounds();
  if (type === "compound.registered") delta.compounds = 1;
  const coverage = data.coverage as { before?: unknown; after?: unknown } | undefined;
  if (isCoverage(coverage?.before) && isCoverage(coverage?.after)) {
    const { before, after } = coverage as { before: CompoundCoverage; after: CompoundCoverage };
    const change = (flag: keyof CompoundCoverage) => Number(after[flag]) - Number(before[flag]);
    delta.withOwnersCommittee = change("ownersCommittee");
    delta.withPartyBranch = change("partyBranch");
    delta.redCommittees = change("redCommittee");
  }
  if (Object.values(delta).every((count) => count === 0)) return counters;
  const year = scorecardYearOf(time);
  return { changesByYear: { ...counters.changesByYear, [year]: sumOf(counters.changesByYear[year], delta) } };
}

const sumOf = (tallies: CompoundTallies = noCompounds(), delta: CompoundTallies): CompoundTallies => ({
  compounds: tallies.compounds + delta.compounds,
  withOwnersCommittee: tallies.withOwnersCommittee + delta.withOwnersCommittee,
  withPartyBranch: tallies.withPartyBranch + delta.withPartyBranch,
  redCommittees: tallies.redCommittees + delta.redCommittees,
});

/** The tallies at the end of `year`. */
const compoundsAt = (counters: CompoundCounters, year: number): CompoundTallies =>
  Object.entries(counters.changesByYear).reduce(
    (tallies, [at, delta]) => (Number(at) <= year ? sumOf(tallies, delta) : tallies),
    noCompounds(),
  );

// --- community workers (grid-cases' staffing), by the year they started and ended ---

export interface StaffingCounters {
  startedByYear: Record<string, number>;
  endedByYear: Record<string, number>;
}

export const emptyStaffingCounters = (): StaffingCounters => ({ startedByYear: {}, endedByYear: {} });

/** community_staffing.worker_started and worker_ended, counted in the year of the start or end date. */
export function countStaffingEvent(
  counters: StaffingCounters,
  type: string,
  data: Record<string, unknown>,
): StaffingCounters {
  if (type === "community_staffing.worker_started" && typeof data.startDate === "string")
    return { ...counters, startedByYear: plusOne(counters.startedByYear, data.startDate.slice(0, 4)) };
  if (type === "community_staffing.worker_ended" && typeof data.endDate === "string")
    return { ...counters, endedByYear: plusOne(counters.endedByYear, data.endDate.slice(0, 4)) };
  return counters;
}

// --- cases (grid-cases): the case statistics' counting, by area and year ---

/** The area every case event names. */
export const caseAreaOf = (event: CaseEvent): unknown => (event.data as { areaId?: unknown }).areaId;

// --- reading ---

/** A percentage with two decimals, as the seeds report them; null when undefined (x ÷ 0). */
export const percentOf = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;

/** Per 10,000 residents with two decimals; null without a population. */
export const per10k = (count: number, population: number): number | null =>
  population === 0 ? null : Math.round((count / population) * 1_000_000) / 100;

export interface ScorecardInputs {
  area: { areaId: string; name: string; level: string; population: number; households: number };
  year: number;
  cases: CaseCounters;
  liaison: LiaisonCounters;
  registry: RegistryCounters;
  volunteering: VolunteerCounters;
  funds: FundCounters;
  happinessFunds: HappinessFundCounters;
  staffing: StaffingCounters;
  compounds: CompoundCounters;
}

export interface Scorecard {
  areaId: string;
  name: string;
  level: string;
  year: number;
  population: number;
  households: number;
  cases: CaseCounters & CaseRates;
  liaison: LiaisonCounters & { solveRate: number | null };
  socialOrganisations: {
    organisations: number;
    organisationsPer10k: number | null;
    socialWorkers: number;
    socialWorkersPer10k: number | null;
  };
  volunteering: { approvedMinutes: number; hoursPerResident: number | null };
  maintenanceFunds: FundCounters & { useRate: number | null };
  happinessFunds: HappinessFundCounters & { allocationRate: number | null };
  staffing: {
    workers: number;
    workersPer10k: number | null;
    householdsPerWorker: number | null;
  };
  compounds: CompoundTallies & {
    ownersCommitteeRate: number | null;
    partyBranchRate: number | null;
    /** Red committees ÷ serving committees, as party-building's coverage reads it. */
    redCommitteeCoverage: number | null;
  };
}

/** The staffing ratios as the staffing standards compute them, for the area's figures. */
function staffingOf(workers: number, area: ScorecardInputs["area"]): Scorecard["staffing"] {
  const ratios = staffingRatios({ residents: area.population, households: area.households, workers });
  return {
    workers,
    workersPer10k: ratios.workersPer10kResidents,
    householdsPerWorker: ratios.householdsPerWorker,
  };
}

export function scorecardOf(inputs: ScorecardInputs): Scorecard {
  const { area, year } = inputs;
  const organisations = upTo(inputs.registry.organisationsByYear, year);
  const socialWorkers = upTo(inputs.registry.socialWorkersByYear, year);
  const minutes = inputs.volunteering.approvedMinutes;
  // A worker whose end date falls in the year is gone at its end (the staffing rule: active while end > date).
  const workers = upTo(inputs.staffing.startedByYear, year) - upTo(inputs.staffing.endedByYear, year);
  const compounds = compoundsAt(inputs.compounds, year);
  return {
    ...area,
    year,
    cases: { ...inputs.cases, ...caseRates(inputs.cases) },
    liaison: {
      ...inputs.liaison,
      solveRate: percentOf(inputs.liaison.problemsSolved, inputs.liaison.problemsCollected),
    },
    socialOrganisations: {
      organisations,
      organisationsPer10k: per10k(organisations, area.population),
      socialWorkers,
      socialWorkersPer10k: per10k(socialWorkers, area.population),
    },
    volunteering: {
      approvedMinutes: minutes,
      hoursPerResident:
        area.population === 0 ? null : Math.round((minutes / 60 / area.population) * 100) / 100,
    },
    maintenanceFunds: {
      ...inputs.funds,
      useRate: percentOf(inputs.funds.withdrawnFen, inputs.funds.depositedFen),
    },
    happinessFunds: {
      ...inputs.happinessFunds,
      allocationRate: percentOf(inputs.happinessFunds.allocatedFen, inputs.happinessFunds.creditedFen),
    },
    staffing: staffingOf(workers, area),
    compounds: {
      ...compounds,
      ownersCommitteeRate: percentOf(compounds.withOwnersCommittee, compounds.compounds),
      partyBranchRate: percentOf(compounds.withPartyBranch, compounds.compounds),
      redCommitteeCoverage: percentOf(compounds.redCommittees, compounds.withOwnersCommittee),
    },
  };
}

/** Everyone's scorecard: the command centre, evaluators (third-party assessment) and platform admins. */
const seesEveryArea = [roles.commandCentre, roles.evaluator, roles.platformAdmin];
/** Their own areas' scorecards. */
const seesOwnAreas = [
  roles.streetStaff,
  roles.communityStaff,
  roles.gridWorker,
  roles.civilAffairs,
  roles.partyOrganiser,
];

/** Checks the request (every bad field named) and who asks; the caller's areas must cover one not seeing all. */
export function checkScorecardRequest(areaId: string, year: number, caller: Caller): void {
  new FieldChecks()
    .check(
      "areaId",
      isScorecardLevel(AreaCode.level(areaId)),
      "must be a district (6 digits), street (9) or community (12) code",
    )
    .check("year", Number.isInteger(year) && year >= 2000 && year <= 2100, "must be a year from 2000 to 2100")
    .throwIfAny();
  if (hasAnyRole(caller, seesEveryArea)) return;
  if (!hasAnyRole(caller, seesOwnAreas))
    throw new PermissionDeniedError("scorecards are for the command centre, evaluators and area staff");
  if (!AreaCode.anyCovers(caller.areas, areaId))
    throw new PermissionDeniedError(`the scorecard of ${areaId} is outside the caller's areas`);
}
