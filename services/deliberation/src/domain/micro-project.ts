import {
  AreaCode,
  FailedPreconditionError,
  FieldChecks,
  isCalendarDate,
  NotFoundError,
} from "@civic/domain-kit";
import { maxMovementFen } from "./fund.js";
import type { Vote } from "./vote.js";

/**
 * 民生微实事 community micro-projects [seeds 003, 004: 2,700+ small public works]: residents
 * and organisations propose small works for their community; the community shortlists; the
 * residents choose among the shortlist by vote; the community approves what was chosen within
 * its budget for the year; a contractor or an organisation carries it out by milestones; the
 * residents accept it by vote. Distinct from micro-wishes (民生微心愿, volunteer-stations),
 * which are one household's wish.
 *
 * Two aggregates: the project (one stream per project) and the community's budget for a
 * year (one stream per community and year). An approval is a commitment on the budget's
 * stream first, so approvals racing for the last yuan commit one after the other and the
 * later one sees what the earlier left; the project then records its approval. A commitment
 * names its project, so a retried approval finds it and never commits twice.
 */

/** What a micro-project improves, as seed 004 lists them (环境改造, 群众休闲, 公益服务) and a bit more. */
export const microProjectCategories = [
  "environment",
  "leisure",
  "public_service",
  "facilities",
  "other",
] as const;
export type MicroProjectCategory = (typeof microProjectCategories)[number];

export const microProjectProposerKinds = ["resident", "organisation"] as const;
export type MicroProjectProposerKind = (typeof microProjectProposerKinds)[number];

/** Who carries a project out: a contractor (施工单位) or a social organisation (服务项目). */
export const implementerKinds = ["contractor", "organisation"] as const;
export type ImplementerKind = (typeof implementerKinds)[number];

export const microProjectStatuses = [
  "proposed",
  "shortlisted",
  "declined",
  "approved",
  "under_way",
  "completed",
  "rework",
  "accepted",
] as const;
export type MicroProjectStatus = (typeof microProjectStatuses)[number];

/** The subject a residents' vote names when it chooses among a community's shortlist of a year. */
export const microProjectChoiceSubject = (communityId: string, year: number) =>
  `micro-projects:${communityId}:${year}`;

/** The subject a residents' vote names when it accepts a finished project (验收). */
export const microProjectAcceptanceSubject = (projectId: string) => `micro-project-acceptance:${projectId}`;

/** A year a project may be planned for. */
export const isProgrammeYear = (year: number) => Number.isInteger(year) && year >= 2000 && year <= 2100;

const maxPhotos = 9;
const maxMilestones = 20;

export interface Milestone {
  milestoneId: string;
  title: string;
  dueDate: string;
  reachedAt: string;
  note: string;
  photoUrls: string[];
}

export interface MicroProjectProposedData {
  projectId: string;
  communityId: string;
  year: number;
  title: string;
  description: string;
  category: MicroProjectCategory;
  proposerKind: MicroProjectProposerKind;
  /** The resident's or organisation's name as it is published. */
  proposerName: string;
  proposedBy: string;
  estimatedFen: number;
  at: string;
}

interface ProjectStep {
  projectId: string;
  communityId: string;
  year: number;
  by: string;
  at: string;
}

export interface MicroProjectApprovedData extends ProjectStep {
  voteId: string;
  approvedFen: number;
}

export interface MicroProjectContractedData extends ProjectStep {
  implementerKind: ImplementerKind;
  implementerName: string;
  /** The implementer's unified social credit code, "" if not given. */
  creditCode: string;
  milestones: { milestoneId: string; title: string; dueDate: string }[];
}

export interface MilestoneReachedData extends ProjectStep {
  milestoneId: string;
  note: string;
  photoUrls: string[];
}

export interface AcceptanceRecordedData extends ProjectStep {
  voteId: string;
  accepted: boolean;
  reason: string;
  photoUrls: string[];
}

export type MicroProjectEvent =
  | { type: "micro_project.proposed"; data: MicroProjectProposedData }
  | { type: "micro_project.shortlisted"; data: ProjectStep }
  | { type: "micro_project.declined"; data: ProjectStep & { reason: string } }
  | { type: "micro_project.approved"; data: MicroProjectApprovedData }
  | { type: "micro_project.contracted"; data: MicroProjectContractedData }
  | { type: "micro_project.milestone_reached"; data: MilestoneReachedData }
  | { type: "micro_project.acceptance_recorded"; data: AcceptanceRecordedData };

