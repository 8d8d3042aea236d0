import { AreaCode, FailedPreconditionError, FieldChecks, isIdentifier } from "@civic/domain-kit";

/**
 * Liaison (双挂点, 驻点): cadres are assigned to communities and enterprises. A cadre's
 * assignments are one stream (`cadre-<cadreId>`); a visit or reception is logged only by a
 * cadre with an assignment that covers where it happened.
 */
export const liaisonTargetKinds = ["community", "enterprise"] as const;
export type LiaisonTargetKind = (typeof liaisonTargetKinds)[number];

export interface LiaisonAssignment {
  targetKind: LiaisonTargetKind;
  /** The community's area code, or the enterprise's id. */
  targetId: string;
  /** The community itself, or the area (community or below) the enterprise is in. */
  areaId: string;
  assignedBy: string;
  assignedAt: string;
}

export interface LiaisonCadre {
  status: "assigned";
  cadreId: string;
  name: string;
  assignments: LiaisonAssignment[];
}

export type CadreState = { status: "none" } | LiaisonCadre;

export type CadreEvent = {
  type: "cadre.assigned";
  data: {
    cadreId: string;
    name: string;
    targetKind: LiaisonTargetKind;
    targetId: string;
    areaId: string;
    by: string;
    at: string;
  };
};

export const initialCadreState = (): CadreState => ({ status: "none" });

export function evolveCadre(state: CadreState, event: CadreEvent): CadreState {
  const { cadreId, name, targetKind, targetId, areaId, by, at } = event.data;
  const assignment: LiaisonAssignment = { targetKind, targetId, areaId, assignedBy: by, assignedAt: at };
  const earlier = state.status === "assigned" ? state.assignments : [];
  return { status: "assigned", cadreId, name, assignments: [...earlier, assignment] };
}

export interface AssignLiaison {
  cadreId: string;
  name: string;
  targetKind: string;
  targetId: string;
  areaId: string;
}

export function validateAssignment(command: AssignLiaison): void {
  const checks = new FieldChecks()
    .identifier("cadreId", command.cadreId)
    .text("name", command.name, { max: 50 });
  const kind = command.targetKind as LiaisonTargetKind;
  if (!liaisonTargetKinds.includes(kind)) {
    checks.add("targetKind", "must be community or enterprise");
  } else if (kind === "community") {
    checks
      .check("targetId", AreaCode.is(command.targetId, "community"), "a community is its 12-digit area code")
      .check(
        "areaId",
        command.areaId === "" || command.areaId === command.targetId,
        "is the community itself (or empty)",
      );
  } else {
    checks
      .check(
        "targetId",
        isIdentifier(command.targetId),
        "must be the enterprise's id: letters, digits, - or _",
      )
      .check(
        "areaId",
        AreaCode.is(command.areaId, "community", "grid", "building"),
        "must be the community, grid or building the enterprise is in",
      );
  }
  checks.throwIfAny();
}

export function decideAssign(
  command: AssignLiaison,
  state: CadreState,
  actor: { subject: string },
  now: Date,
): CadreEvent | undefined {
  validateAssignment(command);
  const areaId = command.targetKind === "community" ? command.targetId : command.areaId;
  if (
    state.status === "assigned" &&
    state.assignments.some(
      (assignment) =>
        assignment.targetKind === command.targetKind && assignment.targetId === command.targetId,
    )
  )
    return undefined;
  return {
    type: "cadre.assigned",
    data: {
      cadreId: command.cadreId,
      name: command.name.trim(),
      targetKind: command.targetKind as LiaisonTargetKind,
      targetId: command.targetId,
      areaId,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** 接待群众 (people received at a liaison point) or 入户走访 (households visited). */
export const visitKinds = ["reception", "household_visit"] as const;
export type VisitKind = (typeof visitKinds)[number];

export interface LogVisit {
  kind: string;
  /** Where: a community, grid or building code. */
  areaId: string;
  /** For a visit to an enterprise the cadre is assigned to; "" otherwise. */
  enterpriseId: string;
  /** Households received or visited. */
  households: number;
  note: string;
}

export interface LoggedVisit {
  status: "logged";
  visitId: string;
  cadreId: string;
  kind: VisitKind;
  areaId: string;
  enterpriseId: string;
  households: number;
  note: string;
  at: string;
}

export type VisitState = { status: "none" } | LoggedVisit;

export type VisitEvent = { type: "visit.logged"; data: Omit<LoggedVisit, "status"> };

export const initialVisitState = (): VisitState => ({ status: "none" });

export function evolveVisit(_state: VisitState, event: VisitEvent): VisitState {
  return { status: "logged", ...event.data };
}

export function validateVisit(command: LogVisit): void {
  new FieldChecks()
    .oneOf("kind", command.kind, visitKinds)
    .check(
      "areaId",
      AreaCode.is(command.areaId, "community", "grid", "building"),
      "must be a community, grid or building code",
    )
    .check(
      "enterpriseId",
      command.enterpriseId === "" || isIdentifier(command.enterpriseId),
      "must be letters, digits, - or _",
    )
    .check(
      "households",
      Number.isInteger(command.households) && command.households >= 1 && command.households <= 100_000,
      "must be a whole number from 1 to 100,000",
    )
    .check("note", [...command.note].length <= 2_000, "must be at most 2,000 characters")
    .throwIfAny();
}

/** A cadre logs a visit only where one of their assignments covers it. */
export function decideLogVisit(
  command: LogVisit,
  visitId: string,
  cadre: CadreState,
  cadreId: string,
  now: Date,
): VisitEvent {
  validateVisit(command);
  const covered =
    cadre.status === "assigned" &&
    cadre.assignments.some((assignment) =>
      command.enterpriseId === ""
        ? assignment.targetKind === "community" && command.areaId.startsWith(assignment.targetId)
        : assignment.targetKind === "enterprise" && assignment.targetId === command.enterpriseId,
    );
  if (!covered) {
    throw new FailedPreconditionError(
      command.enterpriseId === ""
        ? `${cadreId} has no liaison assignment covering area ${command.areaId}`
        : `${cadreId} has no liaison assignment to enterprise ${command.enterpriseId}`,
      "NO_LIAISON_ASSIGNMENT",
    );
  }
  return {
    type: "visit.logged",
    data: {
      visitId,
      cadreId,
      kind: command.kind as VisitKind,
      areaId: command.areaId,
      enterpriseId: command.enterpriseId,
      households: command.households,
      note: command.note.trim(),
      at: now.toISOString(),
    },
  };
}
