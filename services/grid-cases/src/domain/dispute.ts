import {
  AreaCode,
  type Caller,
  chinaDate,
  FailedPreconditionError,
  FieldChecks,
  hasAnyRole,
  isCalendarDate,
  NotFoundError,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";
import type { CaseState } from "./case.js";

/**
 * Dispute mediation (矛盾纠纷化解): a case about a dispute is mediated by grid workers,
 * building heads, red owners' committees, party members and people's mediators. The
 * mediation record is its own aggregate with the case's id: the parties, the mediators, the
 * sessions held, the outcome (an agreement with its terms, or a failure, possibly referred to
 * a court or another body), and a follow-up visit after an agreement.
 */
export const partyRoles = ["applicant", "respondent"] as const;
export type PartyRole = (typeof partyRoles)[number];

export const mediatorKinds = [
  "grid_worker",
  "building_head",
  "red_owners_committee",
  "party_member",
  "peoples_mediator",
] as const;
export type MediatorKind = (typeof mediatorKinds)[number];

export const mediationOutcomes = ["agreement", "failure"] as const;
export type MediationOutcome = (typeof mediationOutcomes)[number];

/** Where a dispute that mediation could not settle is sent. */
export const referralBodies = ["court", "peoples_mediation_committee", "other"] as const;
export type ReferralBody = (typeof referralBodies)[number];

/**
 * A case is a dispute when its category's code ends in "-dispute" (neighbour-dispute in the
 * default catalogue), so a catalogue that adds a kind of dispute needs no code change.
 */
export const isDisputeCategory = (categoryCode: string): boolean => categoryCode.endsWith("-dispute");

export interface DisputeParty {
  name: string;
  role: PartyRole;
}

export interface Mediator {
  /** The person's id (a grid worker's or party member's subject, a building head's id). */
  mediatorId: string;
  name: string;
  kind: MediatorKind;
}

export interface MediationSession {
  /** "1", "2", … in the order recorded. */
  sessionId: string;
  /** The day it was held, YYYY-MM-DD (China). */
  heldOn: string;
  place: string;
  summary: string;
  recordedBy: string;
  recordedAt: string;
}

export interface DisputeReferral {
  body: ReferralBody;
  /** The court or body by name; required for "other". */
  name: string;
}

export interface DisputeOutcomeRecord {
  outcome: MediationOutcome;
  /** What the parties agreed; "" for a failure. */
  terms: string;
  /** Why mediation failed; "" for an agreement. */
  reason: string;
  referral?: DisputeReferral;
  recordedBy: string;
  recordedAt: string;
}

export interface FollowUpVisit {
  visitedOn: string;
  agreementKept: boolean;
  note: string;
  visitedBy: string;
  recordedAt: string;
}

interface DisputeFacts {
  caseId: string;
  areaId: string;
  categoryCode: string;
  title: string;
  /** A key dispute (重点矛盾纠纷), counted apart in the mediation rate. */
  key: boolean;
}

export type DisputeEvent =
  | {
      type: "dispute.opened";
      data: DisputeFacts & { parties: DisputeParty[]; mediators: Mediator[]; by: string; at: string };
    }
  | { type: "dispute.session_recorded"; data: DisputeFacts & { session: MediationSession } }
  | {
      type: "dispute.outcome_recorded";
      data: DisputeFacts & { sessions: number } & Omit<DisputeOutcomeRecord, "recordedBy" | "recordedAt"> & {
          by: string;
          at: string;
        };
    }
  | { type: "dispute.followed_up"; data: DisputeFacts & FollowUpVisit };

export const disputeStatuses = ["in_mediation", "agreed", "failed"] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];

export interface Dispute extends DisputeFacts {
  status: DisputeStatus;
  parties: DisputeParty[];
  mediators: Mediator[];
  sessions: MediationSession[];
  outcome?: DisputeOutcomeRecord;
  followUp?: FollowUpVisit;
  openedBy: string;
  openedAt: string;
}

export type DisputeState = { status: "none" } | Dispute;

export const initialDisputeState = (): DisputeState => ({ status: "none" });

