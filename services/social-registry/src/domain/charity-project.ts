import { chinaDate, FailedPreconditionError, FieldChecks, InvalidArgumentError } from "@civic/domain-kit";
import { isOrganisationAreaCode } from "./area-code.js";
import { dateOrToday } from "./calendar-date.js";

/**
 * A micro-charity venture project (公益创投), along the seed's chain: a community posts a
 * need → the hub coordinates → enterprises (and government) choose what to fund → an
 * organisation delivers → the public supervises → residents benefit, and a third party
 * evaluates. Funding follows 360Giving's grant model: applications, commitments (awards)
 * and disbursements, never more committed than the project asks.
 */
export const projectStatuses = [
  "need_posted",
  "coordinating",
  "funding",
  "delivering",
  "completed",
  "evaluated",
] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const funderKinds = ["government", "enterprise"] as const;
export type FunderKind = (typeof funderKinds)[number];

export const fundingKinds = ["application", "commitment", "disbursement"] as const;
export type FundingKind = (typeof fundingKinds)[number];

export const evaluationDimensions = ["relevance", "delivery", "effect", "finance"] as const;
export type EvaluationDimension = (typeof evaluationDimensions)[number];
export type EvaluationScores = Record<EvaluationDimension, number>;

/** Another service's request this project answers (a deliberation task). */
export interface ProjectOrigin {
  domain: string;
  reference: string;
}

/** Where the originating task stands; carried by each event that moves it. */
export interface TaskProgress {
  percent: number;
  note: string;
}

export interface Funder {
  kind: FunderKind;
  funderId: string;
  name: string;
}

export interface FundingTransaction {
  transactionId: string;
  kind: FundingKind;
  funder: Funder;
  amountFen: number;
  on: string;
  recordedBy: string;
}

export interface Proposal {
  proposalId: string;
  organisationCreditCode: string;
  plan: string;
  budgetFen: number;
  submittedBy: string;
  submittedAt: string;
}

export interface Milestone {
  title: string;
  progressPercent: number;
  reachedOn: string;
  note: string;
}

export interface SupervisionNote {
  note: string;
  by: string;
  at: string;
}

export interface Evaluation {
  evaluator: string;
  scores: EvaluationScores;
  /** Mean of the scores, one decimal. */
  overall: number;
  comment: string;
  at: string;
}

export interface CharityProject {
  status: ProjectStatus;
  projectId: string;
  areaId: string;
  title: string;
  description: string;
  /** What the community's need asks for; 0 when it names no sum. */
  askedFen: number;
  postedBy: string;
  postedOn: string;
  origin: ProjectOrigin | null;
  proposals: Proposal[];
  /** Credit code of the organisation chosen to deliver; "" until a proposal is selected. */
  deliveringOrganisation: string;
  /** The selected proposal's budget: what the project asks funders for; 0 before. */
  requestedFen: number;
  funding: FundingTransaction[];
  milestones: Milestone[];
  supervisionNotes: SupervisionNote[];
  peopleServed: number;
  completedOn: string;
  evaluation: Evaluation | null;
}

export type CharityProjectState = { status: "none" } | CharityProject;

interface Stamp {
  by: string;
  at: string;
}
/** What every event of a project carries besides its own facts. */
interface Traced {
  projectId: string;
  origin?: ProjectOrigin;
  taskProgress?: TaskProgress;
}

export type CharityProjectEvent =
  | {
      type: "project.need_posted";
      data: Traced &
        Stamp & { areaId: string; title: string; description: string; askedFen: number; postedOn: string };
    }
  | { type: "project.coordination_started"; data: Traced & Stamp }
  | {
      type: "project.proposal_submitted";
      data: Traced & Stamp & Omit<Proposal, "submittedBy" | "submittedAt">;
    }
  | {
      type: "project.proposal_selected";
      data: Traced & Stamp & { proposalId: string; organisationCreditCode: string; requestedFen: number };
    }
  | { type: "project.funding_recorded"; data: Traced & Stamp & Omit<FundingTransaction, "recordedBy"> }
  | { type: "project.delivery_started"; data: Traced & Stamp }
  | { type: "project.milestone_reached"; data: Traced & Stamp & Milestone }
  | { type: "project.supervision_noted"; data: Traced & Stamp & { note: string } }
  | { type: "project.completed"; data: Traced & Stamp & { peopleServed: number; completedOn: string } }
  | { type: "project.evaluated"; data: Traced & Stamp & Omit<Evaluation, "evaluator" | "at"> };

export const initialCharityProjectState = (): CharityProjectState => ({ status: "none" });

