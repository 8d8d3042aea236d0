import {
  AreaCode,
  type Caller,
  FieldChecks,
  hasAnyRole,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type ConsultationKind,
  type CreateRenovationProject,
  consultationKinds,
  decideConcludeConsultation,
  decideCreateProgramme,
  decideCreateRenovationProject,
  decideLinkConsultation,
  decideListCompound,
  decideReportProgress,
  decideStartConstruction,
  type PhaseProgress,
  progressByPhase,
  type RenovationProgramme,
  type RenovationProgrammeEvent,
  type RenovationProgrammeState,
  type RenovationProject,
  type RenovationProjectEvent,
  type RenovationProjectState,
  requireProgramme,
  requireRenovationProject,
} from "../domain/renovation.js";
import type { Topic } from "../domain/topic.js";
import type { AreaScope } from "./area-scope.js";
import type { Votes } from "./maintenance-fund-desk.js";

export interface RenovationProgrammeView {
  programme: RenovationProgramme;
  version: number;
}

export interface RenovationProjectView {
  project: RenovationProject;
  version: number;
}

/** Where renovation reads the topics its consultations name. */
export interface Topics {
  get(topicId: string): Promise<{ topic: Topic }>;
}

/** Who runs a programme: the street, the command centre, the housing department (城市更新局). */
const programmeManagers: string[] = [roles.streetStaff, roles.commandCentre, roles.departmentStaff];
/** Who moves a compound's project: those, and the community's staff, who run its consultation. */
const projectStaff: string[] = [...programmeManagers, roles.communityStaff];

function requireRole(caller: Caller, wanted: string[], areaId: string, action: string): void {
  if (!hasAnyRole(caller, wanted)) {
    throw new PermissionDeniedError(`${action} is for ${wanted.join(", ")}`, "NOT_RENOVATION_STAFF");
  }
  if (!AreaCode.anyCovers(caller.areas, areaId)) {
    throw new PermissionDeniedError(`${action}: area ${areaId} is not yours`, "OUTSIDE_YOUR_AREA");
  }
}

