import {
  AreaCode,
  FailedPreconditionError,
  FieldChecks,
  isCalendarDate,
  NotFoundError,
} from "@civic/domain-kit";
import { maxMovementFen } from "./fund.js";
import type { Topic } from "./topic.js";
import type { Vote } from "./vote.js";

/**
 * Old-compound renovation (老旧小区改造) [seed 001: Zhongshan's 2021–2025 plan screened 86 old
 * compounds and renovates them in three phases, "实施一批、谋划一批、储备一批"; 15 projects
 * started in the centre, for façades, parking, roads and greening, fire safety and
 * telecommunication lines]. A programme lists compounds by phase; each compound's project
 * is consulted with its residents (a deliberation topic or vote), then built, with its
 * progress reported; the programme shows progress by phase.
 */

/** What a renovation does, as seed 001 lists it, plus drainage and lifts (seed 000's 雨污分流, 加装电梯). */
export const renovationWorks = [
  "facade",
  "parking",
  "roads_greening",
  "fire_safety",
  "telecom_lines",
  "drainage",
  "lifts",
  "other",
] as const;
export type RenovationWork = (typeof renovationWorks)[number];

export const renovationStatuses = [
  "planned",
  "consulting",
  "approved",
  "under_construction",
  "completed",
] as const;
export type RenovationStatus = (typeof renovationStatuses)[number];

export const consultationKinds = ["topic", "vote"] as const;
export type ConsultationKind = (typeof consultationKinds)[number];

export interface Phase {
  phaseId: string;
  name: string;
  startYear: number;
  endYear: number;
}

export interface ListedCompound {
  compoundId: string;
  name: string;
  phaseId: string;
  listedAt: string;
}

export interface ProgrammeCreatedData {
  programmeId: string;
  areaId: string;
  name: string;
  phases: Phase[];
  createdBy: string;
  at: string;
}

export type RenovationProgrammeEvent =
  | { type: "renovation_programme.created"; data: ProgrammeCreatedData }
  | {
      type: "renovation_programme.compound_listed";
      data: {
        programmeId: string;
        compoundId: string;
        name: string;
        phaseId: string;
        by: string;
        at: string;
      };
    };

export type RenovationProgrammeState =
  | { status: "none" }
  | (ProgrammeCreatedData & { status: "active"; compounds: ListedCompound[] });
export type RenovationProgramme = Exclude<RenovationProgrammeState, { status: "none" }>;

export const initialRenovationProgrammeState = (): RenovationProgrammeState => ({ status: "none" });

export function evolveRenovationProgramme(
  state: RenovationProgrammeState,
  event: RenovationProgrammeEvent,
): RenovationProgrammeState {
  if (event.type === "renovation_programme.created")
    return { ...event.data, status: "active", compounds: [] };
  if (state.status === "none") return state;
  const { compoundId, name, phaseId, at } = event.data;
  return { ...state, compounds: [...state.compounds, { compoundId, name, phaseId, listedAt: at }] };
}

export function requireProgramme(state: RenovationProgrammeState, programmeId: string): RenovationProgramme {
  if (state.status === "none") throw new NotFoundError("renovation programme", programmeId);
  return state;
}

const validYear = (year: number) => Number.isInteger(year) && year >= 2000 && year <= 2100;

export function decideCreateProgramme(command: {
  programmeId: string;
  areaId: string;
  name: string;
  phases: { name: string; startYear: number; endYear: number }[];
  by: string;
  at: Date;
}): Extract<RenovationProgrammeEvent, { type: "renovation_programme.created" }> {
  const checks = new FieldChecks()
    .check("areaId", AreaCode.is(command.areaId.trim()), "must be an area code")
    .requiredText("name", command.name, 100)
    .check(
      "phases",
      command.phases.length >= 1 && command.phases.length <= 10,
      "a programme has 1 to 10 phases",
    );
  for (const [index, phase] of command.phases.entries()) {
    checks
      .requiredText(`phases[${index}].name`, phase.name, 50)
      .check(`phases[${index}].startYear`, validYear(phase.startYear), "must be a year from 2000 to 2100")
      .check(
        `phases[${index}].endYear`,
        validYear(phase.endYear) && phase.endYear >= phase.startYear,
        "must be a year from 2000 to 2100, not before the start year",
      );
  }
  checks.throwIfAny();
  return {
    type: "renovation_programme.created",
    data: {
      programmeId: command.programmeId,
      areaId: command.areaId.trim(),
      name: command.name.trim(),
      phases: command.phases.map((phase, index) => ({
        phaseId: String(index + 1),
        name: phase.name.trim(),
        startYear: phase.startYear,
        endYear: phase.endYear,
      })),
      createdBy: command.by,
      at: command.at.toISOString(),
    },
  };
}

