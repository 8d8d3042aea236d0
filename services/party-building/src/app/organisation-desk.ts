import { type Caller, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type BranchKind,
  decideFound,
  decideMove,
  decideRename,
  type FoundedOrganisation,
  type FoundOrganisation,
  type MoveOrganisation,
  type OrganisationEvent,
  type OrganisationLevel,
  type OrganisationState,
  organisationLevels,
  validateFound,
} from "../domain/organisation.js";
import { requireOrganiserOf } from "../domain/party-roles.js";

export interface OrganisationView extends FoundedOrganisation {
  version: number;
}

export interface OrganisationSubtree {
  /** The root first, then each level below it. */
  organisations: OrganisationView[];
  levelCounts: { level: OrganisationLevel; count: number }[];
  branchKindCounts: { branchKind: BranchKind; count: number }[];
  formalMembers: number;
  probationaryMembers: number;
}

/** Counts the members of organisations by standing (the member roll answers it). */
export type MemberCounter = (organisationIds: string[]) => Promise<{ formal: number; probationary: number }>;

/** The deepest tree is six levels, so walking up or down takes at most six reads. */
const maximumDepth = organisationLevels.length;

/** Use cases of the organisation tree: founding, renaming, moving, and reading subtrees. */
export class OrganisationDesk {
  constructor(
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly countMembers: MemberCounter,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async found(command: Omit<FoundOrganisation, "organisationId">, caller: Caller): Promise<OrganisationView> {
    validateFound(command);
    requireOrganiserOf(caller, command.areaId);
    const parent = command.parentId
      ? (await this.organisations.load(command.parentId)).state
      : ({ status: "none" } as const);
    const organisationId = this.newId();
    const { state, version } = await this.organisations.create(organisationId, () =>
      decideFound({ ...command, organisationId }, parent, caller, this.now()),
    );
    return toView(state, version, organisationId);
  }

  async rename(
    organisationId: string,
    name: string,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<OrganisationView> {
    const { state, version } = await this.organisations.execute(
      organisationId,
      (current) => {
        const organisation = founded(current, organisationId);
        requireOrganiserOf(caller, organisation.areaId);
        return decideRename(name, organisation, caller, this.now());
      },
      expectedVersion,
    );
    return toView(state, version, organisationId);
  }

  async move(
    organisationId: string,
    command: MoveOrganisation,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<OrganisationView> {
    const newParent = command.newParentId
      ? (await this.organisations.load(command.newParentId)).state
      : ({ status: "none" } as const);
    const ancestors = newParent.status === "founded" ? await this.ancestorIds(newParent) : [];
    const { state, version } = await this.organisations.execute(
      organisationId,
      (current) => {
        const organisation = founded(current, organisationId);
        requireOrganiserOf(caller, organisation.areaId, command.areaId || organisation.areaId);
        return decideMove(command, organisation, newParent, ancestors, caller, this.now());
      },
      expectedVersion,
    );
    return toView(state, version, organisationId);
  }

  async get(organisationId: string): Promise<OrganisationView> {
    const { state, version } = await this.organisations.load(organisationId);
    return toView(state, version, organisationId);
  }

  async listChildren(parentId: string, page: PageRequest) {
    const found = await pageOfSnapshots(this.organisations.snapshots, { "state.parentId": parentId }, page);
    return {
      organisations: found.items.map((snapshot) => toView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  /** The organisation and everything below it, read level by level (one query per level). */
  async subtree(organisationId: string): Promise<OrganisationSubtree> {
    const root = await this.get(organisationId);
    const organisations: OrganisationView[] = [root];
    let frontier = [organisationId];
    for (let depth = 0; depth < maximumDepth && frontier.length > 0; depth++) {
      const children = await this.organisations.snapshots
        .find({ "state.parentId": { $in: frontier } }, { projection: { "state.history": 0 } })
        .sort({ _id: 1 })
        .toArray();
      const views = children.map((child) =>
        toView({ ...child.state, history: [] } as OrganisationState, child.version, child._id),
      );
      organisations.push(...views);
      frontier = views.map((view) => view.organisationId);
    }
    const members = await this.countMembers(organisations.map((organisation) => organisation.organisationId));
    return {
      organisations,
      ...countsOf(organisations),
      formalMembers: members.formal,
      probationaryMembers: members.probationary,
    };
  }

  /** Ids above an organisation, its parent first. */
  async ancestorIds(organisation: FoundedOrganisation): Promise<string[]> {
    const ancestors: string[] = [];
    let parentId = organisation.parentId;
    while (parentId !== "" && ancestors.length < maximumDepth) {
      ancestors.push(parentId);
      const { state } = await this.organisations.load(parentId);
      parentId = state.status === "founded" ? state.parentId : "";
    }
    return ancestors;
  }
}

function countsOf(organisations: OrganisationView[]) {
  const levelCounts = organisationLevels
    .map((level) => ({ level, count: organisations.filter((view) => view.level === level).length }))
    .filter((entry) => entry.count > 0);
  const branchKindCounts = new Map<BranchKind, number>();
  for (const view of organisations) {
    if (view.branchKind !== "")
      branchKindCounts.set(view.branchKind, (branchKindCounts.get(view.branchKind) ?? 0) + 1);
  }
  return {
    levelCounts,
    branchKindCounts: [...branchKindCounts].map(([branchKind, count]) => ({ branchKind, count })),
  };
}

function founded(state: OrganisationState, organisationId: string): FoundedOrganisation {
  if (state.status === "none") throw new NotFoundError("organisation", organisationId);
  return state;
}

function toView(state: OrganisationState, version: number, organisationId: string): OrganisationView {
  return { ...founded(state, organisationId), version };
}