/** Use cases of old-compound renovation: programmes with phases and compounds, and their projects. */
export class RenovationDesk {
  constructor(
    private readonly programmes: AggregateRepository<RenovationProgrammeState, RenovationProgrammeEvent>,
    private readonly projects: AggregateRepository<RenovationProjectState, RenovationProjectEvent>,
    private readonly areas: AreaScope,
    private readonly votes: Votes,
    private readonly topics: Topics,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createProgramme(
    input: { areaId: string; name: string; phases: { name: string; startYear: number; endYear: number }[] },
    caller: Caller,
  ): Promise<RenovationProgrammeView> {
    const programmeId = this.newId();
    const created = decideCreateProgramme({ ...input, programmeId, by: caller.subject, at: this.now() });
    await this.areas.requireKnown(created.data.areaId);
    requireRole(caller, programmeManagers, created.data.areaId, "creating a renovation programme");
    const { state, version } = await this.programmes.create(programmeId, () => created);
    return { programme: requireProgramme(state, programmeId), version };
  }

  async listCompound(
    programmeId: string,
    input: { compoundId: string; phaseId: string },
    caller: Caller,
  ): Promise<RenovationProgrammeView> {
    const compoundId = input.compoundId.trim();
    const area = await this.areas.requireCommunityOrCompound(compoundId, "compoundId");
    const { state, version } = await this.programmes.execute(programmeId, (current) => {
      const programme = requireProgramme(current, programmeId);
      requireRole(caller, programmeManagers, programme.areaId, "listing a compound");
      return decideListCompound(programme, {
        ...input,
        compoundId,
        name: area.name,
        by: caller.subject,
        at: this.now(),
      });
    });
    return { programme: requireProgramme(state, programmeId), version };
  }

  async getProgramme(programmeId: string): Promise<RenovationProgrammeView> {
    const { state, version } = await this.programmes.load(programmeId);
    return { programme: requireProgramme(state, programmeId), version };
  }

  async createProject(
    programmeId: string,
    input: Omit<CreateRenovationProject, "projectId" | "by" | "at">,
    caller: Caller,
  ): Promise<RenovationProjectView> {
    const { programme } = await this.getProgramme(programmeId);
    const projectId = this.newId();
    const created = decideCreateRenovationProject(programme, {
      ...input,
      projectId,
      by: caller.subject,
      at: this.now(),
    });
    requireRole(caller, programmeManagers, programme.areaId, "creating a renovation project");
    const { state, version } = await this.projects.create(projectId, () => created);
    return { project: requireRenovationProject(state, projectId), version };
  }

  async linkConsultation(
    projectId: string,
    input: { consultationKind: string; consultationId: string },
    caller: Caller,
  ): Promise<RenovationProjectView> {
    const kind = input.consultationKind;
    const id = input.consultationId.trim();
    new FieldChecks()
      .oneOf("consultationKind", kind, consultationKinds)
      .check("consultationId", id !== "", "must not be empty")
      .throwIfAny();
    await this.requireProjectStaff(projectId, caller, "linking a consultation");
    const { areaId, subjectReference } =
      kind === "vote"
        ? (await this.votes.get(id)).vote
        : { ...(await this.topics.get(id)).topic, subjectReference: "" };
    return this.step(projectId, caller, "linking a consultation", (project) =>
      decideLinkConsultation(
        project,
        { kind: kind as ConsultationKind, id, areaId, subjectReference },
        caller.subject,
        this.now(),
      ),
    );
  }

  async concludeConsultation(projectId: string, caller: Caller): Promise<RenovationProjectView> {
    const project = await this.requireProjectStaff(projectId, caller, "concluding a consultation");
    const consultation =
      project.consultationKind === "vote"
        ? { vote: (await this.votes.get(project.consultationId)).vote }
        : project.consultationKind === "topic"
          ? { topic: (await this.topics.get(project.consultationId)).topic }
          : {};
    return this.step(projectId, caller, "concluding a consultation", (current) =>
      decideConcludeConsultation(current, consultation, caller.subject, this.now()),
    );
  }

  startConstruction(projectId: string, caller: Caller): Promise<RenovationProjectView> {
    return this.step(projectId, caller, "starting construction", (project) =>
      decideStartConstruction(project, caller.subject, this.now()),
    );
  }

  reportProgress(
    projectId: string,
    input: { percent: number; note: string; photoUrls: string[] },
    caller: Caller,
  ): Promise<RenovationProjectView> {
    return this.step(projectId, caller, "reporting progress", (project) =>
      decideReportProgress(project, { ...input, by: caller.subject, at: this.now() }),
    );
  }

  /** Projects are public, as the programme is (公示). */
  async getProject(projectId: string): Promise<RenovationProjectView> {
    const { state, version } = await this.projects.load(projectId);
    return { project: requireRenovationProject(state, projectId), version };
  }

  async listProjects(
    programmeId: string,
    filter: { phaseId: string },
    page: PageRequest,
  ): Promise<{ projects: RenovationProjectView[]; nextPageToken: string }> {
    await this.getProgramme(programmeId);
    const found = await pageOfSnapshots(
      this.projects.snapshots,
      { "state.programmeId": programmeId, ...(filter.phaseId ? { "state.phaseId": filter.phaseId } : {}) },
      page,
    );
    return {
      projects: found.items.map((item) => ({
        project: requireRenovationProject(item.state, item._id),
        version: item.version,
      })),
      nextPageToken: found.nextPageToken,
    };
  }

  /** The programme's progress by phase. Public. */
  async progress(programmeId: string): Promise<{ programme: RenovationProgramme; phases: PhaseProgress[] }> {
    const { programme } = await this.getProgramme(programmeId);
    const projects: RenovationProject[] = [];
    for await (const snapshot of this.projects.snapshots.find({
      "state.programmeId": programmeId,
    } as never)) {
      if (snapshot.state.status !== "none") projects.push(snapshot.state);
    }
    return { programme, phases: progressByPhase(programme, projects) };
  }

  private async requireProjectStaff(
    projectId: string,
    caller: Caller,
    action: string,
  ): Promise<RenovationProject> {
    const { project } = await this.getProject(projectId);
    requireRole(caller, projectStaff, project.compoundId, action);
    return project;
  }

  private async step(
    projectId: string,
    caller: Caller,
    action: string,
    decide: (project: RenovationProject) => RenovationProjectEvent,
  ): Promise<RenovationProjectView> {
    const { state, version } = await this.projects.execute(projectId, (current) => {
      const project = requireRenovationProject(current, projectId);
      requireRole(caller, projectStaff, project.compoundId, action);
      return decide(project);
    });
    return { project: requireRenovationProject(state, projectId), version };
  }
}
