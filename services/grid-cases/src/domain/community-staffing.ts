import { AreaCode, FieldChecks, isCalendarDate, NotFoundError } from "@civic/domain-kit";

/**
 * A community's staff (社区工作者) and what the staffing standards say of it (seeds 000, 004):
 * stream `community_staffing-<community code>`. Workers are kept with their start and end
 * dates; the community's residents and households are the area tree's figures.
 */
export interface CommunityWorker {
  personId: string;
  name: string;
  /** Local dates "YYYY-MM-DD"; endDate is "" while the worker stays. */
  startDate: string;
  endDate: string;
}

export const economyLevels = ["developing", "average", "developed"] as const;
export type EconomyLevel = (typeof economyLevels)[number];

/** What the dynamic quota reads besides the area's figures. */
export interface CommunityProfile {
  /** Land area in square kilometres. */
  areaKm2: number;
  economy: EconomyLevel;
}

export const staffingStandards = [
  "residents_per_community",
  "households_per_worker",
  "workers_per_10k_residents",
  "worker_quota",
] as const;
export type StaffingStandard = (typeof staffingStandards)[number];

/** The standards' figures; the seeds' by default, configurable. */
export interface StaffingThresholds {
  maxResidentsPerCommunity: number;
  maxHouseholdsPerWorker: number;
  minWorkersPer10kResidents: number;
  minQuota: number;
  maxQuota: number;
  /** Each of these reached adds one worker to the quota, from minQuota up to maxQuota. */
  quotaStepResidents: number;
  quotaStepHouseholds: number;
  quotaStepAreaKm2: number;
}

export const defaultStaffingThresholds: StaffingThresholds = {
  maxResidentsPerCommunity: 30_000,
  maxHouseholdsPerWorker: 400,
  minWorkersPer10kResidents: 18,
  minQuota: 6,
  maxQuota: 8,
  quotaStepResidents: 15_000,
  quotaStepHouseholds: 5_000,
  quotaStepAreaKm2: 3,
};

export const defaultCommunityProfile: CommunityProfile = { areaKm2: 0, economy: "average" };

export interface StaffingFigures {
  residents: number;
  households: number;
  workers: number;
}

export interface StaffingAssessment extends StaffingFigures {
  /** null when there are households but no worker, or no households. */
  householdsPerWorker: number | null;
  /** null when there are no residents. */
  workersPer10kResidents: number | null;
  quota: number;
  breaches: StaffingStandard[];
}

/**
 * The dynamic quota (编制): minQuota, plus one for each of: residents at least
 * quotaStepResidents, households at least quotaStepHouseholds, land at least quotaStepAreaKm2,
 * a developed economy; minus one for a developing economy; kept within minQuota..maxQuota
 * [seed 000: Tangjiawan's 5–7 became 6–8 per community].
 */
export function workerQuota(
  figures: StaffingFigures,
  profile: CommunityProfile,
  t: StaffingThresholds,
): number {
  const steps =
    Number(figures.residents >= t.quotaStepResidents) +
    Number(figures.households >= t.quotaStepHouseholds) +
    Number(profile.areaKm2 >= t.quotaStepAreaKm2) +
    (profile.economy === "developed" ? 1 : profile.economy === "developing" ? -1 : 0);
  return Math.min(t.maxQuota, Math.max(t.minQuota, t.minQuota + steps));
}

const rounded = (value: number) => Math.round(value * 100) / 100;

/** Households per worker and workers per 10,000 residents, two decimals; null where undefined. */
export function staffingRatios({ residents, households, workers }: StaffingFigures) {
  return {
    householdsPerWorker: workers > 0 ? rounded(households / workers) : null,
    workersPer10kResidents: residents > 0 ? rounded((workers * 10_000) / residents) : null,
  };
}

/** Checks figures (of a community, or summed over a street's) against the standards. */
export function assessStaffing(
  figures: StaffingFigures,
  quota: number,
  t: StaffingThresholds,
  communities = 1,
): StaffingAssessment {
  const { residents, households, workers } = figures;
  const { householdsPerWorker, workersPer10kResidents } = staffingRatios(figures);
  const breaches: StaffingStandard[] = [];
  if (residents > t.maxResidentsPerCommunity * communities) breaches.push("residents_per_community");
  if (households > 0 && (householdsPerWorker === null || householdsPerWorker > t.maxHouseholdsPerWorker))
    breaches.push("households_per_worker");
  if (workersPer10kResidents !== null && workersPer10kResidents < t.minWorkersPer10kResidents)
    breaches.push("workers_per_10k_residents");
  if (workers < quota) breaches.push("worker_quota");
  return { ...figures, householdsPerWorker, workersPer10kResidents, quota, breaches };
}

/** Workers on the payroll on `date`: started by then and not yet gone. */
export const activeWorkers = (workers: CommunityWorker[], date: string) =>
  workers.filter((worker) => worker.startDate <= date && (worker.endDate === "" || worker.endDate > date));

interface Stamp {
  communityId: string;
  by: string;
  at: string;
}

export type CommunityStaffingEvent =
  | { type: "community_staffing.worker_started"; data: Stamp & CommunityWorker }
  | { type: "community_staffing.worker_ended"; data: Stamp & { personId: string; endDate: string } }
  | { type: "community_staffing.profile_set"; data: Stamp & CommunityProfile }
  | {
      type: "community_staffing.standard_broken" | "community_staffing.standards_restored";
      /** `newlyBroken` (standard_broken) or `restored` tell what changed; `breaches` is every standard broken now. */
      data: Stamp & {
        newlyBroken: StaffingStandard[];
        restored: StaffingStandard[];
        breaches: StaffingStandard[];
        assessment: StaffingAssessment;
      };
    };

