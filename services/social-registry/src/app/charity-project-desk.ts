import {
  AlreadyExistsError,
  AreaCode,
  type Caller,
  ConflictError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { AggregateRepository, PageRequest } from "@civic/event-log";
import { pageOfSnapshots } from "@civic/event-log";
import { v5 as uuidv5, v7 as uuidv7 } from "uuid";
import {
  type CharityProject,
  type CharityProjectEvent,
  type CharityProjectState,
  decideComplete,
  decideEvaluate,
  decideNoteSupervision,
  decidePostNeed,
  decideReachMilestone,
  decideRecordFunding,
  decideSelectProposal,
  decideStartCoordination,
  decideStartDelivery,
  decideSubmitProposal,
  type FundingTotals,
  fundingTotals,
  type PostNeed,
  type ProjectOrigin,
  type ProjectStatus,
  projectStatuses,
  type RecordFunding,
} from "../domain/charity-project.js";
import type { OrganisationEvent, OrganisationState } from "../domain/organisation.js";

export interface CharityProjectView extends CharityProject {
  version: number;
  totals: FundingTotals;
}

/** Fixed namespace of project ids made from an origin (UUIDv5): one project per task. */
const originNamespace = "0b6f1c9e-3d2a-5e4f-8a7b-9c0d1e2f3a4b";

export function projectIdForOrigin(origin: ProjectOrigin): string {
  return uuidv5(`${origin.domain}:${origin.reference}`, originNamespace);
}

/** Rounds of the repository's own retries a funding transaction gets against concurrent writers. */
const fundingRaceRounds = 4;

type Role = "platform_admin" | "charity_hub" | "community_staff" | "civil_affairs" | "evaluator";

/** The caller has one of `roles` for the area (platform_admin and evaluator: any area). */
function requireRole(caller: Caller, roles: readonly Role[], areaId: string, doing: string): void {
  const allowed = roles.some(
    (role) =>
      caller.roles.includes(role) &&
      (role === "platform_admin" || role === "evaluator" || AreaCode.anyCovers(caller.areas, areaId)),
  );
  if (!allowed) {
    throw new PermissionDeniedError(
      `${doing} in area ${areaId} needs one of ${roles.join(", ")} for that area`,
    );
  }
}

/**
 * Use cases of micro-charity venture projects. Every change is decided on the project's
 * current version and committed by appending the next one, so concurrent funding cannot
 * together commit more than the project asks: the loser of a version reloads and decides
 * again on the new totals.
 */
export class CharityProjectDesk {
  constructor(
    private readonly projects: AggregateRepository<CharityProjectState, CharityProjectEvent>,
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = uuidv7,
  ) {}

  async postNeed(
    command: Omit<PostNeed, "projectId" | "origin">,
    caller: Caller,
  ): Promise<CharityProjectView> {
    requireRole(
      caller,
      ["community_staff", "charity_hub", "platform_admin"],
      command.areaId,
      "posting a need",
    );
    const projectId = this.newId();
    const { state, version } = await this.projects.create(projectId, () =>
      decidePostNeed({ ...command, projectId }, caller, this.now()),
    );
    return toView(state, version, projectId);
  }

  /**
   * A need another service asks for (a deliberation task of kind charity_project): one
   * project per origin, whatever how often the request is delivered.
   */
  async postRequestedNeed(
    command: Omit<PostNeed, "projectId"> & { origin: ProjectOrigin },
    requestedBy: string,
  ): Promise<{ projectId: string; created: boolean }> {
    const projectId = projectIdForOrigin(command.origin);
    try {
      await this.projects.create(projectId, () =>
        decidePostNeed({ ...command, projectId }, { subject: requestedBy }, this.now()),
      );
      return { projectId, created: true };
    } catch (error) {
      if (error instanceof AlreadyExistsError) return { projectId, created: false };
      throw error;
    }
  }

  async get(projectId: string): Promise<CharityProjectView> {
    const { state, version } = await this.projects.load(projectId);
    return toView(state, version, projectId);
  }

  async list(filter: { areaId: string; status: string }, page: PageRequest) {
    const query: Record<string, unknown> = {};
    if (filter.areaId !== "") {
      if (!AreaCode.isPrefix(filter.areaId, { min: 6, max: 12 }))
        throw new InvalidArgumentError([{ field: "areaId", description: "must be an area code" }]);
      Object.assign(query, AreaCode.range("state.areaId", filter.areaId));
    }
    if (filter.status !== "") {
      if (!projectStatuses.includes(filter.status as ProjectStatus))
        throw new InvalidArgumentError([
          { field: "status", description: `must be one of ${projectStatuses.join(", ")}` },
        ]);
      query["state.status"] = filter.status;
    }
    const found = await pageOfSnapshots(this.projects.snapshots, query, page);
    return {
      projects: found.items.map((snapshot) => toView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  startCoordination(projectId: string, caller: Caller) {
    return this.change(projectId, (project) => {
      requireRole(caller, ["charity_hub", "platform_admin"], project.areaId, "coordinating a project");
      return decideStartCoordination(project, caller, this.now());
    });
  }

  async submitProposal(
    projectId: string,
    command: { organisationCreditCode: string; plan: string; budgetFen: number },
    caller: Caller,
  ) {
    const organisation = (await this.organisations.load(command.organisationCreditCode)).state;
    if (organisation.status === "none") {
      throw new InvalidArgumentError([
        { field: "organisationCreditCode", description: "is not a registered organisation" },
      ]);
    }
    if (organisation.status !== "active") {
      throw new FailedPreconditionError(
        `organisation ${command.organisationCreditCode} is ${organisation.status}; only active organisations deliver projects`,
        "ORGANISATION_NOT_ACTIVE",
      );
    }
    const proposalId = this.newId();
    return this.change(projectId, (project) => {
      requireRole(caller, ["charity_hub", "civil_affairs", "platform_admin"], project.areaId, "proposing");
      return decideSubmitProposal({ ...command, proposalId }, project, caller, this.now());
    });
  }

  selectProposal(projectId: string, proposalId: string, caller: Caller) {
    return this.change(projectId, (project) => {
      requireRole(caller, ["charity_hub", "platform_admin"], project.areaId, "selecting a proposal");
      return decideSelectProposal(proposalId, project, caller, this.now());
    });
  }

  /**
   * Funders often commit at the same moment (a matching round): a lost version race is
   * decided again on the new totals a few more times before the caller gets ABORTED; one
   * that the new totals refuse is final.
   */
  async recordFunding(projectId: string, command: Omit<RecordFunding, "transactionId">, caller: Caller) {
    for (let round = 1; ; round++) {
      try {
        return await this.recordFundingOnce(projectId, command, caller);
      } catch (error) {
        if (!(error instanceof ConflictError) || error.refusedNow || round >= fundingRaceRounds) throw error;
        await new Promise((resume) => setTimeout(resume, Math.random() * 20 * round));
      }
    }
  }

  private recordFundingOnce(
    projectId: string,
    command: Omit<RecordFunding, "transactionId">,
    caller: Caller,
  ) {
    const transactionId = this.newId();
    return this.change(projectId, (project) => {
      // An enterprise records its own applications, commitments and payments.
      const ownEnterpriseFunding =
        caller.roles.includes("enterprise") &&
        command.funder.kind === "enterprise" &&
        command.funder.funderId === caller.subject;
      if (!ownEnterpriseFunding) {
        requireRole(
          caller,
          ["charity_hub", "civil_affairs", "platform_admin"],
          project.areaId,
          "recording funding",
        );
      }
      return decideRecordFunding({ ...command, transactionId }, project, caller, this.now());
    });
  }

  startDelivery(projectId: string, caller: Caller) {
    return this.change(projectId, (project) => {
      requireRole(caller, ["charity_hub", "platform_admin"], project.areaId, "starting delivery");
      return decideStartDelivery(project, caller, this.now());
    });
  }

  reachMilestone(
    projectId: string,
    command: { title: string; progressPercent: number; reachedOn: string; note: string },
    caller: Caller,
  ) {
    return this.change(projectId, (project) => {
      requireRole(caller, ["charity_hub", "platform_admin"], project.areaId, "recording a milestone");
      return decideReachMilestone(command, project, caller, this.now());
    });
  }

  /** Public supervision: anyone may note what they see of a funded project. */
  noteSupervision(projectId: string, note: string, caller: Caller) {
    return this.change(projectId, (project) => decideNoteSupervision(note, project, caller, this.now()));
  }

  complete(projectId: string, command: { peopleServed: number; completedOn: string }, caller: Caller) {
    return this.change(projectId, (project) => {
      requireRole(caller, ["charity_hub", "platform_admin"], project.areaId, "completing a project");
      return decideComplete(command, project, caller, this.now());
    });
  }

  evaluate(
    projectId: string,
    command: { scores: Partial<Record<string, number>>; comment: string },
    caller: Caller,
  ) {
    return this.change(projectId, (project) => {
      requireRole(caller, ["evaluator", "platform_admin"], project.areaId, "evaluating a project");
      return decideEvaluate(command, project, caller, this.now());
    });
  }

  private async change(
    projectId: string,
    decide: (project: CharityProject) => CharityProjectEvent,
  ): Promise<CharityProjectView> {
    const { state, version } = await this.projects.execute(projectId, (current) => {
      if (current.status === "none") throw new NotFoundError("project", projectId);
      return decide(current);
    });
    return toView(state, version, projectId);
  }
}

function toView(state: CharityProjectState, version: number, projectId: string): CharityProjectView {
  if (state.status === "none") throw new NotFoundError("project", projectId);
  return { ...state, version, totals: fundingTotals(state) };
}
