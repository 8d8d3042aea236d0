import { AlreadyExistsError, AreaCode, InvalidArgumentError } from "@civic/domain-kit";
import { isOrganisationAreaCode } from "./area-code.js";
import { dateOrToday } from "./calendar-date.js";
import { creditCodeProblem } from "./credit-code.js";

/** Licence levels of the national social-work qualification (社会工作者职业资格). */
export const licenceLevels = ["assistant_social_worker", "social_worker", "senior_social_worker"] as const;
export type LicenceLevel = (typeof licenceLevels)[number];

/** Where a licensed social worker works: a social-work agency, a community (its staff), or neither. */
export const affiliationKinds = ["agency", "community", "none"] as const;
export type AffiliationKind = (typeof affiliationKinds)[number];

export interface Affiliation {
  kind: AffiliationKind;
  /** The agency's credit code when kind is agency, else "". */
  agencyCreditCode: string;
  /** The community's 12-digit code when kind is community, else "". */
  communityId: string;
}

interface Stamp {
  by: string;
  at: string;
}

type Violation = { field: string; description: string };
const oneOf = (values: readonly string[]) => `must be one of ${values.join(", ")}`;

// Social-work agencies (社工机构) -------------------------------------------------------

export interface SocialWorkAgency {
  status: "registered";
  creditCode: string;
  name: string;
  areaId: string;
  registeredOn: string;
}

export type AgencyState = { status: "none" } | SocialWorkAgency;

export type AgencyEvent = {
  type: "agency.registered";
  data: { creditCode: string; name: string; areaId: string; registeredOn: string } & Stamp;
};

export const initialAgencyState = (): AgencyState => ({ status: "none" });

export function evolveAgency(_state: AgencyState, event: AgencyEvent): AgencyState {
  const { creditCode, name, areaId, registeredOn } = event.data;
  return { status: "registered", creditCode, name, areaId, registeredOn };
}

export interface RegisterAgency {
  creditCode: string;
  name: string;
  areaId: string;
  registeredOn: string;
}

/**
 * A social-work agency is a social organisation registered with civil affairs, so its code
 * is checked in full (credit-code.ts) and must start with 5.
 */
