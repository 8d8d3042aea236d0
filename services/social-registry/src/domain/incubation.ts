import {
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
  isCalendarDate,
} from "@civic/domain-kit";
import { isOrganisationAreaCode } from "./area-code.js";
import { pastDate } from "./calendar-date.js";
import { creditCodeProblem } from "./credit-code.js";
import type { OrganisationState } from "./organisation.js";

/**
 * Incubation (孵化) of social organisations: an incubator (孵化基地), run by an operator
 * organisation, takes organisations in cohorts; each organisation goes
 *
 *   applied ──start──▶ incubating ──graduate──▶ graduated (outcome: registered or filed)
 *      └──────────────withdraw──────┴──────────▶ withdrawn
 *
 * and is in one cohort at a time: the incubation of an organisation is one event stream
 * (incubation-<credit code>), so of concurrent entries only the one that takes the next
 * version commits; the others, decided again, find it in a cohort.
 */

interface Stamp {
  by: string;
  at: string;
}

// IncubationDesk ---------------------------------------------------------------------------

export interface Incubator {
  status: "open";
  incubatorId: string;
  name: string;
  areaId: string;
  operatorCreditCode: string;
}

export type IncubatorState = { status: "none" } | Incubator;

export type IncubatorEvent = {
  type: "incubator.opened";
  data: { incubatorId: string; name: string; areaId: string; operatorCreditCode: string } & Stamp;
};

export const initialIncubatorState = (): IncubatorState => ({ status: "none" });

export function evolveIncubator(_state: IncubatorState, event: IncubatorEvent): IncubatorState {
  const { by: _by, at: _at, ...incubator } = event.data;
  return { status: "open", ...incubator };
}

export interface OpenIncubator {
  incubatorId: string;
  name: string;
  areaId: string;
  operatorCreditCode: string;
}

