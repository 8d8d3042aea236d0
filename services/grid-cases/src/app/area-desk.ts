import {
  AreaCode,
  type AreaLevel,
  type Caller,
  hasAnyRole,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type AreaEvent,
  type AreaFigures,
  type AreaState,
  type DefineArea,
  type DefinedArea,
  decideAssignStaff,
  decideDefineArea,
  decideUpdateFigures,
} from "../domain/area.js";
import {
  type DepartmentEvent,
  type DepartmentState,
  decideRegisterDepartment,
  type RegisteredDepartment,
} from "../domain/department.js";

/** Who may change the geography and the department list. */
export const geographyAdministrators = ["platform_admin", "command_centre"];

export interface AreaView extends DefinedArea {
  version: number;
}

function requireAdministrator(caller: Caller): void {
  if (!hasAnyRole(caller, geographyAdministrators)) {
    throw new PermissionDeniedError(
      `changing areas and departments needs one of ${geographyAdministrators.join(", ")}`,
    );
  }
}

/** Use cases of the shared geography: areas, grid staff and departments. */
export class AreaDesk {
  private readonly figuresListeners: ((areaId: string) => Promise<void>)[] = [];

  constructor(
    private readonly areas: AggregateRepository<AreaState, AreaEvent>,
    private readonly departments: AggregateRepository<DepartmentState, DepartmentEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async define(command: DefineArea, caller: Caller): Promise<AreaView> {
    requireAdministrator(caller);
    const level = command.level as AreaLevel;
    const parentId =
      AreaCode.levels.includes(level) && command.areaId ? AreaCode.parent(command.areaId, level) : "";
    const parent = parentId ? (await this.areas.load(parentId)).state : { status: "none" as const };
    const { state, version } = await this.areas.create(command.areaId, (initial) =>
      decideDefineArea(command, initial, parent, caller, this.now()),
    );
    return toView(state, version, command.areaId);
  }

  /** Calls `listener` after each change of an area's population and households (the staffing standards read them). */
  afterFiguresUpdated(listener: (areaId: string) => Promise<void>): void {
    this.figuresListeners.push(listener);
  }

  async updateFigures(areaId: string, figures: AreaFigures, caller: Caller): Promise<AreaView> {
    requireAdministrator(caller);
    const { state, version } = await this.areas.execute(areaId, (current) => {
      if (current.status === "none") throw new NotFoundError("area", areaId);
      return decideUpdateFigures(figures, current, caller, this.now());
    });
    for (const listener of this.figuresListeners) await listener(areaId);
    return toView(state, version, areaId);
  }

  async assignStaff(
    areaId: string,
    member: { personId: string; name: string; role: string },
    caller: Caller,
  ) {
    requireAdministrator(caller);
    const { state, version } = await this.areas.execute(areaId, (current) => {
      if (current.status === "none") throw new NotFoundError("area", areaId);
      return decideAssignStaff(member, current, caller, this.now());
    });
    return toView(state, version, areaId);
  }

  async get(areaId: string): Promise<AreaView> {
    const { state, version } = await this.areas.load(areaId);
    return toView(state, version, areaId);
  }

  async exists(areaId: string): Promise<boolean> {
    return (await this.areas.snapshots.countDocuments({ _id: areaId }, { limit: 1 })) > 0;
  }

  async listChildren(parentId: string, page: PageRequest) {
    const found = await pageOfSnapshots(this.areas.snapshots, { "state.parentId": parentId }, page);
    return {
      areas: found.items.map((snapshot) => toView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  async registerDepartment(command: { departmentId: string; name: string }, caller: Caller) {
    requireAdministrator(caller);
    const { state } = await this.departments.create(command.departmentId, (initial) =>
      decideRegisterDepartment(command, initial, caller, this.now()),
    );
    return state as RegisteredDepartment;
  }

  async departmentExists(departmentId: string): Promise<boolean> {
    return (await this.departments.snapshots.countDocuments({ _id: departmentId }, { limit: 1 })) > 0;
  }

  async listDepartments(page: PageRequest) {
    const found = await pageOfSnapshots(this.departments.snapshots, {}, page);
    return {
      departments: found.items.map((snapshot) => snapshot.state as RegisteredDepartment),
      nextPageToken: found.nextPageToken,
    };
  }
}

function toView(state: AreaState, version: number, areaId: string): AreaView {
  if (state.status === "none") throw new NotFoundError("area", areaId);
  return { ...state, version };
}
