import {
  AreaCode,
  type Caller,
  chinaMonth,
  FailedPreconditionError,
  FieldChecks,
  hasAnyRole,
  NotFoundError,
  roles,
} from "@civic/domain-kit";

/**
 * Whole-subject grids (全科网格): a grid's workers patrol it for every subject of the grid's
 * duties, as often as the grid's patrol plan says, and record what they found. A finding can
 * become a case in one step; coverage is the patrols done against those planned, per grid and
 * month.
 */
export const patrolSubjects = [
  "party_building",
  "urban_management",
  "floating_population",
  "fire_safety",
  "emergency",
  "food_safety",
  "dispute_screening",
  "hazard_screening",
] as const;
export type PatrolSubject = (typeof patrolSubjects)[number];

/** The command centre, or community or street staff whose areas cover the grid. */
export const isAreaStaffOf = (caller: Caller, gridId: string): boolean =>
  hasAnyRole(caller, [roles.commandCentre]) ||
  (hasAnyRole(caller, [roles.communityStaff, roles.streetStaff]) && AreaCode.anyCovers(caller.areas, gridId));

/** Patrols of a grid are recorded and read by its own staff, and by the staff of its area. */
export const isPatrolStaffOf = (
  caller: Caller,
  grid: { areaId: string; staff: { personId: string }[] },
): boolean =>
  grid.staff.some((member) => member.personId === caller.subject) || isAreaStaffOf(caller, grid.areaId);

/** More than any grid is patrolled for one subject in a month (three times a day). */
const maxPerMonth = 93;

export interface PatrolFrequency {
  subject: PatrolSubject;
  perMonth: number;
}

export type PatrolPlanEvent = {
  type: "patrol_plan.set";
  data: { gridId: string; frequencies: PatrolFrequency[]; by: string; at: string };
};
export type PatrolPlanState =
  | { status: "none" }
  | { status: "set"; gridId: string; frequencies: PatrolFrequency[]; setBy: string; setAt: string };

export const initialPatrolPlanState = (): PatrolPlanState => ({ status: "none" });
export const evolvePatrolPlan = (_state: PatrolPlanState, event: PatrolPlanEvent): PatrolPlanState => ({
  status: "set",
  gridId: event.data.gridId,
  frequencies: event.data.frequencies,
  setBy: event.data.by,
  setAt: event.data.at,
});