/** `operator` is the operator's state in the register (checked once the input is valid). */
export function decideOpenIncubator(
  command: OpenIncubator,
  operator: OrganisationState,
  actor: { subject: string },
  now: Date,
): IncubatorEvent {
  const name = command.name.trim();
  const codeProblem = creditCodeProblem(command.operatorCreditCode);
  const checks = new FieldChecks()
    .text("name", name, { max: 100 })
    .check("areaId", isOrganisationAreaCode(command.areaId), "must be a district, street or community code");
  if (codeProblem) checks.add("operatorCreditCode", codeProblem);
  checks.throwIfAny();
  requireOperating(operator, command.operatorCreditCode, "operate an incubator");
  return {
    type: "incubator.opened",
    data: {
      incubatorId: command.incubatorId,
      name,
      areaId: command.areaId,
      operatorCreditCode: command.operatorCreditCode,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** Organisations that exist as such: filed, registered or active. */
function requireOperating(state: OrganisationState, creditCode: string, doing: string): void {
  if (state.status === "none") {
    throw new FailedPreconditionError(
      `no organisation with credit code ${creditCode} is in the register`,
      "UNKNOWN_ORGANISATION",
    );
  }
  if (!["filed", "registered", "active"].includes(state.status)) {
    throw new FailedPreconditionError(
      `an organisation that is ${state.status} cannot ${doing}`,
      "ORGANISATION_NOT_OPERATING",
    );
  }
}

// Cohorts ------------------------------------------------------------------------------

export interface Cohort {
  status: "open";
  cohortId: string;
  incubatorId: string;
  areaId: string;
  name: string;
  startsOn: string;
  endsOn: string;
}

export type CohortState = { status: "none" } | Cohort;

export type CohortEvent = {
  type: "cohort.opened";
  data: Omit<Cohort, "status"> & Stamp;
};

export const initialCohortState = (): CohortState => ({ status: "none" });

export function evolveCohort(_state: CohortState, event: CohortEvent): CohortState {
  const { by: _by, at: _at, ...cohort } = event.data;
  return { status: "open", ...cohort };
}

export function decideOpenCohort(
  command: { cohortId: string; name: string; startsOn: string; endsOn: string },
  incubator: Incubator,
  actor: { subject: string },
  now: Date,
): CohortEvent {
  const name = command.name.trim();
  const checks = new FieldChecks()
    .text("name", name, { max: 100 })
    .check("startsOn", isCalendarDate(command.startsOn), "must be a date YYYY-MM-DD");
  if (!isCalendarDate(command.endsOn)) checks.add("endsOn", "must be a date YYYY-MM-DD");
  else if (command.endsOn < command.startsOn) checks.add("endsOn", "must not be before startsOn");
  checks.throwIfAny();
  return {
    type: "cohort.opened",
    data: {
      cohortId: command.cohortId,
      incubatorId: incubator.incubatorId,
      areaId: incubator.areaId,
      name,
      startsOn: command.startsOn,
      endsOn: command.endsOn,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

// An organisation's incubation ---------------------------------------------------------

export const incubationStages = ["applied", "incubating", "graduated", "withdrawn"] as const;
export type IncubationStage = (typeof incubationStages)[number];

/** What graduation led to: registration with civil affairs, or filing for record (备案). */
export const graduationOutcomes = ["registered", "filed"] as const;
export type GraduationOutcome = (typeof graduationOutcomes)[number];

export interface Enrolment {
  cohortId: string;
  incubatorId: string;
  stage: IncubationStage;
  appliedOn: string;
  /** "" until it starts. */
  incubatingSince: string;
  /** The graduation or withdrawal date; "" before. */
  endedOn: string;
  /** "" unless graduated. */
  outcome: GraduationOutcome | "";
  /** Why it withdrew; "" otherwise. */
  reason: string;
}

export interface Incubation {
  status: "known";
  creditCode: string;
  /** The area of the latest cohort's incubator. */
  areaId: string;
  /** The latest enrolment's cohort and stage (what lists filter on). */
  cohortId: string;
  stage: IncubationStage;
  enrolments: Enrolment[];
}

export type IncubationState = { status: "none" } | Incubation;

export type IncubationEvent =
  | {
      type: "incubation.applied";
      data: {
        creditCode: string;
        cohortId: string;
        incubatorId: string;
        areaId: string;
        appliedOn: string;
      } & Stamp;
    }
  | { type: "incubation.started"; data: { creditCode: string; cohortId: string; startedOn: string } & Stamp }
  | {
      type: "incubation.graduated";
      data: {
        creditCode: string;
        cohortId: string;
        graduatedOn: string;
        outcome: GraduationOutcome;
      } & Stamp;
    }
  | {
      type: "incubation.withdrawn";
      data: { creditCode: string; cohortId: string; withdrawnOn: string; reason: string } & Stamp;
    };

export const initialIncubationState = (): IncubationState => ({ status: "none" });

export function evolveIncubation(state: IncubationState, event: IncubationEvent): IncubationState {
  if (event.type === "incubation.applied") {
    const { creditCode, cohortId, incubatorId, areaId, appliedOn } = event.data;
    const enrolment: Enrolment = {
      cohortId,
      incubatorId,
      stage: "applied",
      appliedOn,
      incubatingSince: "",
      endedOn: "",
      outcome: "",
      reason: "",
    };
    const earlier = state.status === "none" ? [] : state.enrolments;
    return {
      status: "known",
      creditCode,
      areaId,
      cohortId,
      stage: "applied",
      enrolments: [...earlier, enrolment],
    };
  }
  if (state.status === "none") return state;
  const update = (change: Partial<Enrolment> & { stage: IncubationStage }): Incubation => ({
    ...state,
    stage: change.stage,
    enrolments: state.enrolments.map((enrolment, index) =>
      index === state.enrolments.length - 1 ? { ...enrolment, ...change } : enrolment,
    ),
  });
  switch (event.type) {
    case "incubation.started":
      return update({ stage: "incubating", incubatingSince: event.data.startedOn });
    case "incubation.graduated":
      return update({ stage: "graduated", endedOn: event.data.graduatedOn, outcome: event.data.outcome });
    case "incubation.withdrawn":
      return update({ stage: "withdrawn", endedOn: event.data.withdrawnOn, reason: event.data.reason });
  }
}

const inCohort = (state: IncubationState): state is Incubation =>
  state.status === "known" && (state.stage === "applied" || state.stage === "incubating");

export function decideEnterCohort(
  command: { creditCode: string; appliedOn: string },
  cohort: Cohort,
  organisation: OrganisationState,
  state: IncubationState,
  actor: { subject: string },
  now: Date,
): IncubationEvent {
  const checks = new FieldChecks();
  const codeProblem = creditCodeProblem(command.creditCode);
  if (codeProblem) checks.add("organisationCreditCode", codeProblem);
  const appliedOn = pastDate(command.appliedOn, "appliedOn", now, checks);
  checks
    .check(
      "appliedOn",
      appliedOn === "" || appliedOn <= cohort.endsOn,
      `must not be after the cohort ends, ${cohort.endsOn}`,
    )
    .throwIfAny();
  requireOperating(organisation, command.creditCode, "enter an incubator");
  if (inCohort(state)) {
    throw new FailedPreconditionError(
      `${command.creditCode} is already ${state.stage} in cohort ${state.cohortId}: one cohort at a time`,
      "ALREADY_IN_COHORT",
    );
  }
  return {
    type: "incubation.applied",
    data: {
      creditCode: command.creditCode,
      cohortId: cohort.cohortId,
      incubatorId: cohort.incubatorId,
      areaId: cohort.areaId,
      appliedOn,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export const stageActions = ["start", "graduate", "withdraw"] as const;
export type StageAction = (typeof stageActions)[number];

/** Each action: the stages it applies to. */
const stageTransitions: Record<StageAction, readonly IncubationStage[]> = {
  start: ["applied"],
  graduate: ["incubating"],
  withdraw: ["applied", "incubating"],
};

export interface ChangeStage {
  action: string;
  on: string;
  outcome: string;
  reason: string;
}

export function decideChangeStage(
  command: ChangeStage,
  state: Incubation,
  actor: { subject: string },
  now: Date,
): IncubationEvent {
  const action = command.action as StageAction;
  const checks = new FieldChecks().oneOf("action", action, stageActions);
  const on = pastDate(command.on, "on", now, checks);
  if (action === "graduate") checks.oneOf("outcome", command.outcome, graduationOutcomes);
  else checks.check("outcome", command.outcome === "", "is only for graduate");
  const reason = command.reason.trim();
  if (action === "withdraw" && reason === "") checks.add("reason", "is required to withdraw");
  checks.check("reason", [...reason].length <= 500, "must be at most 500 characters").throwIfAny();
  if (!stageTransitions[action].includes(state.stage)) {
    throw new FailedPreconditionError(
      `cannot ${action} an incubation that is ${state.stage} (only when ${stageTransitions[action].join(" or ")})`,
      "ILLEGAL_STAGE_TRANSITION",
    );
  }
  const current = state.enrolments.at(-1) as Enrolment;
  const since = current.incubatingSince || current.appliedOn;
  if (on < since)
    throw new InvalidArgumentError([{ field: "on", description: `must not be before ${since}` }]);
  const stamp = {
    creditCode: state.creditCode,
    cohortId: state.cohortId,
    by: actor.subject,
    at: now.toISOString(),
  };
  switch (action) {
    case "start":
      return { type: "incubation.started", data: { ...stamp, startedOn: on } };
    case "graduate":
      return {
        type: "incubation.graduated",
        data: { ...stamp, graduatedOn: on, outcome: command.outcome as GraduationOutcome },
      };
    case "withdraw":
      return { type: "incubation.withdrawn", data: { ...stamp, withdrawnOn: on, reason } };
  }
}