export type MicroProjectState =
  | { status: "none" }
  | (MicroProjectProposedData & {
      status: MicroProjectStatus;
      declineReason: string;
      voteId: string;
      approvedFen: number;
      implementerKind: ImplementerKind | "";
      implementerName: string;
      creditCode: string;
      milestones: Milestone[];
      acceptanceVoteId: string;
      acceptancePhotoUrls: string[];
      updatedAt: string;
    });
export type MicroProject = Exclude<MicroProjectState, { status: "none" }>;

export const initialMicroProjectState = (): MicroProjectState => ({ status: "none" });

export function evolveMicroProject(state: MicroProjectState, event: MicroProjectEvent): MicroProjectState {
  if (event.type === "micro_project.proposed") {
    return {
      ...event.data,
      status: "proposed",
      declineReason: "",
      voteId: "",
      approvedFen: 0,
      implementerKind: "",
      implementerName: "",
      creditCode: "",
      milestones: [],
      acceptanceVoteId: "",
      acceptancePhotoUrls: [],
      updatedAt: event.data.at,
    };
  }
  if (state.status === "none") return state;
  const updatedAt = event.data.at;
  switch (event.type) {
    case "micro_project.shortlisted":
      return { ...state, status: "shortlisted", updatedAt };
    case "micro_project.declined":
      return { ...state, status: "declined", declineReason: event.data.reason, updatedAt };
    case "micro_project.approved":
      return {
        ...state,
        status: "approved",
        voteId: event.data.voteId,
        approvedFen: event.data.approvedFen,
        updatedAt,
      };
    case "micro_project.contracted":
      return {
        ...state,
        status: "under_way",
        implementerKind: event.data.implementerKind,
        implementerName: event.data.implementerName,
        creditCode: event.data.creditCode,
        milestones: event.data.milestones.map((milestone) => ({
          ...milestone,
          reachedAt: "",
          note: "",
          photoUrls: [],
        })),
        updatedAt,
      };
    case "micro_project.milestone_reached": {
      const milestones = state.milestones.map((milestone) =>
        milestone.milestoneId === event.data.milestoneId
          ? { ...milestone, reachedAt: updatedAt, note: event.data.note, photoUrls: event.data.photoUrls }
          : milestone,
      );
      const allReached = milestones.every((milestone) => milestone.reachedAt !== "");
      return { ...state, milestones, status: allReached ? "completed" : state.status, updatedAt };
    }
    case "micro_project.acceptance_recorded":
      return {
        ...state,
        status: event.data.accepted ? "accepted" : "rework",
        acceptanceVoteId: event.data.voteId,
        acceptancePhotoUrls: event.data.photoUrls,
        updatedAt,
      };
  }
}

export function requireMicroProject(state: MicroProjectState, projectId: string): MicroProject {
  if (state.status === "none") throw new NotFoundError("micro-project", projectId);
  return state;
}

const validFen = (checks: FieldChecks, field: string, fen: number) =>
  checks.check(
    field,
    Number.isInteger(fen) && fen > 0 && fen <= maxMovementFen,
    "must be a whole number of fen, more than 0 and at most 1,000,000,000 (10 million yuan)",
  );

export interface ProposeMicroProject {
  projectId: string;
  communityId: string;
  year: number;
  title: string;
  description: string;
  category: string;
  proposerKind: string;
  proposerName: string;
  estimatedFen: number;
  by: string;
  at: Date;
}

