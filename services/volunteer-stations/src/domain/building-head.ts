import { AreaCode, type Caller, FailedPreconditionError, NotFoundError } from "@civic/domain-kit";
import { requireManagesArea } from "./authority.js";
import { StationFieldChecks } from "./field-checks.js";

/**
 * A building's head (楼栋长) and the roles they take on of the five: mediator (调解员),
 * publicist (宣传员), informant (信息员), patroller (巡查员) and liaison (联络员). One head per
 * building (an 18-digit building code of grid-cases' tree); appointing another replaces them.
 */
export const buildingHeadRoles = ["mediator", "publicist", "informant", "patroller", "liaison"] as const;

export interface BuildingState {
  status: "none" | "headed" | "vacant";
  buildingId: string;
  communityId: string;
  headId: string;
  headName: string;
  roles: string[];
  appointedBy: string;
  appointedAt: string;
}

export type BuildingEvent =
  | {
      type: "building.head_appointed";
      data: {
        buildingId: string;
        communityId: string;
        headId: string;
        headName: string;
        roles: string[];
        previousHeadId: string;
        by: string;
        at: string;
      };
    }
  | {
      type: "building.head_relieved";
      data: {
        buildingId: string;
        communityId: string;
        headId: string;
        reason: string;
        by: string;
        at: string;
      };
    };

export const initialBuildingState = (): BuildingState => ({
  status: "none",
  buildingId: "",
  communityId: "",
  headId: "",
  headName: "",
  roles: [],
  appointedBy: "",
  appointedAt: "",
});

export function evolveBuilding(state: BuildingState, event: BuildingEvent): BuildingState {
  switch (event.type) {
    case "building.head_appointed":
      return {
        status: "headed",
        buildingId: event.data.buildingId,
        communityId: event.data.communityId,
        headId: event.data.headId,
        headName: event.data.headName,
        roles: event.data.roles,
        appointedBy: event.data.by,
        appointedAt: event.data.at,
      };
    case "building.head_relieved":
      return { ...state, status: "vacant", headId: "", headName: "", roles: [] };
  }
}

export const communityOfBuilding = AreaCode.communityOf;

export interface AppointHead {
  buildingId: string;
  headId: string;
  headName: string;
  roles: string[];
}

/**
 * Staff of the community appoint; `knownBuilding` says whether grid-cases' tree (as this
 * service's replica has it) holds the building. Re-appointing the same head with the same
 * roles changes nothing.
 */
export function decideAppointHead(
  command: AppointHead,
  state: BuildingState,
  knownBuilding: boolean,
  caller: Caller,
  now: Date,
): BuildingEvent | undefined {
  const roles = command.roles.length === 0 ? [...buildingHeadRoles] : [...new Set(command.roles)];
  const checks = new StationFieldChecks()
    .check("buildingId", AreaCode.is(command.buildingId, "building"), "must be an 18-digit building code")
    .personId("headId", command.headId)
    .text("headName", command.headName, { max: 50 });
  roles.forEach((role, index) => {
    checks.oneOf(`roles[${index}]`, role, buildingHeadRoles);
  });
  checks.throwIfAny();
  if (!knownBuilding)
    new StationFieldChecks().add("buildingId", "is not a building of grid-cases' area tree").throwIfAny();
  const communityId = communityOfBuilding(command.buildingId);
  requireManagesArea(caller, communityId, "appointing a building head");
  const ordered = buildingHeadRoles.filter((role) => roles.includes(role));
  if (
    state.status === "headed" &&
    state.headId === command.headId &&
    state.headName === command.headName.trim() &&
    state.roles.join() === ordered.join()
  )
    return undefined;
  return {
    type: "building.head_appointed",
    data: {
      buildingId: command.buildingId,
      communityId,
      headId: command.headId,
      headName: command.headName.trim(),
      roles: ordered,
      previousHeadId: state.status === "headed" ? state.headId : "",
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

export function decideRelieveHead(
  state: BuildingState,
  buildingId: string,
  reason: string,
  caller: Caller,
  now: Date,
): BuildingEvent {
  new StationFieldChecks().text("reason", reason, { max: 500 }).throwIfAny();
  if (state.status === "none") throw new NotFoundError("building head", buildingId);
  requireManagesArea(caller, state.communityId, "relieving a building head");
  if (state.status !== "headed")
    throw new FailedPreconditionError(`building ${buildingId} has no head`, "NO_BUILDING_HEAD");
  return {
    type: "building.head_relieved",
    data: {
      buildingId,
      communityId: state.communityId,
      headId: state.headId,
      reason: reason.trim(),
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}
