import {
  AreaCode,
  type AreaLevel,
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
  NotFoundError,
} from "@civic/domain-kit";

/**
 * The party organisation tree. Each level hangs under a fixed level above it (a branch
 * under a community committee or a general branch, a party group under a branch or a
 * general branch), and each organisation works in an area inside its parent's area.
 */
export const organisationLevels = [
  "district_committee",
  "street_working_committee",
  "community_committee",
  "general_branch",
  "branch",
  "party_group",
] as const;
export type OrganisationLevel = (typeof organisationLevels)[number];

export const branchKinds = ["grid", "building", "owners_committee", "enterprise"] as const;
export type BranchKind = (typeof branchKinds)[number];

const parentLevels: Record<OrganisationLevel, readonly OrganisationLevel[]> = {
  district_committee: [],
  street_working_committee: ["district_committee"],
  community_committee: ["street_working_committee"],
  general_branch: ["community_committee"],
  branch: ["community_committee", "general_branch"],
  party_group: ["general_branch", "branch"],
};

/** Area code lengths each level may work in: a district, a street, a community or below. */
const belowCommunity: AreaLevel[] = ["community", "grid", "building"];
const workingAreas: Record<OrganisationLevel, AreaLevel[]> = {
  district_committee: ["district"],
  street_working_committee: ["street"],
  community_committee: ["community"],
  general_branch: belowCommunity,
  branch: belowCommunity,
  party_group: belowCommunity,
};

const hasBranchKind = (level: OrganisationLevel) => level === "general_branch" || level === "branch";

export interface OrganisationChange {
  kind: "founded" | "renamed" | "moved";
  /** Names for a rename, parent ids for a move. */
  from: string;
  to: string;
  fromAreaId: string;
  toAreaId: string;
  by: string;
  at: string;
}

export interface FoundedOrganisation {
  status: "founded";
  organisationId: string;
  level: OrganisationLevel;
  branchKind: BranchKind | "";
  name: string;
  parentId: string;
  areaId: string;
  history: OrganisationChange[];
}

export type OrganisationState = { status: "none" } | FoundedOrganisation;

export type OrganisationEvent =
  | {
      type: "organisation.founded";
      data: Omit<FoundedOrganisation, "status" | "history"> & { by: string; at: string };
    }
  | {
      type: "organisation.renamed";
      data: { organisationId: string; from: string; to: string; by: string; at: string };
    }
  | {
      type: "organisation.moved";
      data: {
        organisationId: string;
        fromParentId: string;
        toParentId: string;
        fromAreaId: string;
        toAreaId: string;
        by: string;
        at: string;
      };
    };

export const initialOrganisationState = (): OrganisationState => ({ status: "none" });

export function evolveOrganisation(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  if (event.type === "organisation.founded") {
    const { by, at, ...organisation } = event.data;
    const founded: OrganisationChange = {
      kind: "founded",
      from: "",
      to: organisation.parentId,
      fromAreaId: "",
      toAreaId: organisation.areaId,
      by,
      at,
    };
    return { status: "founded", ...organisation, history: [founded] };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "organisation.renamed": {
      const { from, to, by, at } = event.data;
      const change: OrganisationChange = { kind: "renamed", from, to, fromAreaId: "", toAreaId: "", by, at };
      return { ...state, name: to, history: [...state.history, change] };
    }
    case "organisation.moved": {
      const { fromParentId, toParentId, fromAreaId, toAreaId, by, at } = event.data;
      const change: OrganisationChange = {
        kind: "moved",
        from: fromParentId,
        to: toParentId,
        fromAreaId,
        toAreaId,
        by,
        at,
      };
      return { ...state, parentId: toParentId, areaId: toAreaId, history: [...state.history, change] };
    }
  }
}

const checkName = (name: string, checks = new FieldChecks()) => checks.text("name", name, { max: 100 });

export interface FoundOrganisation {
  organisationId: string;
  level: string;
  branchKind: string;
  name: string;
  parentId: string;
  areaId: string;
}