/** Checks a proposal's fields; the community is checked against the area tree by the caller. */
export function decideProposeMicroProject(command: ProposeMicroProject): MicroProjectEvent {
  const checks = new FieldChecks()
    .check(
      "communityId",
      AreaCode.level(command.communityId.trim()) === "community",
      "must be a community's area code",
    )
    .check("year", isProgrammeYear(command.year), "must be a year from 2000 to 2100")
    .requiredText("title", command.title, 100)
    .requiredText("description", command.description, 2000)
    .oneOf("category", command.category, microProjectCategories)
    .oneOf("proposerKind", command.proposerKind, microProjectProposerKinds)
    .requiredText("proposerName", command.proposerName, 100);
  validFen(checks, "estimatedFen", command.estimatedFen).throwIfAny();
  return {
    type: "micro_project.proposed",
    data: {
      projectId: command.projectId,
      communityId: command.communityId.trim(),
      year: command.year,
      title: command.title.trim(),
      description: command.description.trim(),
      category: command.category as MicroProjectCategory,
      proposerKind: command.proposerKind as MicroProjectProposerKind,
      proposerName: command.proposerName.trim(),
      proposedBy: command.by,
      estimatedFen: command.estimatedFen,
      at: command.at.toISOString(),
    },
  };
}

const stepOf = (project: MicroProject, by: string, at: Date): ProjectStep => ({
  projectId: project.projectId,
  communityId: project.communityId,
  year: project.year,
  by,
  at: at.toISOString(),
});

function requireStatus(project: MicroProject, allowed: readonly MicroProjectStatus[], action: string): void {
  if (!allowed.includes(project.status)) {
    throw new FailedPreconditionError(
      `micro-project ${project.projectId} is ${project.status}: ${action} needs it ${allowed.join(" or ")}`,
      "WRONG_PROJECT_STATUS",
    );
  }
}

/** The community puts a proposal on the shortlist the residents choose from; again is nothing to do. */
export function decideShortlist(project: MicroProject, by: string, at: Date): MicroProjectEvent | undefined {
  if (project.status === "shortlisted") return undefined;
  requireStatus(project, ["proposed"], "shortlisting");
  return { type: "micro_project.shortlisted", data: stepOf(project, by, at) };
}

/** The community declines a proposal, or a shortlisted project the residents did not choose, with its reason. */
export function decideDecline(
  project: MicroProject,
  reason: string,
  by: string,
  at: Date,
): MicroProjectEvent {
  new FieldChecks().requiredText("reason", reason, 500).throwIfAny();
  requireStatus(project, ["proposed", "shortlisted"], "declining");
  return { type: "micro_project.declined", data: { ...stepOf(project, by, at), reason: reason.trim() } };
}

export function validApproval(command: { voteId: string; approvedFen: number }): void {
  const checks = new FieldChecks().requiredText("voteId", command.voteId, 128);
  validFen(checks, "approvedFen", command.approvedFen).throwIfAny();
}

/**
 * Whether the residents' vote chose this project: an election (rule plurality) of the
 * community or one of its compounds on the subject `micro-projects:<community>:<year>`,
 * closed, whose candidates are shortlisted projects' ids and which elected this one.
 */
export function requireChosenBy(project: MicroProject, vote: Vote): void {
  const refuse = (why: string, reason: string): never => {
    throw new FailedPreconditionError(
      `vote ${vote.voteId} did not choose micro-project ${project.projectId}: ${why}`,
      reason,
    );
  };
  if (!AreaCode.covers(project.communityId, vote.areaId)) {
    refuse(
      `it was held in area ${vote.areaId}, outside community ${project.communityId}`,
      "VOTE_OF_ANOTHER_AREA",
    );
  }
  const subject = microProjectChoiceSubject(project.communityId, project.year);
  if (vote.subjectReference !== subject) {
    refuse(
      `it decides "${vote.subjectReference}"; the residents choose with the subject ${subject}`,
      "VOTE_ON_ANOTHER_SUBJECT",
    );
  }
  if (vote.rule !== "plurality") {
    refuse(`a choice among the shortlist is an election (rule plurality), not ${vote.rule}`, "NOT_A_CHOICE");
  }
  const { result } = vote;
  if (vote.status !== "closed" || !result) {
    refuse(`it is ${vote.status}, not closed`, "VOTE_NOT_CLOSED");
  } else if (!result.elected.includes(project.projectId)) {
    refuse(`the residents did not choose it (${result.reason})`, "NOT_CHOSEN");
  }
}

/**
 * Records the approval the budget committed (`approvedFen` is the commitment's amount). A
 * project already approved is nothing to do, so a retried approval completes quietly.
 */