export function decideRegisterAgency(
  command: RegisterAgency,
  state: AgencyState,
  actor: { subject: string },
  now: Date,
): AgencyEvent {
  const violations: Violation[] = [];
  const codeProblem = creditCodeProblem(command.creditCode);
  if (codeProblem) violations.push({ field: "creditCode", description: codeProblem });
  else if (!command.creditCode.startsWith("5"))
    violations.push({
      field: "creditCode",
      description: "a social-work agency is registered with civil affairs: its code starts with 5",
    });
  const name = command.name.trim();
  if (name === "" || [...name].length > 100)
    violations.push({ field: "name", description: "must be 1 to 100 characters" });
  if (!isOrganisationAreaCode(command.areaId))
    violations.push({ field: "areaId", description: "must be a district, street or community code" });
  const registeredOn = dateOrToday(command.registeredOn, now);
  if (registeredOn === undefined)
    violations.push({ field: "registeredOn", description: "must be a date YYYY-MM-DD" });
  if (violations.length > 0) throw new InvalidArgumentError(violations);
  if (state.status !== "none") {
    throw new AlreadyExistsError(
      `a social-work agency with credit code ${command.creditCode} is already registered`,
      "CREDIT_CODE_TAKEN",
    );
  }
  return {
    type: "agency.registered",
    data: {
      creditCode: command.creditCode,
      name,
      areaId: command.areaId,
      registeredOn: registeredOn as string,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

// Licensed social workers (持证社会工作者) ------------------------------------------------

export interface SocialWorker {
  status: "registered";
  workerId: string;
  name: string;
  licenceLevel: LicenceLevel;
  licenceNumber: string;
  affiliation: Affiliation;
  areaId: string;
  /** The date from which the worker counts in the area's figures. */
  registeredOn: string;
}

export type SocialWorkerState = { status: "none" } | SocialWorker;

export type SocialWorkerEvent =
  | {
      type: "worker.registered";
      data: Omit<SocialWorker, "status"> & Stamp;
    }
  | {
      type: "worker.affiliation_changed";
      data: { workerId: string; from: Affiliation; to: Affiliation; changedOn: string } & Stamp;
    };

export const initialSocialWorkerState = (): SocialWorkerState => ({ status: "none" });

export function evolveSocialWorker(state: SocialWorkerState, event: SocialWorkerEvent): SocialWorkerState {
  if (event.type === "worker.registered") {
    const { by: _by, at: _at, ...worker } = event.data;
    return { status: "registered", ...worker };
  }
  if (state.status === "none") return state;
  return { ...state, affiliation: event.data.to };
}

/**
 * Licence numbers as the certificates print them, upper-cased: letters, digits and hyphens,
 * 4 to 32 characters. Undefined when it is not one.
 */
export function normalisedLicenceNumber(value: string): string | undefined {
  const number = value.trim().toUpperCase();
  return /^[0-9A-Z][0-9A-Z-]{3,31}$/.test(number) ? number : undefined;
}

export interface AffiliationInput {
  kind: string;
  agencyCreditCode: string;
  communityId: string;
}

/** The affiliation named by the input, or the violations that make it none. */
/** A worker affiliated with a community must work in an area that holds it. */
function requireCommunityInArea(affiliation: Affiliation, areaId: string, violations: Violation[]): void {
  if (affiliation.kind === "community" && !AreaCode.covers(areaId, affiliation.communityId))
    violations.push({
      field: "affiliation.communityId",
      description: `must be a community in the worker's area ${areaId}`,
    });
}

function checkedAffiliation(input: AffiliationInput, violations: Violation[]): Affiliation {
  const kind = input.kind as AffiliationKind;
  if (!affiliationKinds.includes(kind)) {
    violations.push({ field: "affiliation.kind", description: oneOf(affiliationKinds) });
    return { kind: "none", agencyCreditCode: "", communityId: "" };
  }
  if (kind === "agency") {
    const problem = creditCodeProblem(input.agencyCreditCode);
    if (problem) violations.push({ field: "affiliation.agencyCreditCode", description: problem });
  } else if (input.agencyCreditCode !== "")
    violations.push({ field: "affiliation.agencyCreditCode", description: "is only for kind agency" });
  if (kind === "community") {
    if (!AreaCode.is(input.communityId, "community"))
      violations.push({ field: "affiliation.communityId", description: "must be a 12-digit community code" });
  } else if (input.communityId !== "")
    violations.push({ field: "affiliation.communityId", description: "is only for kind community" });
  return {
    kind,
    agencyCreditCode: kind === "agency" ? input.agencyCreditCode : "",
    communityId: kind === "community" ? input.communityId : "",
  };
}

export interface RegisterSocialWorker {
  workerId: string;
  name: string;
  licenceLevel: string;
  licenceNumber: string;
  affiliation: AffiliationInput;
  areaId: string;
  registeredOn: string;
}

/** Validates a registration; the app layer derives `workerId` from the licence number first. */
export function decideRegisterSocialWorker(
  command: RegisterSocialWorker,
  state: SocialWorkerState,
  actor: { subject: string },
  now: Date,
): SocialWorkerEvent {
  const violations: Violation[] = [];
  const name = command.name.trim();
  if (name === "" || [...name].length > 50)
    violations.push({ field: "name", description: "must be 1 to 50 characters" });
  const licenceLevel = command.licenceLevel as LicenceLevel;
  if (!licenceLevels.includes(licenceLevel))
    violations.push({ field: "licenceLevel", description: oneOf(licenceLevels) });
  const licenceNumber = normalisedLicenceNumber(command.licenceNumber);
  if (licenceNumber === undefined)
    violations.push({
      field: "licenceNumber",
      description: "must be 4 to 32 letters, digits or hyphens",
    });
  const affiliation = checkedAffiliation(command.affiliation, violations);
  if (!isOrganisationAreaCode(command.areaId))
    violations.push({ field: "areaId", description: "must be a district, street or community code" });
  requireCommunityInArea(affiliation, command.areaId, violations);
  const registeredOn = dateOrToday(command.registeredOn, now);
  if (registeredOn === undefined)
    violations.push({ field: "registeredOn", description: "must be a date YYYY-MM-DD" });
  if (violations.length > 0) throw new InvalidArgumentError(violations);
  if (state.status !== "none") throw licenceTaken(licenceNumber as string);
  return {
    type: "worker.registered",
    data: {
      workerId: command.workerId,
      name,
      licenceLevel,
      licenceNumber: licenceNumber as string,
      affiliation,
      areaId: command.areaId,
      registeredOn: registeredOn as string,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export const licenceTaken = (licenceNumber: string) =>
  new AlreadyExistsError(`licence number ${licenceNumber} is already registered`, "LICENCE_NUMBER_TAKEN");

const sameAffiliation = (a: Affiliation, b: Affiliation) =>
  a.kind === b.kind && a.agencyCreditCode === b.agencyCreditCode && a.communityId === b.communityId;

/** Undefined when the worker already has that affiliation: nothing to record. */
export function decideChangeAffiliation(
  command: { affiliation: AffiliationInput; changedOn: string },
  state: SocialWorker,
  actor: { subject: string },
  now: Date,
): SocialWorkerEvent | undefined {
  const violations: Violation[] = [];
  const affiliation = checkedAffiliation(command.affiliation, violations);
  requireCommunityInArea(affiliation, state.areaId, violations);
  const changedOn = dateOrToday(command.changedOn, now);
  if (changedOn === undefined)
    violations.push({ field: "changedOn", description: "must be a date YYYY-MM-DD" });
  if (violations.length > 0) throw new InvalidArgumentError(violations);
  if (sameAffiliation(state.affiliation, affiliation)) return undefined;
  return {
    type: "worker.affiliation_changed",
    data: {
      workerId: state.workerId,
      from: state.affiliation,
      to: affiliation,
      changedOn: changedOn as string,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export interface SocialWorkerCounts {
  total: number;
  byLevel: Record<LicenceLevel, number>;
  byAffiliation: Record<AffiliationKind, number>;
  byLevelAndAffiliation: { licenceLevel: LicenceLevel; affiliationKind: AffiliationKind; count: number }[];
}

/** Counts workers by licence level and affiliation kind; every combination appears, also at 0. */
export function countSocialWorkers(
  workers: readonly Pick<SocialWorker, "licenceLevel" | "affiliation">[],
): SocialWorkerCounts {
  const zeroLevels = () => Object.fromEntries(licenceLevels.map((level) => [level, 0]));
  const byLevel = zeroLevels() as Record<LicenceLevel, number>;
  const byAffiliation = Object.fromEntries(affiliationKinds.map((kind) => [kind, 0])) as Record<
    AffiliationKind,
    number
  >;
  const cells = new Map<string, number>();
  for (const worker of workers) {
    byLevel[worker.licenceLevel] += 1;
    byAffiliation[worker.affiliation.kind] += 1;
    const cell = `${worker.licenceLevel}/${worker.affiliation.kind}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  return {
    total: workers.length,
    byLevel,
    byAffiliation,
    byLevelAndAffiliation: licenceLevels.flatMap((licenceLevel) =>
      affiliationKinds.map((affiliationKind) => ({
        licenceLevel,
        affiliationKind,
        count: cells.get(`${licenceLevel}/${affiliationKind}`) ?? 0,
      })),
    ),
  };
}