export function evolveDispute(state: DisputeState, event: DisputeEvent): DisputeState {
  if (event.type === "dispute.opened") {
    const { by, at, parties, mediators, caseId, areaId, categoryCode, title, key } = event.data;
    return {
      status: "in_mediation",
      key,
      caseId,
      areaId,
      categoryCode,
      title,
      parties,
      mediators,
      sessions: [],
      openedBy: by,
      openedAt: at,
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "dispute.session_recorded":
      return { ...state, sessions: [...state.sessions, event.data.session] };
    case "dispute.outcome_recorded": {
      const { outcome, terms, reason, referral, by, at } = event.data;
      return {
        ...state,
        status: outcome === "agreement" ? "agreed" : "failed",
        outcome: {
          outcome,
          terms,
          reason,
          ...(referral ? { referral } : {}),
          recordedBy: by,
          recordedAt: at,
        },
      };
    }
    case "dispute.followed_up": {
      const { visitedOn, agreementKept, note, visitedBy, recordedAt } = event.data;
      return { ...state, followUp: { visitedOn, agreementKept, note, visitedBy, recordedAt } };
    }
  }
}

export function requireDispute(state: DisputeState, caseId: string): Dispute {
  if (state.status === "none") throw new NotFoundError("dispute of case", caseId);
  return state;
}

/** The command centre, or community, street or grid staff whose areas cover `areaId`. */
export const isDisputeAreaStaff = (caller: Caller, areaId: string): boolean =>
  hasAnyRole(caller, [roles.commandCentre]) ||
  (hasAnyRole(caller, [roles.communityStaff, roles.streetStaff, roles.gridWorker]) &&
    AreaCode.anyCovers(caller.areas, areaId));

/** Who mediates (sessions, outcome, follow-up) and reads a dispute: its area's staff and its own mediators. */
export const mayMediate = (caller: Caller, dispute: Pick<Dispute, "areaId" | "mediators">): boolean =>
  isDisputeAreaStaff(caller, dispute.areaId) ||
  dispute.mediators.some((mediator) => mediator.mediatorId === caller.subject);

const maxParties = 20;
const maxMediators = 10;
const maxSessions = 50;

export interface OpenDispute {
  key: boolean;
  parties: DisputeParty[] | { name: string; role: string }[];
  mediators: Mediator[] | { mediatorId: string; name: string; kind: string }[];
  by: string;
  at: Date;
}

/**
 * Opens the mediation of a case about a dispute that is still open (not rejected, not
 * closed), with an applicant and a respondent at least, and one mediator at least.
 */
export function decideOpenDispute(caseState: CaseState, caseId: string, command: OpenDispute): DisputeEvent {
  if (caseState.status === "none") throw new NotFoundError("case", caseId);
  if (!isDisputeCategory(caseState.categoryCode)) {
    throw new FailedPreconditionError(
      `case ${caseId} is of category ${caseState.categoryCode}, not a dispute`,
      "NOT_A_DISPUTE",
    );
  }
  if (caseState.status === "rejected" || caseState.status === "closed") {
    throw new FailedPreconditionError(`case ${caseId} is ${caseState.status}`, "CASE_NOT_OPEN");
  }
  const checks = new FieldChecks()
    .check(
      "parties",
      command.parties.some((party) => party.role === "applicant") &&
        command.parties.some((party) => party.role === "respondent"),
      "must name an applicant and a respondent",
    )
    .check("parties", command.parties.length <= maxParties, `at most ${maxParties} parties`)
    .check("mediators", command.mediators.length > 0, "must name at least one mediator")
    .check("mediators", command.mediators.length <= maxMediators, `at most ${maxMediators} mediators`);
  command.parties.forEach((party, index) => {
    checks
      .requiredText(`parties[${index}].name`, party.name, 50)
      .oneOf(`parties[${index}].role`, party.role, partyRoles);
  });
  const seen = new Set<string>();
  command.mediators.forEach((mediator, index) => {
    checks
      .requiredText(`mediators[${index}].mediatorId`, mediator.mediatorId, 64)
      .check(`mediators[${index}].mediatorId`, !seen.has(mediator.mediatorId.trim()), "each mediator once")
      .requiredText(`mediators[${index}].name`, mediator.name, 50)
      .oneOf(`mediators[${index}].kind`, mediator.kind, mediatorKinds);
    seen.add(mediator.mediatorId.trim());
  });
  checks.throwIfAny();
  return {
    type: "dispute.opened",
    data: {
      ...factsOf({ ...caseState, key: command.key }, caseId),
      parties: command.parties.map((party) => ({ name: party.name.trim(), role: party.role as PartyRole })),
      mediators: command.mediators.map((mediator) => ({
        mediatorId: mediator.mediatorId.trim(),
        name: mediator.name.trim(),
        kind: mediator.kind as MediatorKind,
      })),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

const factsOf = (facts: DisputeFacts, caseId: string): DisputeFacts => ({
  caseId,
  areaId: facts.areaId,
  categoryCode: facts.categoryCode,
  title: facts.title,
  key: facts.key,
});

function requireInMediation(dispute: Dispute): void {
  if (dispute.status !== "in_mediation") {
    throw new FailedPreconditionError(
      `the mediation of case ${dispute.caseId} is closed (${dispute.status})`,
      "DISPUTE_CLOSED",
    );
  }
}

/** A day that has come, in China time. */
const isPastOrToday = (day: string, now: Date) => isCalendarDate(day) && day <= chinaDate(now);

export function decideRecordSession(
  dispute: Dispute,
  command: { heldOn: string; place: string; summary: string; by: string; at: Date },
): DisputeEvent {
  requireInMediation(dispute);
  new FieldChecks()
    .check("heldOn", isPastOrToday(command.heldOn, command.at), "must be a day (YYYY-MM-DD) that has come")
    .check(
      "heldOn",
      !isCalendarDate(command.heldOn) || command.heldOn >= chinaDate(new Date(dispute.openedAt)),
      "must not be before the dispute was opened",
    )
    .requiredText("place", command.place, 200)
    .requiredText("summary", command.summary, 2000)
    .throwIfAny();
  if (dispute.sessions.length >= maxSessions) {
    throw new FailedPreconditionError(`at most ${maxSessions} sessions per dispute`, "TOO_MANY_SESSIONS");
  }
  return {
    type: "dispute.session_recorded",
    data: {
      ...factsOf(dispute, dispute.caseId),
      session: {
        sessionId: String(dispute.sessions.length + 1),
        heldOn: command.heldOn,
        place: command.place.trim(),
        summary: command.summary.trim(),
        recordedBy: command.by,
        recordedAt: command.at.toISOString(),
      },
    },
  };
}

export interface RecordOutcome {
  outcome: string;
  terms: string;
  reason: string;
  referral?: { body: string; name: string } | undefined;
  by: string;
  at: Date;
}

/**
 * Closes the mediation, once: an agreement with its terms, or a failure with its reason and,
 * where the parties are sent on, the body they are referred to. It follows a session.
 */
export function decideRecordOutcome(dispute: Dispute, command: RecordOutcome): DisputeEvent {
  const checks = new FieldChecks().oneOf("outcome", command.outcome, mediationOutcomes);
  if (command.outcome === "agreement") {
    checks
      .requiredText("terms", command.terms, 2000)
      .check("reason", command.reason.trim() === "", "is for a failure")
      .check("referral", command.referral === undefined, "is for a failure");
  } else if (command.outcome === "failure") {
    checks
      .requiredText("reason", command.reason, 1000)
      .check("terms", command.terms.trim() === "", "are for an agreement");
    if (command.referral) {
      checks
        .oneOf("referral.body", command.referral.body, referralBodies)
        .text("referral.name", command.referral.name, {
          max: 100,
          optional: command.referral.body !== "other",
        });
    }
  }
  checks.throwIfAny();
  requireInMediation(dispute);
  if (dispute.sessions.length === 0) {
    throw new FailedPreconditionError(
      `case ${dispute.caseId} has no mediation session recorded: an outcome follows one`,
      "NO_SESSION",
    );
  }
  const referral = command.referral && {
    body: command.referral.body as ReferralBody,
    name: command.referral.name.trim(),
  };
  return {
    type: "dispute.outcome_recorded",
    data: {
      ...factsOf(dispute, dispute.caseId),
      sessions: dispute.sessions.length,
      outcome: command.outcome as MediationOutcome,
      terms: command.terms.trim(),
      reason: command.reason.trim(),
      ...(referral ? { referral } : {}),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

/** The visit after an agreement that checks it is kept: once, on a day from the agreement on. */
export function decideFollowUp(
  dispute: Dispute,
  command: { visitedOn: string; agreementKept: boolean; note: string; by: string; at: Date },
): DisputeEvent {
  new FieldChecks()
    .check(
      "visitedOn",
      isPastOrToday(command.visitedOn, command.at),
      "must be a day (YYYY-MM-DD) that has come",
    )
    .check(
      "visitedOn",
      !dispute.outcome ||
        !isCalendarDate(command.visitedOn) ||
        command.visitedOn >= chinaDate(new Date(dispute.outcome.recordedAt)),
      "must not be before the agreement",
    )
    .text("note", command.note, { max: 1000, optional: true })
    .throwIfAny();
  if (dispute.status !== "agreed") {
    throw new FailedPreconditionError(
      `case ${dispute.caseId} has no agreement to follow up (${dispute.status})`,
      "NO_AGREEMENT",
    );
  }
  if (dispute.followUp) {
    throw new FailedPreconditionError(
      `case ${dispute.caseId} was followed up already`,
      "ALREADY_FOLLOWED_UP",
    );
  }
  return {
    type: "dispute.followed_up",
    data: {
      ...factsOf(dispute, dispute.caseId),
      visitedOn: command.visitedOn,
      agreementKept: command.agreementKept,
      note: command.note.trim(),
      visitedBy: command.by,
      recordedAt: command.at.toISOString(),
    },
  };
}

/**
 * What a list of mediations may hold for `caller`: those of `areaId` (a code prefix) and
 * below, of one status or all. An area is required; the caller must be the command centre or
 * staff whose areas cover it.
 */
export function checkDisputeList(areaId: string, status: string, caller: Caller): void {
  new FieldChecks()
    .check("areaId", AreaCode.isPrefix(areaId), "must be an area code (2 to 18 digits)")
    .check(
      "status",
      status === "" || (disputeStatuses as readonly string[]).includes(status),
      `must be one of ${disputeStatuses.join(", ")}, or empty for all`,
    )
    .throwIfAny();
  if (!isDisputeAreaStaff(caller, areaId)) {
    throw new PermissionDeniedError(
      `the disputes of ${areaId} are listed for the command centre and the staff of the area`,
    );
  }
}
