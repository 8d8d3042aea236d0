import { AlreadyExistsError, AreaCode, FieldChecks } from "@civic/domain-kit";
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

const aDate = "must be a date YYYY-MM-DD";
const anOrganisationArea = "must be a district, street or community code";

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
  const checks = new FieldChecks();
  const codeProblem = creditCodeProblem(command.creditCode);
  if (codeProblem) checks.add("creditCode", codeProblem);
  else if (!command.creditCode.startsWith("5"))
    checks.add("creditCode", "a social-work agency is registered with civil affairs: its code starts with 5");
  const name = command.name.trim();
  const registeredOn = dateOrToday(command.registeredOn, now);
  checks
    .text("name", name, { max: 100 })
    .check("areaId", isOrganisationAreaCode(command.areaId), anOrganisationArea)
    .check("registeredOn", registeredOn !== undefined, aDate)
    .throwIfAny();
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

/** A worker affiliated with a community must work in an area that holds it. */
function requireCommunityInArea(affiliation: Affiliation, areaId: string, checks: FieldChecks): void {
  checks.check(
    "affiliation.communityId",
    affiliation.kind !== "community" || AreaCode.covers(areaId, affiliation.communityId),
    `must be a community in the worker's area ${areaId}`,
  );
}

/** The affiliation named by the input; what is wrong with it is added to `checks`. */
function checkedAffiliation(input: AffiliationInput, checks: FieldChecks): Affiliation {
  const kind = input.kind as AffiliationKind;
  if (!affiliationKinds.includes(kind)) {
    checks.oneOf("affiliation.kind", kind, affiliationKinds);
    return { kind: "none", agencyCreditCode: "", communityId: "" };
  }
  if (kind === "agency") {
    const problem = creditCodeProblem(input.agencyCreditCode);
    if (problem) checks.add("affiliation.agencyCreditCode", problem);
  } else
    checks.check("affiliation.agencyCreditCode", input.agencyCreditCode === "", "is only for kind agency");
  if (kind === "community")
    checks.check(
      "affiliation.communityId",
      AreaCode.is(input.communityId, "community"),
      "must be a 12-digit community code",
    );
  else checks.check("affiliation.communityId", input.communityId === "", "is only for kind community");
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
  const name = command.name.trim();
  const licenceLevel = command.licenceLevel as LicenceLevel;
  const licenceNumber = normalisedLicenceNumber(command.licenceNumber);
  const checks = new FieldChecks()
    .text("name", name, { max: 50 })
    .oneOf("licenceLevel", licenceLevel, licenceLevels)
    .check("licenceNumber", licenceNumber !== undefined, "must be 4 to 32 letters, digits or hyphens");
  const affiliation = checkedAffiliation(command.affiliation, checks);
  checks.check("areaId", isOrganisationAreaCode(command.areaId), anOrganisationArea);
  requireCommunityInArea(affiliation, command.areaId, checks);
  const registeredOn = dateOrToday(command.registeredOn, now);
  checks.check("registeredOn", registeredOn !== undefined, aDate).throwIfAny();
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
  const checks = new FieldChecks();
  const affiliation = checkedAffiliation(command.affiliation, checks);
  requireCommunityInArea(affiliation, state.areaId, checks);
  const changedOn = dateOrToday(command.changedOn, now);
  checks.check("changedOn", changedOn !== undefined, aDate).throwIfAny();
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