export function decideApprove(
  project: MicroProject,
  vote: Vote,
  command: { approvedFen: number; by: string; at: Date },
): MicroProjectEvent | undefined {
  if (project.status === "approved" && project.voteId === vote.voteId) return undefined;
  requireStatus(project, ["shortlisted"], "approval");
  requireChosenBy(project, vote);
  return {
    type: "micro_project.approved",
    data: {
      ...stepOf(project, command.by, command.at),
      voteId: vote.voteId,
      approvedFen: command.approvedFen,
    },
  };
}

/** The approval's preconditions, checked before the budget commits anything. */
export function requireApprovable(project: MicroProject, vote: Vote): void {
  if (project.status === "approved") return;
  requireStatus(project, ["shortlisted"], "approval");
  requireChosenBy(project, vote);
}

export interface ContractMicroProject {
  implementerKind: string;
  implementerName: string;
  creditCode: string;
  milestones: { title: string; dueDate: string }[];
  by: string;
  at: Date;
}

/** Names who carries out an approved project and the milestones it is followed by. */
export function decideContract(project: MicroProject, command: ContractMicroProject): MicroProjectEvent {
  const checks = new FieldChecks()
    .oneOf("implementerKind", command.implementerKind, implementerKinds)
    .requiredText("implementerName", command.implementerName, 100)
    .check(
      "creditCode",
      command.creditCode.trim() === "" || /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(command.creditCode.trim()),
      "must be empty or an 18-character unified social credit code",
    )
    .check(
      "milestones",
      command.milestones.length >= 1 && command.milestones.length <= maxMilestones,
      `a project is followed by 1 to ${maxMilestones} milestones`,
    );
  for (const [index, milestone] of command.milestones.entries()) {
    checks
      .requiredText(`milestones[${index}].title`, milestone.title, 100)
      .check(
        `milestones[${index}].dueDate`,
        isCalendarDate(milestone.dueDate.trim()),
        "must be a date YYYY-MM-DD",
      );
  }
  checks.throwIfAny();
  requireStatus(project, ["approved"], "naming the implementer");
  return {
    type: "micro_project.contracted",
    data: {
      ...stepOf(project, command.by, command.at),
      implementerKind: command.implementerKind as ImplementerKind,
      implementerName: command.implementerName.trim(),
      creditCode: command.creditCode.trim(),
      milestones: command.milestones.map((milestone, index) => ({
        milestoneId: String(index + 1),
        title: milestone.title.trim(),
        dueDate: milestone.dueDate.trim(),
      })),
    },
  };
}

/** A milestone reached, with its photos (media URLs); the last one completes the project. */
export function decideReachMilestone(
  project: MicroProject,
  command: { milestoneId: string; note: string; photoUrls: string[]; by: string; at: Date },
): MicroProjectEvent {
  new FieldChecks()
    .requiredText("milestoneId", command.milestoneId, 10)
    .text("note", command.note, { max: 500, optional: true })
    .mediaUrls("photoUrls", command.photoUrls, maxPhotos)
    .throwIfAny();
  requireStatus(project, ["under_way"], "reaching a milestone");
  const milestone = project.milestones.find(
    (candidate) => candidate.milestoneId === command.milestoneId.trim(),
  );
  if (!milestone)
    throw new NotFoundError(`milestone of micro-project ${project.projectId}`, command.milestoneId);
  if (milestone.reachedAt !== "") {
    throw new FailedPreconditionError(
      `milestone ${milestone.milestoneId} of micro-project ${project.projectId} was reached at ${milestone.reachedAt}`,
      "MILESTONE_ALREADY_REACHED",
    );
  }
  return {
    type: "micro_project.milestone_reached",
    data: {
      ...stepOf(project, command.by, command.at),
      milestoneId: milestone.milestoneId,
      note: command.note.trim(),
      photoUrls: command.photoUrls.map((url) => url.trim()),
    },
  };
}

/**
 * The residents' acceptance (验收) of a completed project: a motion of the community (or one
 * of its compounds) on the subject `micro-project-acceptance:<project>`, closed. Adopted, the
 * project is accepted; not adopted, it goes back for rework and is put to another vote.
 */