/** Lists a compound (checked against the area tree by the caller) in a phase; a compound is in one phase. */
export function decideListCompound(
  programme: RenovationProgramme,
  command: { compoundId: string; name: string; phaseId: string; by: string; at: Date },
): RenovationProgrammeEvent {
  const compoundId = command.compoundId.trim();
  new FieldChecks()
    .check(
      "phaseId",
      programme.phases.some((phase) => phase.phaseId === command.phaseId.trim()),
      `must be one of the programme's phases ${programme.phases.map((phase) => phase.phaseId).join(", ")}`,
    )
    .check(
      "compoundId",
      AreaCode.covers(programme.areaId, compoundId),
      `must be an area within the programme's area ${programme.areaId}`,
    )
    .throwIfAny();
  const listed = programme.compounds.find((compound) => compound.compoundId === compoundId);
  if (listed) {
    throw new FailedPreconditionError(
      `compound ${compoundId} is listed in phase ${listed.phaseId} of programme ${programme.programmeId}`,
      "COMPOUND_ALREADY_LISTED",
    );
  }
  return {
    type: "renovation_programme.compound_listed",
    data: {
      programmeId: programme.programmeId,
      compoundId,
      name: command.name,
      phaseId: command.phaseId.trim(),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

// A compound's renovation project.

export interface ProgressReport {
  percent: number;
  note: string;
  photoUrls: string[];
  by: string;
  at: string;
}

export interface RenovationProjectCreatedData {
  projectId: string;
  programmeId: string;
  phaseId: string;
  compoundId: string;
  title: string;
  works: RenovationWork[];
  budgetFen: number;
  plannedStart: string;
  plannedEnd: string;
  createdBy: string;
  at: string;
}

interface ProjectStep {
  projectId: string;
  programmeId: string;
  phaseId: string;
  compoundId: string;
  by: string;
  at: string;
}

export type RenovationProjectEvent =
  | { type: "renovation_project.created"; data: RenovationProjectCreatedData }
  | {
      type: "renovation_project.consultation_linked";
      data: ProjectStep & { consultationKind: ConsultationKind; consultationId: string };
    }
  | {
      type: "renovation_project.consultation_concluded";
      data: ProjectStep & { consultationKind: ConsultationKind; consultationId: string; outcome: string };
    }
  | { type: "renovation_project.construction_started"; data: ProjectStep }
  | { type: "renovation_project.progress_reported"; data: ProjectStep & Omit<ProgressReport, "by" | "at"> };

export type RenovationProjectState =
  | { status: "none" }
  | (RenovationProjectCreatedData & {
      status: RenovationStatus;
      consultationKind: ConsultationKind | "";
      consultationId: string;
      consultationOutcome: string;
      progressPercent: number;
      progress: ProgressReport[];
      startedAt: string;
      completedAt: string;
      updatedAt: string;
    });
export type RenovationProject = Exclude<RenovationProjectState, { status: "none" }>;

export const initialRenovationProjectState = (): RenovationProjectState => ({ status: "none" });

export function evolveRenovationProject(
  state: RenovationProjectState,
  event: RenovationProjectEvent,
): RenovationProjectState {
  if (event.type === "renovation_project.created") {
    return {
      ...event.data,
      status: "planned",
      consultationKind: "",
      consultationId: "",
      consultationOutcome: "",
      progressPercent: 0,
      progress: [],
      startedAt: "",
      completedAt: "",
      updatedAt: event.data.at,
    };
  }
  if (state.status === "none") return state;
  const updatedAt = event.data.at;
  switch (event.type) {
    case "renovation_project.consultation_linked":
      return {
        ...state,
        status: "consulting",
        consultationKind: event.data.consultationKind,
        consultationId: event.data.consultationId,
        consultationOutcome: "",
        updatedAt,
      };
    case "renovation_project.consultation_concluded":
      return { ...state, status: "approved", consultationOutcome: event.data.outcome, updatedAt };
    case "renovation_project.construction_started":
      return { ...state, status: "under_construction", startedAt: updatedAt, updatedAt };
    case "renovation_project.progress_reported": {
      const { percent, note, photoUrls, by } = event.data;
      const done = percent === 100;
      return {
        ...state,
        progressPercent: percent,
        progress: [...state.progress, { percent, note, photoUrls, by, at: updatedAt }],
        status: done ? "completed" : state.status,
        completedAt: done ? updatedAt : state.completedAt,
        updatedAt,
      };
    }
  }
}

export function requireRenovationProject(
  state: RenovationProjectState,
  projectId: string,
): RenovationProject {
  if (state.status === "none") throw new NotFoundError("renovation project", projectId);
  return state;
}

export interface CreateRenovationProject {
  projectId: string;
  compoundId: string;
  title: string;
  works: string[];
  budgetFen: number;
  plannedStart: string;
  plannedEnd: string;
  by: string;
  at: Date;
}

/** A project for a compound the programme lists; its phase is the compound's. */
export function decideCreateRenovationProject(
  programme: RenovationProgramme,
  command: CreateRenovationProject,
): RenovationProjectEvent {
  const compoundId = command.compoundId.trim();
  const listed = programme.compounds.find((compound) => compound.compoundId === compoundId);
  const checks = new FieldChecks()
    .check(
      "compoundId",
      listed !== undefined,
      `must be a compound listed in programme ${programme.programmeId}`,
    )
    .requiredText("title", command.title, 100)
    .check(
      "works",
      command.works.length >= 1 && command.works.length <= renovationWorks.length,
      `must name 1 or more of ${renovationWorks.join(", ")}`,
    )
    .check(
      "budgetFen",
      Number.isInteger(command.budgetFen) &&
        command.budgetFen >= 0 &&
        command.budgetFen <= maxMovementFen * 10,
      "must be 0 (not known yet) or a whole number of fen up to 100 million yuan",
    )
    .check("plannedStart", isCalendarDate(command.plannedStart.trim()), "must be a date YYYY-MM-DD")
    .check(
      "plannedEnd",
      isCalendarDate(command.plannedEnd.trim()) && command.plannedEnd.trim() >= command.plannedStart.trim(),
      "must be a date YYYY-MM-DD, not before plannedStart",
    );
  for (const [index, work] of command.works.entries()) {
    checks.oneOf(`works[${index}]`, work, renovationWorks);
  }
  checks
    .check("works", new Set(command.works).size === command.works.length, "must not repeat a work")
    .throwIfAny();
  return {
    type: "renovation_project.created",
    data: {
      projectId: command.projectId,
      programmeId: programme.programmeId,
      phaseId: listed?.phaseId ?? "",
      compoundId,
      title: command.title.trim(),
      works: command.works as RenovationWork[],
      budgetFen: command.budgetFen,
      plannedStart: command.plannedStart.trim(),
      plannedEnd: command.plannedEnd.trim(),
      createdBy: command.by,
      at: command.at.toISOString(),
    },
  };
}

const stepOf = (project: RenovationProject, by: string, at: Date): ProjectStep => ({
  projectId: project.projectId,
  programmeId: project.programmeId,
  phaseId: project.phaseId,
  compoundId: project.compoundId,
  by,
  at: at.toISOString(),
});

function requireStatus(
  project: RenovationProject,
  allowed: readonly RenovationStatus[],
  action: string,
): void {
  if (!allowed.includes(project.status)) {
    throw new FailedPreconditionError(
      `renovation project ${project.projectId} is ${project.status}: ${action} needs it ${allowed.join(" or ")}`,
      "WRONG_PROJECT_STATUS",
    );
  }
}

/** Where the residents are consulted: a topic or a vote of the compound or of its community. */
const consultsCompound = (areaId: string, compoundId: string) =>
  AreaCode.covers(areaId, compoundId) || AreaCode.covers(compoundId, areaId);

/**
 * Links the residents' consultation (a deliberation topic or vote of the compound or its
 * community). Before construction starts another may replace it, e.g. after a failed vote.
 */
/** The subject a vote on a renovation project's plan names. */
export const renovationProjectSubject = (projectId: string) => `renovation-project:${projectId}`;

export function decideLinkConsultation(
  project: RenovationProject,
  /** A vote's subject reference; "" for a topic, which is about what its title says. */
  consultation: { kind: ConsultationKind; id: string; areaId: string; subjectReference: string },
  by: string,
  at: Date,
): RenovationProjectEvent {
  requireStatus(project, ["planned", "consulting"], "linking a consultation");
  if (!consultsCompound(consultation.areaId, project.compoundId)) {
    throw new FailedPreconditionError(
      `${consultation.kind} ${consultation.id} is of area ${consultation.areaId}, neither compound ${project.compoundId} nor its community`,
      "CONSULTATION_OF_ANOTHER_AREA",
    );
  }
  const subject = renovationProjectSubject(project.projectId);
  if (consultation.kind === "vote" && consultation.subjectReference !== subject) {
    throw new FailedPreconditionError(
      `vote ${consultation.id} decides "${consultation.subjectReference}"; a project's plan is voted on with the subject ${subject}`,
      "VOTE_ON_ANOTHER_SUBJECT",
    );
  }
  return {
    type: "renovation_project.consultation_linked",
    data: {
      ...stepOf(project, by, at),
      consultationKind: consultation.kind,
      consultationId: consultation.id,
    },
  };
}

/**
 * Concludes the consultation: a vote closed and adopted, or a topic that reached its decision
 * (step "decide" recorded). The outcome is what the vote or the decision step said.
 */
export function decideConcludeConsultation(
  project: RenovationProject,
  consultation: { vote?: Vote; topic?: Topic },
  by: string,
  at: Date,
): RenovationProjectEvent {
  requireStatus(project, ["consulting"], "concluding the consultation");
  let outcome: string;
  if (project.consultationKind === "vote") {
    const vote = consultation.vote;
    const result = vote?.result;
    if (vote?.status !== "closed" || !result) {
      throw new FailedPreconditionError(
        `vote ${project.consultationId} is ${vote?.status ?? "unknown"}, not closed`,
        "CONSULTATION_NOT_CONCLUDED",
      );
    }
    if (!result.adopted) {
      throw new FailedPreconditionError(
        `vote ${project.consultationId} was not adopted (${result.reason}): link another consultation`,
        "CONSULTATION_NOT_ADOPTED",
      );
    }
    outcome = `vote adopted: ${result.reason}`;
  } else {
    const decided = consultation.topic?.steps.find((step) => step.step === "decide");
    if (!decided) {
      throw new FailedPreconditionError(
        `topic ${project.consultationId} has not reached its decision (step "decide")`,
        "CONSULTATION_NOT_CONCLUDED",
      );
    }
    outcome = decided.record;
  }
  return {
    type: "renovation_project.consultation_concluded",
    data: {
      ...stepOf(project, by, at),
      consultationKind: project.consultationKind as ConsultationKind,
      consultationId: project.consultationId,
      outcome,
    },
  };
}

export function decideStartConstruction(
  project: RenovationProject,
  by: string,
  at: Date,
): RenovationProjectEvent {
  requireStatus(project, ["approved"], "starting construction");
  return { type: "renovation_project.construction_started", data: stepOf(project, by, at) };
}

/** Progress under construction, 0–100 and never backwards; 100 completes the project (竣工). */
export function decideReportProgress(
  project: RenovationProject,
  command: { percent: number; note: string; photoUrls: string[]; by: string; at: Date },
): RenovationProjectEvent {
  new FieldChecks()
    .check(
      "percent",
      Number.isInteger(command.percent) && command.percent >= 0 && command.percent <= 100,
      "must be a whole percent from 0 to 100",
    )
    .requiredText("note", command.note, 500)
    .mediaUrls("photoUrls", command.photoUrls, 9)
    .throwIfAny();
  requireStatus(project, ["under_construction"], "reporting progress");
  if (command.percent < project.progressPercent) {
    throw new FailedPreconditionError(
      `renovation project ${project.projectId} is at ${project.progressPercent}%: progress does not go back`,
      "PROGRESS_BACKWARDS",
    );
  }
  return {
    type: "renovation_project.progress_reported",
    data: {
      ...stepOf(project, command.by, command.at),
      percent: command.percent,
      note: command.note.trim(),
      photoUrls: command.photoUrls.map((url) => url.trim()),
    },
  };
}

/** A phase's progress: its compounds, their projects by status, and their mean progress. */
export interface PhaseProgress {
  phase: Phase;
  compoundsListed: number;
  compoundsWithProject: number;
  projects: number;
  byStatus: Record<RenovationStatus, number>;
  /** Mean progress of the phase's projects, whole percent (0 without projects). */
  meanProgressPercent: number;
  compoundsCompleted: number;
}

export function progressByPhase(
  programme: RenovationProgramme,
  projects: RenovationProject[],
): PhaseProgress[] {
  return programme.phases.map((phase) => {
    const ofPhase = projects.filter((project) => project.phaseId === phase.phaseId);
    const byStatus = Object.fromEntries(renovationStatuses.map((status) => [status, 0])) as Record<
      RenovationStatus,
      number
    >;
    for (const project of ofPhase) byStatus[project.status] += 1;
    const total = ofPhase.reduce((sum, project) => sum + project.progressPercent, 0);
    const compounds = programme.compounds.filter((compound) => compound.phaseId === phase.phaseId);
    const withProject = new Set(ofPhase.map((project) => project.compoundId));
    // A compound is done when it has projects and every one of them is completed.
    const completed = compounds.filter(
      (compound) =>
        withProject.has(compound.compoundId) &&
        ofPhase
          .filter((project) => project.compoundId === compound.compoundId)
          .every((project) => project.status === "completed"),
    ).length;
    return {
      phase,
      compoundsListed: compounds.length,
      compoundsWithProject: compounds.filter((compound) => withProject.has(compound.compoundId)).length,
      projects: ofPhase.length,
      byStatus,
      meanProgressPercent: ofPhase.length === 0 ? 0 : Math.round(total / ofPhase.length),
      compoundsCompleted: completed,
    };
  });
}