/** Checks the fields of a founding on their own (before anything is read or authorised). */
export function validateFound(command: Omit<FoundOrganisation, "organisationId">): void {
  const checks = new FieldChecks();
  const level = command.level as OrganisationLevel;
  if (!organisationLevels.includes(level)) {
    checks.add("level", `must be one of ${organisationLevels.join(", ")}`);
  } else {
    if (hasBranchKind(level)) checks.oneOf("branchKind", command.branchKind, branchKinds);
    else checks.check("branchKind", command.branchKind === "", "is only for general branches and branches");
    checks.check(
      "areaId",
      AreaCode.is(command.areaId, ...workingAreas[level]),
      `is not an area code a ${level} can work in`,
    );
    if (level === "district_committee")
      checks.check("parentId", command.parentId === "", "a district committee has no parent");
    else checks.check("parentId", command.parentId !== "", "is required");
  }
  checkName(command.name, checks).throwIfAny();
}

/** Founds an organisation under an existing parent of the level above, in the parent's area. */
export function decideFound(
  command: FoundOrganisation,
  parent: OrganisationState,
  actor: { subject: string },
  now: Date,
): OrganisationEvent {
  validateFound(command);
  const level = command.level as OrganisationLevel;
  if (command.parentId !== "") {
    if (parent.status === "none") throw new NotFoundError("parent organisation", command.parentId);
    requireParentFits(level, command.areaId, parent);
  }
  return {
    type: "organisation.founded",
    data: {
      organisationId: command.organisationId,
      level,
      branchKind: command.branchKind as BranchKind | "",
      name: command.name.trim(),
      parentId: command.parentId,
      areaId: command.areaId,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export function decideRename(
  name: string,
  state: FoundedOrganisation,
  actor: { subject: string },
  now: Date,
): OrganisationEvent | undefined {
  checkName(name).throwIfAny();
  if (name.trim() === state.name) return undefined;
  return {
    type: "organisation.renamed",
    data: {
      organisationId: state.organisationId,
      from: state.name,
      to: name.trim(),
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export interface MoveOrganisation {
  newParentId: string;
  /** "" keeps the current area. */
  areaId: string;
}

/**
 * Moves an organisation under a new parent. `newParentAncestors` are the ids above the new
 * parent: when the organisation is among them (or is the new parent) the move would make a
 * cycle. Levels alone already forbid cycles; naming the cycle gives the caller the real reason.
 */
export function decideMove(
  command: MoveOrganisation,
  state: FoundedOrganisation,
  newParent: OrganisationState,
  newParentAncestors: readonly string[],
  actor: { subject: string },
  now: Date,
): OrganisationEvent | undefined {
  const areaId = command.areaId === "" ? state.areaId : command.areaId;
  if (command.newParentId === "")
    throw new InvalidArgumentError([{ field: "newParentId", description: "is required" }]);
  if (!AreaCode.is(areaId, ...workingAreas[state.level]))
    throw new InvalidArgumentError([
      { field: "areaId", description: `is not an area code a ${state.level} can work in` },
    ]);
  if (newParent.status === "none") throw new NotFoundError("organisation", command.newParentId);
  if (command.newParentId === state.organisationId || newParentAncestors.includes(state.organisationId)) {
    throw new FailedPreconditionError(
      `${state.organisationId} cannot move under ${command.newParentId}: it is that organisation or above it`,
      "ORGANISATION_CYCLE",
    );
  }
  requireParentFits(state.level, areaId, newParent);
  if (command.newParentId === state.parentId && areaId === state.areaId) return undefined;
  return {
    type: "organisation.moved",
    data: {
      organisationId: state.organisationId,
      fromParentId: state.parentId,
      toParentId: command.newParentId,
      fromAreaId: state.areaId,
      toAreaId: areaId,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

function requireParentFits(level: OrganisationLevel, areaId: string, parent: FoundedOrganisation): void {
  const allowed = parentLevels[level];
  if (!allowed.includes(parent.level)) {
    throw new FailedPreconditionError(
      allowed.length === 0
        ? `a ${level} has no parent`
        : `a ${level} belongs under a ${allowed.join(" or ")}, not a ${parent.level}`,
      "WRONG_PARENT_LEVEL",
    );
  }
  if (!areaId.startsWith(parent.areaId)) {
    throw new FailedPreconditionError(
      `area ${areaId} is outside the parent's area ${parent.areaId}`,
      "AREA_OUTSIDE_PARENT",
    );
  }
}