export function evolveCharityProject(
  state: CharityProjectState,
  event: CharityProjectEvent,
): CharityProjectState {
  if (event.type === "project.need_posted") {
    const { projectId, areaId, title, description, askedFen, postedOn, by, origin } = event.data;
    return {
      status: "need_posted",
      projectId,
      areaId,
      title,
      description,
      askedFen,
      postedBy: by,
      postedOn,
      origin: origin ?? null,
      proposals: [],
      deliveringOrganisation: "",
      requestedFen: 0,
      funding: [],
      milestones: [],
      supervisionNotes: [],
      peopleServed: 0,
      completedOn: "",
      evaluation: null,
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "project.coordination_started":
      return { ...state, status: "coordinating" };
    case "project.proposal_submitted": {
      const { proposalId, organisationCreditCode, plan, budgetFen, by, at } = event.data;
      return {
        ...state,
        proposals: [
          ...state.proposals,
          { proposalId, organisationCreditCode, plan, budgetFen, submittedBy: by, submittedAt: at },
        ],
      };
    }
    case "project.proposal_selected":
      return {
        ...state,
        status: "funding",
        deliveringOrganisation: event.data.organisationCreditCode,
        requestedFen: event.data.requestedFen,
      };
    case "project.funding_recorded": {
      const { transactionId, kind, funder, amountFen, on, by } = event.data;
      return {
        ...state,
        funding: [...state.funding, { transactionId, kind, funder, amountFen, on, recordedBy: by }],
      };
    }
    case "project.delivery_started":
      return { ...state, status: "delivering" };
    case "project.milestone_reached": {
      const { title, progressPercent, reachedOn, note } = event.data;
      return { ...state, milestones: [...state.milestones, { title, progressPercent, reachedOn, note }] };
    }
    case "project.supervision_noted":
      return {
        ...state,
        supervisionNotes: [
          ...state.supervisionNotes,
          { note: event.data.note, by: event.data.by, at: event.data.at },
        ],
      };
    case "project.completed":
      return {
        ...state,
        status: "completed",
        peopleServed: event.data.peopleServed,
        completedOn: event.data.completedOn,
      };
    case "project.evaluated": {
      const { scores, overall, comment, by, at } = event.data;
      return { ...state, status: "evaluated", evaluation: { evaluator: by, scores, overall, comment, at } };
    }
  }
}

export interface FundingTotals {
  appliedFen: number;
  committedFen: number;
  disbursedFen: number;
  governmentCommittedFen: number;
  socialCommittedFen: number;
  /** Social (enterprise) money committed per government yuan; null without government money. */
  leverageRatio: number | null;
  /** Still to be committed before the project has what it asks. */
  openFen: number;
}

const sumOf = (transactions: FundingTransaction[]) =>
  transactions.reduce((total, transaction) => total + transaction.amountFen, 0);

export function fundingTotals(project: CharityProject): FundingTotals {
  const of = (kind: FundingKind, funderKind?: FunderKind) =>
    sumOf(
      project.funding.filter(
        (transaction) =>
          transaction.kind === kind && (funderKind === undefined || transaction.funder.kind === funderKind),
      ),
    );
  const committedFen = of("commitment");
  const governmentCommittedFen = of("commitment", "government");
  const socialCommittedFen = of("commitment", "enterprise");
  return {
    appliedFen: of("application"),
    committedFen,
    disbursedFen: of("disbursement"),
    governmentCommittedFen,
    socialCommittedFen,
    leverageRatio:
      governmentCommittedFen === 0
        ? null
        : Math.round((socialCommittedFen / governmentCommittedFen) * 100) / 100,
    openFen: Math.max(project.requestedFen - committedFen, 0),
  };
}

const isFen = (value: number) => Number.isSafeInteger(value) && value > 0;

function requireStatus(project: CharityProject, allowed: readonly ProjectStatus[], doing: string): void {
  if (!allowed.includes(project.status)) {
    throw new FailedPreconditionError(
      `cannot ${doing} a project that is ${project.status.replaceAll("_", " ")} (only when ${allowed
        .map((status) => status.replaceAll("_", " "))
        .join(" or ")})`,
      "ILLEGAL_PROJECT_STEP",
    );
  }
}

/** The fields every event of `project` carries, with the task's progress when the step moves it. */
function traced(project: CharityProject, actor: { subject: string }, now: Date, progress?: TaskProgress) {
  return {
    projectId: project.projectId,
    ...(project.origin ? { origin: project.origin } : {}),
    ...(project.origin && progress ? { taskProgress: progress } : {}),
    by: actor.subject,
    at: now.toISOString(),
  };
}

export interface PostNeed {
  projectId: string;
  areaId: string;
  title: string;
  description: string;
  askedFen: number;
  origin?: ProjectOrigin;
}

export function decidePostNeed(
  command: PostNeed,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  new FieldChecks()
    .check("areaId", isOrganisationAreaCode(command.areaId), "must be a district, street or community code")
    .text("title", command.title, { max: 100 })
    .text("description", command.description, { max: 2000 })
    .check(
      "askedFen",
      Number.isSafeInteger(command.askedFen) && command.askedFen >= 0,
      "must be whole fen, 0 (no sum named) or more",
    )
    .throwIfAny();
  return {
    type: "project.need_posted",
    data: {
      projectId: command.projectId,
      ...(command.origin
        ? { origin: command.origin, taskProgress: { percent: 0, note: "need posted" } }
        : {}),
      areaId: command.areaId,
      title: command.title.trim(),
      description: command.description.trim(),
      askedFen: command.askedFen,
      postedOn: chinaDate(now),
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export function decideStartCoordination(
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  requireStatus(project, ["need_posted"], "start coordinating");
  return {
    type: "project.coordination_started",
    data: traced(project, actor, now, { percent: 10, note: "the hub coordinates" }),
  };
}

export function decideSubmitProposal(
  command: { proposalId: string; organisationCreditCode: string; plan: string; budgetFen: number },
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  const checks = new FieldChecks().text("plan", command.plan, { max: 2000 });
  if (!isFen(command.budgetFen)) checks.add("budgetFen", "must be whole fen, more than 0");
  else if (project.askedFen > 0 && command.budgetFen > project.askedFen)
    checks.add("budgetFen", `must not exceed what the need asks, ${project.askedFen} fen`);
  checks.throwIfAny();
  requireStatus(project, ["coordinating"], "propose for");
  if (
    project.proposals.some((proposal) => proposal.organisationCreditCode === command.organisationCreditCode)
  ) {
    throw new FailedPreconditionError(
      `organisation ${command.organisationCreditCode} has already proposed for this project`,
      "ALREADY_PROPOSED",
    );
  }
  return {
    type: "project.proposal_submitted",
    data: {
      ...traced(project, actor, now),
      proposalId: command.proposalId,
      organisationCreditCode: command.organisationCreditCode,
      plan: command.plan.trim(),
      budgetFen: command.budgetFen,
    },
  };
}

export function decideSelectProposal(
  proposalId: string,
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  requireStatus(project, ["coordinating"], "select a proposal for");
  const proposal = project.proposals.find((candidate) => candidate.proposalId === proposalId);
  if (!proposal) {
    throw new InvalidArgumentError([
      { field: "proposalId", description: "is not a proposal of this project" },
    ]);
  }
  return {
    type: "project.proposal_selected",
    data: {
      ...traced(project, actor, now, {
        percent: 25,
        note: `organisation ${proposal.organisationCreditCode} will deliver; funding open`,
      }),
      proposalId,
      organisationCreditCode: proposal.organisationCreditCode,
      requestedFen: proposal.budgetFen,
    },
  };
}

export interface RecordFunding {
  transactionId: string;
  kind: string;
  funder: { kind: string; funderId: string; name: string };
  amountFen: number;
  on: string;
}

/**
 * Applications and commitments never go beyond what is still open (requested minus
 * committed); a funder disburses at most what it committed and has not yet paid. Decided on
 * the project's current version, so concurrent commitments cannot overshoot together.
 */
export function decideRecordFunding(
  command: RecordFunding,
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  const kind = command.kind as FundingKind;
  const on = dateOrToday(command.on, now);
  new FieldChecks()
    .oneOf("kind", kind, fundingKinds)
    .oneOf("funder.kind", command.funder.kind, funderKinds)
    .identifier("funder.funderId", command.funder.funderId)
    .text("funder.name", command.funder.name, { max: 100 })
    .check("amountFen", isFen(command.amountFen), "must be whole fen, more than 0")
    .check("on", on !== undefined && on <= chinaDate(now), "must be a date YYYY-MM-DD, not in the future")
    .throwIfAny();
  const funder = {
    kind: command.funder.kind as FunderKind,
    funderId: command.funder.funderId,
    name: command.funder.name.trim(),
  };
  requireStatus(
    project,
    kind === "disbursement" ? ["funding", "delivering", "completed"] : ["funding", "delivering"],
    `record a ${kind} for`,
  );
  if (kind === "disbursement") {
    const ofFunder = project.funding.filter(
      (transaction) =>
        transaction.funder.kind === funder.kind && transaction.funder.funderId === funder.funderId,
    );
    const undisbursed =
      sumOf(ofFunder.filter((transaction) => transaction.kind === "commitment")) -
      sumOf(ofFunder.filter((transaction) => transaction.kind === "disbursement"));
    if (command.amountFen > undisbursed) {
      throw new FailedPreconditionError(
        `disbursing ${command.amountFen} fen would exceed what ${funder.funderId} committed and has not paid: ${undisbursed} fen`,
        "DISBURSEMENT_EXCEEDS_COMMITMENT",
      );
    }
  } else {
    const { openFen } = fundingTotals(project);
    if (command.amountFen > openFen) {
      throw new FailedPreconditionError(
        `a ${kind} of ${command.amountFen} fen would exceed the need: ${openFen} of ${project.requestedFen} fen still open`,
        "FUNDING_EXCEEDS_NEED",
      );
    }
  }
  return {
    type: "project.funding_recorded",
    data: {
      ...traced(project, actor, now),
      transactionId: command.transactionId,
      kind,
      funder,
      amountFen: command.amountFen,
      on: on as string,
    },
  };
}

export function decideStartDelivery(
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  requireStatus(project, ["funding"], "start delivering");
  if (fundingTotals(project).committedFen === 0) {
    throw new FailedPreconditionError("delivery starts once some funding is committed", "NOTHING_COMMITTED");
  }
  return {
    type: "project.delivery_started",
    data: traced(project, actor, now, { percent: 40, note: `${project.deliveringOrganisation} delivers` }),
  };
}

export function decideReachMilestone(
  command: { title: string; progressPercent: number; reachedOn: string; note: string },
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  const last = project.milestones.at(-1)?.progressPercent ?? 40;
  const reachedOn = dateOrToday(command.reachedOn, now);
  new FieldChecks()
    .text("title", command.title, { max: 100 })
    .text("note", command.note, { max: 1000, optional: true })
    .check(
      "progressPercent",
      Number.isInteger(command.progressPercent) &&
        command.progressPercent > last &&
        command.progressPercent <= 99,
      `must be a whole percent above ${last} and at most 99`,
    )
    .check(
      "reachedOn",
      reachedOn !== undefined && reachedOn <= chinaDate(now),
      "must be a date YYYY-MM-DD, not in the future",
    )
    .throwIfAny();
  requireStatus(project, ["delivering"], "record a milestone of");
  const title = command.title.trim();
  return {
    type: "project.milestone_reached",
    data: {
      ...traced(project, actor, now, { percent: command.progressPercent, note: title }),
      title,
      progressPercent: command.progressPercent,
      reachedOn: reachedOn as string,
      note: command.note.trim(),
    },
  };
}

export function decideNoteSupervision(
  note: string,
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  new FieldChecks().text("note", note, { max: 500 }).throwIfAny();
  requireStatus(project, ["funding", "delivering", "completed", "evaluated"], "supervise");
  return { type: "project.supervision_noted", data: { ...traced(project, actor, now), note: note.trim() } };
}

export function decideComplete(
  command: { peopleServed: number; completedOn: string },
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  const completedOn = dateOrToday(command.completedOn, now);
  new FieldChecks()
    .check(
      "peopleServed",
      Number.isSafeInteger(command.peopleServed) && command.peopleServed >= 0,
      "must be a whole number, 0 or more",
    )
    .check(
      "completedOn",
      completedOn !== undefined && completedOn <= chinaDate(now),
      "must be a date YYYY-MM-DD, not in the future",
    )
    .throwIfAny();
  requireStatus(project, ["delivering"], "complete");
  return {
    type: "project.completed",
    data: {
      ...traced(project, actor, now, {
        percent: 100,
        note: `completed; ${command.peopleServed} people served`,
      }),
      peopleServed: command.peopleServed,
      completedOn: completedOn as string,
    },
  };
}

/** Third-party evaluation: each dimension a whole score 0 to 100. */
export function decideEvaluate(
  command: { scores: Partial<Record<string, number>>; comment: string },
  project: CharityProject,
  actor: { subject: string },
  now: Date,
): CharityProjectEvent {
  const checks = new FieldChecks();
  for (const dimension of evaluationDimensions) {
    const score = command.scores[dimension];
    checks.check(
      `scores.${dimension}`,
      score !== undefined && Number.isInteger(score) && score >= 0 && score <= 100,
      "must be a whole score from 0 to 100",
    );
  }
  for (const dimension of Object.keys(command.scores)) {
    checks.oneOf(
      `scores.${dimension}`,
      dimension,
      evaluationDimensions,
      `is not a dimension: ${evaluationDimensions.join(", ")}`,
    );
  }
  checks.text("comment", command.comment, { max: 2000, optional: true }).throwIfAny();
  requireStatus(project, ["completed"], "evaluate");
  const scores = Object.fromEntries(
    evaluationDimensions.map((dimension) => [dimension, command.scores[dimension] as number]),
  ) as EvaluationScores;
  const mean =
    evaluationDimensions.reduce((total, dimension) => total + scores[dimension], 0) /
    evaluationDimensions.length;
  return {
    type: "project.evaluated",
    data: {
      ...traced(project, actor, now),
      scores,
      overall: Math.round(mean * 10) / 10,
      comment: command.comment.trim(),
    },
  };
}