export interface CommunityStaffing {
  status: "kept";
  communityId: string;
  workers: CommunityWorker[];
  profile: CommunityProfile;
  /** The standards broken at the last assessment; the listing of flagged communities reads it. */
  breaches: StaffingStandard[];
  /** Whether any standard is broken: what the listing of flagged communities filters on. */
  flagged: boolean;
  assessedAt: string;
}

export type CommunityStaffingState = { status: "none" } | CommunityStaffing;

export const initialCommunityStaffingState = (): CommunityStaffingState => ({ status: "none" });

export function evolveCommunityStaffing(
  state: CommunityStaffingState,
  event: CommunityStaffingEvent,
): CommunityStaffingState {
  const current: CommunityStaffing =
    state.status === "kept"
      ? state
      : {
          status: "kept",
          communityId: event.data.communityId,
          workers: [],
          profile: defaultCommunityProfile,
          breaches: [],
          flagged: false,
          assessedAt: "",
        };
  switch (event.type) {
    case "community_staffing.worker_started": {
      const { personId, name, startDate, endDate } = event.data;
      return { ...current, workers: [...current.workers, { personId, name, startDate, endDate }] };
    }
    case "community_staffing.worker_ended":
      return {
        ...current,
        workers: current.workers.map((worker) =>
          worker.personId === event.data.personId && worker.endDate === ""
            ? { ...worker, endDate: event.data.endDate }
            : worker,
        ),
      };
    case "community_staffing.profile_set":
      return { ...current, profile: { areaKm2: event.data.areaKm2, economy: event.data.economy } };
    default:
      return {
        ...current,
        breaches: event.data.breaches,
        flagged: event.data.breaches.length > 0,
        assessedAt: event.data.at,
      };
  }
}

export type StaffingCommand =
  | { kind: "start_worker"; personId: string; name: string; startDate: string }
  | { kind: "end_worker"; personId: string; endDate: string }
  | { kind: "set_profile"; areaKm2: number; economy: string };

/** Records a worker's start or end, or the community's profile. */
export function decideStaffingChange(
  state: CommunityStaffingState,
  communityId: string,
  command: StaffingCommand,
  actor: { subject: string },
  now: Date,
): CommunityStaffingEvent {
  const checks = new FieldChecks();
  const stamp = { communityId, by: actor.subject, at: now.toISOString() };
  const workers = state.status === "kept" ? state.workers : [];
  switch (command.kind) {
    case "start_worker": {
      checks
        .identifier("personId", command.personId)
        .text("name", command.name, { max: 50 })
        .check("startDate", isCalendarDate(command.startDate), "must be a date YYYY-MM-DD");
      checks.check(
        "personId",
        !workers.some((worker) => worker.personId === command.personId && worker.endDate === ""),
        `${command.personId} already works in ${communityId}`,
      );
      checks.throwIfAny();
      return {
        type: "community_staffing.worker_started",
        data: {
          ...stamp,
          personId: command.personId,
          name: command.name.trim(),
          startDate: command.startDate,
          endDate: "",
        },
      };
    }
    case "end_worker": {
      const worker = workers.find(
        (candidate) => candidate.personId === command.personId && candidate.endDate === "",
      );
      checks.check("endDate", isCalendarDate(command.endDate), "must be a date YYYY-MM-DD");
      checks.throwIfAny();
      if (!worker) throw new NotFoundError(`worker of ${communityId}`, command.personId);
      checks.check(
        "endDate",
        command.endDate >= worker.startDate,
        `must not be before the start ${worker.startDate}`,
      );
      checks.throwIfAny();
      return {
        type: "community_staffing.worker_ended",
        data: { ...stamp, personId: command.personId, endDate: command.endDate },
      };
    }
    case "set_profile":
      checks
        .check(
          "areaKm2",
          Number.isFinite(command.areaKm2) && command.areaKm2 >= 0 && command.areaKm2 <= 10_000,
          "must be 0 to 10,000 square kilometres",
        )
        .oneOf("economy", command.economy, economyLevels);
      checks.throwIfAny();
      return {
        type: "community_staffing.profile_set",
        data: { ...stamp, areaKm2: command.areaKm2, economy: command.economy as EconomyLevel },
      };
  }
}

/**
 * After a change (of staff, profile or the area's figures): an event when the set of broken
 * standards changed, standard_broken when one is newly broken; undefined when nothing changed.
 */
export function decideReassessment(
  state: CommunityStaffingState,
  communityId: string,
  assessment: StaffingAssessment,
  now: Date,
): CommunityStaffingEvent | undefined {
  const before = state.status === "kept" ? state.breaches : [];
  const newlyBroken = assessment.breaches.filter((standard) => !before.includes(standard));
  const restored = before.filter((standard) => !assessment.breaches.includes(standard));
  if (newlyBroken.length === 0 && restored.length === 0) return undefined;
  return {
    type:
      newlyBroken.length > 0 ? "community_staffing.standard_broken" : "community_staffing.standards_restored",
    data: {
      communityId,
      by: "system:staffing-standards",
      at: now.toISOString(),
      newlyBroken,
      restored,
      breaches: assessment.breaches,
      assessment,
    },
  };
}

export const isCommunityCode = (code: string) => AreaCode.is(code, "community");
