import {
  AreaCode,
  type Caller,
  FieldChecks,
  hasAnyRole,
  InvalidArgumentError,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";
import { type AggregateRepository, HotAggregates, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import { requireOrganiserOf } from "../domain/authorisation.js";
import {
  budgetChecks,
  budgetId,
  budgetOrDefault,
  type ContractMicroProject,
  commitmentOf,
  countProject,
  decideApprove,
  decideCommit,
  decideContract,
  decideDecline,
  decideProposeMicroProject,
  decideReachMilestone,
  decideRecordAcceptance,
  decideRelease,
  decideSetBudget,
  decideShortlist,
  emptyFigures,
  isProgrammeYear,
  type MicroProject,
  type MicroProjectBudget,
  type MicroProjectBudgetEvent,
  type MicroProjectBudgetState,
  type MicroProjectEvent,
  type MicroProjectFigures,
  type MicroProjectState,
  microProjectStatuses,
  type ProposeMicroProject,
  requireApprovable,
  requireMicroProject,
  validApproval,
} from "../domain/micro-project.js";
import type { AreaScope } from "./area-scope.js";
import type { Votes } from "./maintenance-fund-desk.js";

export interface MicroProjectView {
  project: MicroProject;
  version: number;
}

export interface MicroProjectStatistics {
  total: MicroProjectFigures;
  /** One row per community with projects or a budget in the year, in area-code order. */
  communities: MicroProjectFigures[];
}

/** Who may set a community's budget instead of the configured default. */
const budgetSetters: string[] = [roles.streetStaff, roles.commandCentre];

/**
 * Use cases of 民生微实事 micro-projects. Approvals are committed on the community's budget
 * for the year first, queued in this process behind the other approvals of that budget, so
 * the budget is never exceeded however many approvals race.
 */
export class MicroProjectDesk {
  private readonly hotBudgets: HotAggregates<MicroProjectBudgetState, MicroProjectBudgetEvent>;

  constructor(
    private readonly projects: AggregateRepository<MicroProjectState, MicroProjectEvent>,
    private readonly budgets: AggregateRepository<MicroProjectBudgetState, MicroProjectBudgetEvent>,
    private readonly areas: AreaScope,
    private readonly votes: Votes,
    /** A community's budget for a year until the street or the command centre sets one. */
    private readonly defaultBudgetFen: number,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.hotBudgets = new HotAggregates(budgets);
  }

  /** Residents and organisations propose: anyone signed in, for a community of the area tree. */
  async propose(
    input: Omit<ProposeMicroProject, "projectId" | "by" | "at">,
    caller: Caller,
  ): Promise<MicroProjectView> {
    if (caller.subject === "" || hasAnyRole(caller, [roles.public])) {
      throw new PermissionDeniedError(
        "proposing a micro-project needs a signed-in resident or organisation",
        "NOT_SIGNED_IN",
      );
    }
    const projectId = this.newId();
    const proposed = decideProposeMicroProject({ ...input, projectId, by: caller.subject, at: this.now() });
    const area = await this.areas.requireCommunityOrCompound(proposed.data.communityId, "communityId");
    if (area.level !== "community") {
      throw new InvalidArgumentError([
        {
          field: "communityId",
          description: `${area.areaId} (${area.name}) is a ${area.level}, not a community`,
        },
      ]);
    }
    const { state, version } = await this.projects.create(projectId, () => proposed);
    return { project: requireMicroProject(state, projectId), version };
  }

  shortlist(projectId: string, caller: Caller): Promise<MicroProjectView> {
    return this.step(projectId, caller, "shortlisting a micro-project", (project) =>
      decideShortlist(project, caller.subject, this.now()),
    );
  }

  decline(projectId: string, reason: string, caller: Caller): Promise<MicroProjectView> {
    return this.step(projectId, caller, "declining a micro-project", (project) =>
      decideDecline(project, reason, caller.subject, this.now()),
    );
  }

  /**
   * Approves a project the residents chose, for `approvedFen` of its community's budget of
   * the year: the commitment on the budget first (refused with BUDGET_EXCEEDED when too
   * little is left), then the project's approval. A retry after a failure between the two
   * finds the commitment and completes the approval with the amount committed.
   */
  async approve(
    projectId: string,
    input: { voteId: string; approvedFen: number },
    caller: Caller,
  ): Promise<MicroProjectView & { budget: MicroProjectBudget }> {
    validApproval(input);
    const project = requireMicroProject((await this.projects.load(projectId)).state, projectId);
    requireOrganiserOf(caller, project.communityId, "approving a micro-project");
    // A closed vote never changes again, so it may be read before the budget is queued for.
    const { vote } = await this.votes.get(input.voteId.trim());
    requireApprovable(project, vote);
    const { communityId, year } = project;
    const committed = await this.hotBudgets.execute(budgetId(communityId, year), (state) =>
      decideCommit(budgetOrDefault(state, communityId, year, this.defaultBudgetFen), {
        projectId,
        amountFen: input.approvedFen,
        by: caller.subject,
        at: this.now(),
      }),
    );
    const budget = budgetOrDefault(committed.state, communityId, year, this.defaultBudgetFen);
    const approvedFen = commitmentOf(budget, projectId)?.amountFen ?? input.approvedFen;
    try {
      const { state, version } = await this.projects.execute(projectId, (current) =>
        decideApprove(requireMicroProject(current, projectId), vote, {
          approvedFen,
          by: caller.subject,
          at: this.now(),
        }),
      );
      return { project: requireMicroProject(state, projectId), version, budget };
    } catch (error) {
      await this.releaseIfDeclined(projectId, caller);
      throw error;
    }
  }

  /** A project declined between its approval's two appends gives its commitment back. */
  private async releaseIfDeclined(projectId: string, caller: Caller): Promise<void> {
    const { state } = await this.projects.load(projectId);
    if (state.status !== "declined") return;
    const { communityId, year } = state;
    await this.hotBudgets.execute(budgetId(communityId, year), (current) =>
      decideRelease(budgetOrDefault(current, communityId, year, this.defaultBudgetFen), {
        projectId,
        by: caller.subject,
        at: this.now(),
      }),
    );
  }

  contract(
    projectId: string,
    input: Omit<ContractMicroProject, "by" | "at">,
    caller: Caller,
  ): Promise<MicroProjectView> {
    return this.step(projectId, caller, "naming a micro-project's implementer", (project) =>
      decideContract(project, { ...input, by: caller.subject, at: this.now() }),
    );
  }

  reachMilestone(
    projectId: string,
    input: { milestoneId: string; note: string; photoUrls: string[] },
    caller: Caller,
  ): Promise<MicroProjectView> {
    return this.step(projectId, caller, "recording a milestone", (project) =>
      decideReachMilestone(project, { ...input, by: caller.subject, at: this.now() }),
    );
  }

  async recordAcceptance(
    projectId: string,
    input: { voteId: string; photoUrls: string[] },
    caller: Caller,
  ): Promise<MicroProjectView> {
    if (input.voteId.trim() === "") {
      throw new InvalidArgumentError([
        { field: "voteId", description: "acceptance rests on the residents' vote" },
      ]);
    }
    const { vote } = await this.votes.get(input.voteId.trim());
    return this.step(projectId, caller, "recording the residents' acceptance", (project) =>
      decideRecordAcceptance(project, vote, {
        photoUrls: input.photoUrls,
        by: caller.subject,
        at: this.now(),
      }),
    );
  }

  /** Projects are public (公开): what was proposed, chosen, paid and delivered. */
  async get(projectId: string): Promise<MicroProjectView> {
    const { state, version } = await this.projects.load(projectId);
    return { project: requireMicroProject(state, projectId), version };
  }

  async list(
    filter: { areaId: string; year: number; status: string },
    page: PageRequest,
  ): Promise<{ projects: MicroProjectView[]; nextPageToken: string }> {
    const found = await pageOfSnapshots(this.projects.snapshots, this.snapshotFilter(filter), page);
    return {
      projects: found.items.map((item) => ({
        project: requireMicroProject(item.state, item._id),
        version: item.version,
      })),
      nextPageToken: found.nextPageToken,
    };
  }

  async budget(communityId: string, year: number): Promise<MicroProjectBudget> {
    this.requireCommunityYear(communityId, year);
    await this.requireCommunity(communityId);
    const { state } = await this.budgets.load(budgetId(communityId, year));
    return budgetOrDefault(state, communityId, year, this.defaultBudgetFen);
  }

  /** The street or the command centre sets a community's budget for a year (the default until then). */
  async setBudget(
    communityId: string,
    year: number,
    input: { budgetFen: number; reason: string },
    caller: Caller,
  ): Promise<MicroProjectBudget> {
    this.requireCommunityYear(communityId, year, budgetChecks(new FieldChecks(), input));
    await this.requireCommunity(communityId);
    if (!hasAnyRole(caller, budgetSetters)) {
      throw new PermissionDeniedError(
        "a community's micro-project budget is set by the street or the command centre",
        "NOT_A_BUDGET_SETTER",
      );
    }
    if (!AreaCode.anyCovers(caller.areas, communityId)) {
      throw new PermissionDeniedError(
        `setting a budget: area ${communityId} is not yours`,
        "OUTSIDE_YOUR_AREA",
      );
    }
    const { state } = await this.hotBudgets.execute(budgetId(communityId, year), (current) =>
      decideSetBudget(budgetOrDefault(current, communityId, year, this.defaultBudgetFen), {
        ...input,
        by: caller.subject,
        at: this.now(),
      }),
    );
    return budgetOrDefault(state, communityId, year, this.defaultBudgetFen);
  }

  /**
   * Figures of a year for an area (a community, a street, a district): projects by status,
   * approved amounts and budgets, in total and per community. Public, like the projects.
   */
  async statistics(areaId: string, year: number): Promise<MicroProjectStatistics> {
    new FieldChecks()
      .check("areaId", AreaCode.isPrefix(areaId), "must be an area code (digits)")
      .check("year", isProgrammeYear(year), "must be a year from 2000 to 2100")
      .throwIfAny();
    const total = emptyFigures(areaId, year);
    const rows = new Map<string, MicroProjectFigures>();
    const rowOf = (communityId: string) => {
      let row = rows.get(communityId);
      if (!row) {
        row = emptyFigures(communityId, year);
        rows.set(communityId, row);
      }
      return row;
    };
    const inArea = { "state.year": year, ...AreaCode.range("state.communityId", areaId) };
    for await (const snapshot of this.projects.snapshots.find(inArea as never)) {
      const project = snapshot.state;
      if (project.status === "none") continue;
      countProject(rowOf(project.communityId), project);
      countProject(total, project);
    }
    const kept = new Map<string, number>();
    for await (const snapshot of this.budgets.snapshots.find(inArea as never)) {
      if (snapshot.state.status === "kept") kept.set(snapshot.state.communityId, snapshot.state.budgetFen);
    }
    for (const communityId of kept.keys()) rowOf(communityId);
    for (const row of rows.values()) {
      row.budgetFen = kept.get(row.areaId) ?? this.defaultBudgetFen;
      total.budgetFen += row.budgetFen;
    }
    return { total, communities: [...rows.values()].sort((a, b) => a.areaId.localeCompare(b.areaId)) };
  }

  private snapshotFilter(filter: { areaId: string; year: number; status: string }): Record<string, unknown> {
    new FieldChecks()
      .check(
        "year",
        filter.year === 0 || isProgrammeYear(filter.year),
        "must be 0 (any) or a year from 2000 to 2100",
      )
      .check(
        "status",
        filter.status === "" || (microProjectStatuses as readonly string[]).includes(filter.status),
        `must be empty or one of ${microProjectStatuses.join(", ")}`,
      )
      .throwIfAny();
    return {
      ...AreaCode.range("state.communityId", filter.areaId),
      ...(filter.year ? { "state.year": filter.year } : {}),
      ...(filter.status ? { "state.status": filter.status } : {}),
    };
  }

  private requireCommunityYear(communityId: string, year: number, checks = new FieldChecks()): void {
    checks
      .check("communityId", AreaCode.level(communityId) === "community", "must be a community's area code")
      .check("year", isProgrammeYear(year), "must be a year from 2000 to 2100")
      .throwIfAny();
  }

  private async requireCommunity(communityId: string): Promise<void> {
    const area = await this.areas.requireCommunityOrCompound(communityId, "communityId");
    if (area.level !== "community") {
      throw new InvalidArgumentError([
        { field: "communityId", description: `${communityId} is not a community` },
      ]);
    }
  }

  private async step(
    projectId: string,
    caller: Caller,
    action: string,
    decide: (project: MicroProject) => MicroProjectEvent | undefined,
  ): Promise<MicroProjectView> {
    const { state, version } = await this.projects.execute(projectId, (current) => {
      const project = requireMicroProject(current, projectId);
      requireOrganiserOf(caller, project.communityId, action);
      return decide(project);
    });
    return { project: requireMicroProject(state, projectId), version };
  }
}
