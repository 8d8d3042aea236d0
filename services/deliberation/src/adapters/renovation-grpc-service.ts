import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type {
  RenovationDesk,
  RenovationProgrammeView,
  RenovationProjectView,
} from "../app/renovation-desk.js";
import type { Phase } from "../domain/renovation.js";
import { requireId } from "./council-grpc-service.js";

/** gRPC face of old-compound renovation. */
export function renovationGrpcService(desk: RenovationDesk): GrpcServiceRegistration {
  const programmeId = (request: { programmeId: string }) => requireId("programmeId", request.programmeId);
  const projectId = (request: { projectId: string }) => requireId("projectId", request.projectId);
  const programmeReply = replyWith("programme", toProtoProgramme);
  const projectReply = replyWith("project", toProtoProject);
  return unaryService(deliberationV1.RenovationServiceService, {
    createRenovationProgramme: (request, { caller }) => programmeReply(desk.createProgramme(request, caller)),
    listRenovationCompound: (request, { caller }) =>
      programmeReply(desk.listCompound(programmeId(request), request, caller)),
    getRenovationProgramme: (request) => programmeReply(desk.getProgramme(programmeId(request))),
    getRenovationProgress: async (request) => {
      const { programme, phases } = await desk.progress(programmeId(request));
      return {
        programmeId: programme.programmeId,
        name: programme.name,
        phases: phases.map((progress) => ({
          phase: toProtoPhase(progress.phase),
          compoundsListed: progress.compoundsListed,
          compoundsWithProject: progress.compoundsWithProject,
          projects: progress.projects,
          byStatus: Object.entries(progress.byStatus).map(([status, count]) => ({ status, count })),
          meanProgressPercent: progress.meanProgressPercent,
          compoundsCompleted: progress.compoundsCompleted,
        })),
      };
    },
    createRenovationProject: (request, { caller }) =>
      projectReply(desk.createProject(programmeId(request), request, caller)),
    listRenovationProjects: async (request) => {
      const { projects, nextPageToken } = await desk.listProjects(programmeId(request), request, request);
      return {
        projects: projects.map(toProtoProject),
        nextPageToken,
      };
    },
    getRenovationProject: (request) => projectReply(desk.getProject(projectId(request))),
    linkRenovationConsultation: (request, { caller }) =>
      projectReply(desk.linkConsultation(projectId(request), request, caller)),
    concludeRenovationConsultation: (request, { caller }) =>
      projectReply(desk.concludeConsultation(projectId(request), caller)),
    startRenovationConstruction: (request, { caller }) =>
      projectReply(desk.startConstruction(projectId(request), caller)),
    reportRenovationProgress: (request, { caller }) =>
      projectReply(desk.reportProgress(projectId(request), request, caller)),
  });
}

const timestamp = (iso: string) => (iso ? new Date(iso) : undefined);

const toProtoPhase = (phase: Phase): deliberationV1.RenovationPhase => ({ ...phase });

function toProtoProgramme({
  programme,
  version,
}: RenovationProgrammeView): deliberationV1.RenovationProgramme {
  return {
    ...programme,
    phases: programme.phases.map(toProtoPhase),
    compounds: programme.compounds.map((compound) => ({
      compoundId: compound.compoundId,
      name: compound.name,
      phaseId: compound.phaseId,
      listedAt: new Date(compound.listedAt),
    })),
    createdAt: new Date(programme.at),
    version,
  };
}

function toProtoProject({ project, version }: RenovationProjectView): deliberationV1.RenovationProject {
  return {
    ...project,
    progress: project.progress.map((report) => ({ ...report, at: new Date(report.at) })),
    startedAt: timestamp(project.startedAt),
    completedAt: timestamp(project.completedAt),
    createdAt: new Date(project.at),
    updatedAt: new Date(project.updatedAt),
    version,
  };
}