export function decideRecordAcceptance(
  project: MicroProject,
  vote: Vote,
  command: { photoUrls: string[]; by: string; at: Date },
): MicroProjectEvent {
  new FieldChecks().mediaUrls("photoUrls", command.photoUrls, maxPhotos).throwIfAny();
  requireStatus(project, ["completed", "rework"], "recording the residents' acceptance");
  const refuse = (why: string, reason: string): never => {
    throw new FailedPreconditionError(`vote ${vote.voteId} cannot decide the acceptance: ${why}`, reason);
  };
  if (!AreaCode.covers(project.communityId, vote.areaId)) {
    refuse(
      `it was held in area ${vote.areaId}, outside community ${project.communityId}`,
      "VOTE_OF_ANOTHER_AREA",
    );
  }
  const subject = microProjectAcceptanceSubject(project.projectId);
  if (vote.subjectReference !== subject) {
    refuse(
      `it decides "${vote.subjectReference}"; acceptance is voted with the subject ${subject}`,
      "VOTE_ON_ANOTHER_SUBJECT",
    );
  }
  if (vote.rule === "plurality") refuse("acceptance is a motion, not an election", "NOT_A_MOTION");
  const { result } = vote;
  if (vote.status !== "closed" || !result)
    return refuse(`it is ${vote.status}, not closed`, "VOTE_NOT_CLOSED");
  if (vote.voteId === project.acceptanceVoteId)
    refuse("it decided an earlier acceptance", "VOTE_ALREADY_USED");
  return {
    type: "micro_project.acceptance_recorded",
    data: {
      ...stepOf(project, command.by, command.at),
      voteId: vote.voteId,
      accepted: result.adopted,
      reason: result.reason,
      photoUrls: command.photoUrls.map((url) => url.trim()),
    },
  };
}

// The budget of a community's micro-projects for a year.

export interface BudgetCommitment {
  projectId: string;
  amountFen: number;
}

/** A commitment made or given back, on the budget of its community and year. */
export interface BudgetCommitmentChange extends BudgetCommitment {
  communityId: string;
  year: number;
  /** The budget in force: the default of the configuration until the street sets one. */
  budgetFen: number;
  by: string;
  at: string;
}

export type MicroProjectBudgetEvent =
  | {
      type: "micro_project_budget.set";
      data: { communityId: string; year: number; budgetFen: number; reason: string; by: string; at: string };
    }
  | { type: "micro_project_budget.committed"; data: BudgetCommitmentChange }
  | {
      /** A commitment given back: its project was declined while its approval was under way. */
      type: "micro_project_budget.released";
      data: BudgetCommitmentChange;
    };

export type MicroProjectBudgetState =
  | { status: "none" }
  | {
      status: "kept";
      communityId: string;
      year: number;
      budgetFen: number;
      /** Whether the street or the command centre set the budget (else the configured default). */
      setExplicitly: boolean;
      committedFen: number;
      commitments: BudgetCommitment[];
    };
export type MicroProjectBudget = Exclude<MicroProjectBudgetState, { status: "none" }>;

export const initialMicroProjectBudgetState = (): MicroProjectBudgetState => ({ status: "none" });

/** The budget's aggregate id: one per community and year. */
export const budgetId = (communityId: string, year: number) => `${communityId}_${year}`;

export function evolveMicroProjectBudget(
  state: MicroProjectBudgetState,
  event: MicroProjectBudgetEvent,
): MicroProjectBudgetState {
  const kept: MicroProjectBudget =
    state.status === "kept"
      ? state
      : {
          status: "kept",
          communityId: event.data.communityId,
          year: event.data.year,
          budgetFen: event.data.budgetFen,
          setExplicitly: false,
          committedFen: 0,
          commitments: [],
        };
  switch (event.type) {
    case "micro_project_budget.set":
      return { ...kept, budgetFen: event.data.budgetFen, setExplicitly: true };
    case "micro_project_budget.committed":
      return {
        ...kept,
        committedFen: kept.committedFen + event.data.amountFen,
        commitments: [
          ...kept.commitments,
          { projectId: event.data.projectId, amountFen: event.data.amountFen },
        ],
      };
    case "micro_project_budget.released":
      return {
        ...kept,
        committedFen: kept.committedFen - event.data.amountFen,
        commitments: kept.commitments.filter((commitment) => commitment.projectId !== event.data.projectId),
      };
  }
}

