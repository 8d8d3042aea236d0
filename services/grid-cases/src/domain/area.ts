import {
  AlreadyExistsError,
  AreaCode,
  type AreaLevel,
  FailedPreconditionError,
  FieldChecks,
  NotFoundError,
} from "@civic/domain-kit";

/**
 * The area tree, with the codes of digital city management (AreaCode): a city, its districts
 * (6 digits), streets (9), communities (12), grids (15) and buildings (18); a code's parent
 * is AreaCode.parent.
 */

/** Towns are one big grid, communities medium grids, split into small grids. */
export const gridSizes = ["big", "medium", "small"] as const;
export type GridSize = (typeof gridSizes)[number];

export const gridStaffRoles = ["chief", "worker"] as const;
export type GridStaffRole = (typeof gridStaffRoles)[number];

export interface GridStaffMember {
  personId: string;
  name: string;
  role: GridStaffRole;
}

export interface AreaFigures {
  population: number;
  households: number;
}

export interface DefinedArea extends AreaFigures {
  status: "defined";
  areaId: string;
  level: AreaLevel;
  name: string;
  parentId: string;
  gridSize: GridSize | "";
  staff: GridStaffMember[];
}

export type AreaState = { status: "none" } | DefinedArea;

export type AreaEvent =
  | { type: "area.defined"; data: Omit<DefinedArea, "status" | "staff"> & { by: string; at: string } }
  | { type: "area.figures_updated"; data: AreaFigures & { areaId: string; by: string; at: string } }
  | { type: "area.staff_assigned"; data: GridStaffMember & { areaId: string; by: string; at: string } };

export const initialAreaState = (): AreaState => ({ status: "none" });

export function evolveArea(state: AreaState, event: AreaEvent): AreaState {
  if (event.type === "area.defined") {
    const { by: _by, at: _at, ...area } = event.data;
    return { status: "defined", ...area, staff: [] };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "area.figures_updated":
      return { ...state, population: event.data.population, households: event.data.households };
    case "area.staff_assigned": {
      const { personId, name, role } = event.data;
      return {
        ...state,
        staff: [...state.staff.filter((member) => member.personId !== personId), { personId, name, role }],
      };
    }
  }
}

const parentLevel: Record<AreaLevel, AreaLevel | ""> = {
  city: "",
  district: "city",
  street: "district",
  community: "street",
  grid: "community",
  building: "grid",
};

function figureChecks(figures: AreaFigures): FieldChecks {
  const checks = new FieldChecks();
  for (const field of ["population", "households"] as const) {
    checks.check(
      field,
      Number.isInteger(figures[field]) && figures[field] >= 0,
      "must be a whole number, 0 or more",
    );
  }
  return checks;
}

export interface DefineArea extends AreaFigures {
  areaId: string;
  level: string;
  name: string;
  gridSize: string;
}

/** Defines an area under an existing parent; the code must fit the level and the parent. */
export function decideDefineArea(
  command: DefineArea,
  state: AreaState,
  parent: AreaState,
  actor: { subject: string },
  now: Date,
): AreaEvent {
  const level = command.level as AreaLevel;
  const checks = new FieldChecks().oneOf("level", level, AreaCode.levels);
  if (AreaCode.levels.includes(level)) {
    if (!AreaCode.is(command.areaId, level)) {
      checks.add("areaId", `a ${level} code has ${AreaCode.digits(level)} digits`);
    } else if (level === "city" && !command.areaId.endsWith("00")) {
      checks.add("areaId", "a city code ends in 00");
    }
  }
  checks
    .text("name", command.name, { max: 100 })
    .addAll(figureChecks(command).violations)
    .check(
      "gridSize",
      command.gridSize === "" || gridSizes.includes(command.gridSize as GridSize),
      `must be one of ${gridSizes.join(", ")} or empty`,
    )
    .throwIfAny();
  const name = command.name.trim();
  if (state.status !== "none") throw new AlreadyExistsError(`area ${command.areaId} already exists`);
  const parentId = AreaCode.parent(command.areaId, level);
  if (parentId !== "") {
    if (parent.status === "none") throw new NotFoundError("parent area", parentId);
    if (parent.level !== parentLevel[level]) {
      throw new FailedPreconditionError(
        `a ${level} belongs to a ${parentLevel[level]}, not a ${parent.level}`,
        "WRONG_PARENT_LEVEL",
      );
    }
  }
  return {
    type: "area.defined",
    data: {
      areaId: command.areaId,
      level,
      name,
      parentId,
      population: command.population,
      households: command.households,
      gridSize: command.gridSize as GridSize | "",
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export function decideUpdateFigures(
  figures: AreaFigures,
  state: AreaState,
  actor: { subject: string },
  now: Date,
): AreaEvent {
  figureChecks(figures).throwIfAny();
  if (state.status === "none") throw new NotFoundError("area", "");
  return {
    type: "area.figures_updated",
    data: { areaId: state.areaId, ...figures, by: actor.subject, at: now.toISOString() },
  };
}

export function decideAssignStaff(
  member: { personId: string; name: string; role: string },
  state: AreaState,
  actor: { subject: string },
  now: Date,
): AreaEvent {
  new FieldChecks()
    .identifier("personId", member.personId)
    .check("name", member.name.trim() !== "" && [...member.name].length <= 50, "must be 1 to 50 characters")
    .oneOf("role", member.role, gridStaffRoles, "must be chief or worker")
    .throwIfAny();
  if (state.status === "none") throw new NotFoundError("area", "");
  if (state.level !== "grid")
    throw new FailedPreconditionError(`staff are assigned to grids, not to a ${state.level}`, "NOT_A_GRID");
  if (
    member.role === "chief" &&
    state.staff.some((other) => other.role === "chief" && other.personId !== member.personId)
  ) {
    throw new FailedPreconditionError(`grid ${state.areaId} already has a grid chief`, "GRID_CHIEF_TAKEN");
  }
  return {
    type: "area.staff_assigned",
    data: {
      areaId: state.areaId,
      personId: member.personId,
      name: member.name.trim(),
      role: member.role as GridStaffRole,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}