export function decideSetPatrolPlan(command: {
  gridId: string;
  frequencies: { subject: string; perMonth: number }[];
  by: string;
  at: Date;
}): PatrolPlanEvent {
  const checks = new FieldChecks().check(
    "frequencies",
    command.frequencies.length > 0,
    "must name at least one subject",
  );
  const seen = new Set<string>();
  command.frequencies.forEach((frequency, index) => {
    checks
      .oneOf(`frequencies[${index}].subject`, frequency.subject, patrolSubjects)
      .check(`frequencies[${index}].subject`, !seen.has(frequency.subject), "each subject is planned once")
      .check(
        `frequencies[${index}].perMonth`,
        Number.isInteger(frequency.perMonth) && frequency.perMonth >= 1 && frequency.perMonth <= maxPerMonth,
        `must be a whole number from 1 to ${maxPerMonth}`,
      );
    seen.add(frequency.subject);
  });
  checks.throwIfAny();
  return {
    type: "patrol_plan.set",
    data: {
      gridId: command.gridId,
      frequencies: command.frequencies.map(({ subject, perMonth }) => ({
        subject: subject as PatrolSubject,
        perMonth,
      })),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

export interface PatrolFinding {
  findingId: string;
  subject: PatrolSubject;
  categoryCode: string;
  description: string;
  address: string;
  /** The case the finding became, "" until it is referred. */
  caseId: string;
}

export interface PatrolRecordedData {
  patrolId: string;
  gridId: string;
  /** The month of the patrol in China time, YYYY-MM: what coverage counts by. */
  period: string;
  subjects: PatrolSubject[];
  patrolledAt: string;
  notes: string;
  findings: PatrolFinding[];
  by: string;
  at: string;
}

export type PatrolEvent =
  | { type: "patrol.recorded"; data: PatrolRecordedData }
  | {
      type: "patrol.finding_referred";
      data: { patrolId: string; findingId: string; caseId: string; by: string; at: string };
    };

export type PatrolState =
  | { status: "none" }
  | (Omit<PatrolRecordedData, "at"> & { status: "recorded"; recordedAt: string });
export type Patrol = Exclude<PatrolState, { status: "none" }>;

export const initialPatrolState = (): PatrolState => ({ status: "none" });

export function evolvePatrol(state: PatrolState, event: PatrolEvent): PatrolState {
  if (event.type === "patrol.recorded") {
    const { at, ...recorded } = event.data;
    return { ...recorded, status: "recorded", recordedAt: at };
  }
  if (state.status === "none") return state;
  return {
    ...state,
    findings: state.findings.map((finding) =>
      finding.findingId === event.data.findingId ? { ...finding, caseId: event.data.caseId } : finding,
    ),
  };
}

export function requirePatrol(state: PatrolState, patrolId: string): Patrol {
  if (state.status === "none") throw new NotFoundError("patrol", patrolId);
  return state;
}

export interface RecordPatrol {
  patrolId: string;
  gridId: string;
  subjects: string[];
  patrolledAt: Date;
  notes: string;
  findings: { subject: string; categoryCode: string; description: string; address: string }[];
  by: string;
  at: Date;
}

/** A patrol done (not in the future), for subjects of the plan, with what it found. */
export function decideRecordPatrol(command: RecordPatrol, plan: PatrolPlanState): PatrolEvent {
  const planned = plan.status === "set" ? plan.frequencies.map((frequency) => frequency.subject) : [];
  if (planned.length === 0) {
    throw new FailedPreconditionError(
      `grid ${command.gridId} has no patrol plan: its community sets one first`,
      "NO_PATROL_PLAN",
    );
  }
  const checks = new FieldChecks()
    .check("subjects", command.subjects.length > 0, "must name at least one subject")
    .check(
      "patrolledAt",
      !Number.isNaN(command.patrolledAt.getTime()) && command.patrolledAt.getTime() <= command.at.getTime(),
      "must be a time that has passed",
    )
    .text("notes", command.notes, { max: 1000, optional: true })
    .check("findings", command.findings.length <= 50, "at most 50 findings per patrol");
  command.subjects.forEach((subject, index) => {
    checks.oneOf(
      `subjects[${index}]`,
      subject,
      planned,
      `must be a subject of the grid's plan: ${planned.join(", ")}`,
    );
  });
  command.findings.forEach((finding, index) => {
    checks
      .check(
        `findings[${index}].subject`,
        command.subjects.includes(finding.subject),
        "must be one of the patrol's subjects",
      )
      .requiredText(`findings[${index}].description`, finding.description, 2000)
      .requiredText(`findings[${index}].categoryCode`, finding.categoryCode, 64)
      .text(`findings[${index}].address`, finding.address, { max: 200, optional: true });
  });
  checks.throwIfAny();
  return {
    type: "patrol.recorded",
    data: {
      patrolId: command.patrolId,
      gridId: command.gridId,
      period: chinaMonth(command.patrolledAt),
      subjects: [...new Set(command.subjects)] as PatrolSubject[],
      patrolledAt: command.patrolledAt.toISOString(),
      notes: command.notes.trim(),
      findings: command.findings.map((finding, index) => ({
        findingId: String(index + 1),
        subject: finding.subject as PatrolSubject,
        categoryCode: finding.categoryCode.trim(),
        description: finding.description.trim(),
        address: finding.address.trim(),
        caseId: "",
      })),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

/** The title of the case a finding becomes: its subject and the start of what was found. */
export const findingCaseTitle = (finding: Pick<PatrolFinding, "subject" | "description">): string =>
  `${finding.subject.replaceAll("_", " ")}: ${[...finding.description].slice(0, 40).join("")}`;

export function requireFinding(patrol: Patrol, findingId: string): PatrolFinding {
  const finding = patrol.findings.find((candidate) => candidate.findingId === findingId);
  if (!finding) throw new NotFoundError(`finding of patrol ${patrol.patrolId}`, findingId);
  return finding;
}

/** Notes on the patrol which case a finding became; the same case again is nothing to do. */
export function decideFindingReferred(
  patrol: Patrol,
  command: { findingId: string; caseId: string; by: string; at: Date },
): PatrolEvent | undefined {
  const finding = requireFinding(patrol, command.findingId);
  if (finding.caseId === command.caseId) return undefined;
  return {
    type: "patrol.finding_referred",
    data: {
      patrolId: patrol.patrolId,
      findingId: command.findingId,
      caseId: command.caseId,
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

export interface SubjectCoverage {
  subject: PatrolSubject;
  planned: number;
  done: number;
}

/**
 * Patrols done against those planned for one grid and month: per subject, and in all as the
 * share of planned patrols done (a subject patrolled more often than planned does not make up
 * for another). Null when nothing is planned.
 */
export function patrolCoverage(
  plan: PatrolPlanState,
  patrols: Pick<Patrol, "subjects">[],
): { subjects: SubjectCoverage[]; coveragePercent: number | null } {
  const frequencies = plan.status === "set" ? plan.frequencies : [];
  const subjects = frequencies.map(({ subject, perMonth }) => ({
    subject,
    planned: perMonth,
    done: patrols.filter((patrol) => patrol.subjects.includes(subject)).length,
  }));
  const planned = subjects.reduce((sum, subject) => sum + subject.planned, 0);
  const done = subjects.reduce((sum, subject) => sum + Math.min(subject.done, subject.planned), 0);
  return {
    subjects,
    coveragePercent: planned === 0 ? null : Math.round((done * 1000) / planned) / 10,
  };
}