/** The budget as it stands, or the configured default for a year nothing was set or committed in. */
export function budgetOrDefault(
  state: MicroProjectBudgetState,
  communityId: string,
  year: number,
  defaultBudgetFen: number,
): MicroProjectBudget {
  return state.status === "kept"
    ? state
    : {
        status: "kept",
        communityId,
        year,
        budgetFen: defaultBudgetFen,
        setExplicitly: false,
        committedFen: 0,
        commitments: [],
      };
}

/** The fields of a budget the street sets. */
export const budgetChecks = (checks: FieldChecks, command: { budgetFen: number; reason: string }) =>
  validFen(checks.requiredText("reason", command.reason, 200), "budgetFen", command.budgetFen);

/** The street or the command centre sets a community's budget for a year; never below what is committed. */
export function decideSetBudget(
  budget: MicroProjectBudget,
  command: { budgetFen: number; reason: string; by: string; at: Date },
): MicroProjectBudgetEvent {
  budgetChecks(new FieldChecks(), command).throwIfAny();
  if (command.budgetFen < budget.committedFen) {
    throw new FailedPreconditionError(
      `community ${budget.communityId} has committed ${budget.committedFen} fen of ${budget.year}: the budget cannot be less`,
      "BUDGET_BELOW_COMMITTED",
    );
  }
  return {
    type: "micro_project_budget.set",
    data: {
      communityId: budget.communityId,
      year: budget.year,
      budgetFen: command.budgetFen,
      reason: command.reason.trim(),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

/**
 * Commits an approved project's amount to the year's budget, never beyond it. A project
 * committed already is nothing to do (its retried approval); its first amount stands.
 */
export function decideCommit(
  budget: MicroProjectBudget,
  command: { projectId: string; amountFen: number; by: string; at: Date },
): MicroProjectBudgetEvent | undefined {
  if (budget.commitments.some((commitment) => commitment.projectId === command.projectId)) return undefined;
  const left = budget.budgetFen - budget.committedFen;
  if (command.amountFen > left) {
    throw new FailedPreconditionError(
      `community ${budget.communityId} has ${left} fen left of its ${budget.year} micro-project budget of ${budget.budgetFen}: ${command.amountFen} fen cannot be approved`,
      "BUDGET_EXCEEDED",
    );
  }
  return {
    type: "micro_project_budget.committed",
    data: {
      communityId: budget.communityId,
      year: budget.year,
      projectId: command.projectId,
      amountFen: command.amountFen,
      budgetFen: budget.budgetFen,
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

/** Gives back a declined project's commitment; none is nothing to do. */
export function decideRelease(
  budget: MicroProjectBudget,
  command: { projectId: string; by: string; at: Date },
): MicroProjectBudgetEvent | undefined {
  const commitment = commitmentOf(budget, command.projectId);
  if (!commitment) return undefined;
  return {
    type: "micro_project_budget.released",
    data: {
      communityId: budget.communityId,
      year: budget.year,
      projectId: command.projectId,
      amountFen: commitment.amountFen,
      budgetFen: budget.budgetFen,
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

export const commitmentOf = (budget: MicroProjectBudget, projectId: string) =>
  budget.commitments.find((commitment) => commitment.projectId === projectId);

/** A community's (or a street's, a district's) figures for a year. */
export interface MicroProjectFigures {
  areaId: string;
  year: number;
  byStatus: Record<MicroProjectStatus, number>;
  proposed: number;
  approved: number;
  approvedFen: number;
  budgetFen: number;
}

export function emptyFigures(areaId: string, year: number): MicroProjectFigures {
  return {
    areaId,
    year,
    byStatus: Object.fromEntries(microProjectStatuses.map((status) => [status, 0])) as Record<
      MicroProjectStatus,
      number
    >,
    proposed: 0,
    approved: 0,
    approvedFen: 0,
    budgetFen: 0,
  };
}

const approvedStatuses: readonly MicroProjectStatus[] = [
  "approved",
  "under_way",
  "completed",
  "rework",
  "accepted",
];

/** Adds one project to the figures. */
export function countProject(figures: MicroProjectFigures, project: MicroProject): void {
  figures.byStatus[project.status] += 1;
  figures.proposed += 1;
  if (approvedStatuses.includes(project.status)) {
    figures.approved += 1;
    figures.approvedFen += project.approvedFen;
  }
}
