import { deliberationV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { MicroProjectDesk, MicroProjectView } from "../app/micro-project-desk.js";
import type { MicroProjectBudget, MicroProjectFigures } from "../domain/micro-project.js";
import { requireId } from "./council-grpc-service.js";

/** gRPC face of 民生微实事 micro-projects. */
export function microProjectGrpcService(desk: MicroProjectDesk): GrpcServiceRegistration {
  const projectId = (request: { projectId: string }) => requireId("projectId", request.projectId);
  const projectReply = replyWith("project", toProtoProject);
  const budgetReply = replyWith("budget", toProtoBudget);
  return unaryService(deliberationV1.MicroProjectServiceService, {
    proposeMicroProject: (request, { caller }) => projectReply(desk.propose(request, caller)),
    shortlistMicroProject: (request, { caller }) => projectReply(desk.shortlist(projectId(request), caller)),
    declineMicroProject: (request, { caller }) =>
      projectReply(desk.decline(projectId(request), request.reason, caller)),
    approveMicroProject: async (request, { caller }) => {
      const approved = await desk.approve(projectId(request), request, caller);
      return { project: toProtoProject(approved), budget: toProtoBudget(approved.budget) };
    },
    contractMicroProject: (request, { caller }) =>
      projectReply(desk.contract(projectId(request), request, caller)),
    reachMicroProjectMilestone: (request, { caller }) =>
      projectReply(desk.reachMilestone(projectId(request), request, caller)),
    recordMicroProjectAcceptance: (request, { caller }) =>
      projectReply(desk.recordAcceptance(projectId(request), request, caller)),
    getMicroProject: (request) => projectReply(desk.get(projectId(request))),
    listMicroProjects: async (request) => {
      const { projects, nextPageToken } = await desk.list(request, request);
      return {
        projects: projects.map(toProtoProject),
        nextPageToken,
      };
    },
    getMicroProjectBudget: (request) => budgetReply(desk.budget(request.communityId.trim(), request.year)),
    setMicroProjectBudget: (request, { caller }) =>
      budgetReply(desk.setBudget(request.communityId.trim(), request.year, request, caller)),
    getMicroProjectStatistics: async (request) => {
      const { total, communities } = await desk.statistics(request.areaId.trim(), request.year);
      return { total: toProtoFigures(total), communities: communities.map(toProtoFigures) };
    },
  });
}

const timestamp = (iso: string) => (iso ? new Date(iso) : undefined);

function toProtoProject({ project, version }: MicroProjectView): deliberationV1.MicroProject {
  return {
    ...project,
    milestones: project.milestones.map((milestone) => ({
      milestoneId: milestone.milestoneId,
      title: milestone.title,
      dueDate: milestone.dueDate,
      reachedAt: timestamp(milestone.reachedAt),
      note: milestone.note,
      photoUrls: milestone.photoUrls,
    })),
    proposedAt: new Date(project.at),
    updatedAt: new Date(project.updatedAt),
    version,
  };
}

function toProtoBudget(budget: MicroProjectBudget): deliberationV1.MicroProjectBudget {
  return {
    ...budget,
    remainingFen: budget.budgetFen - budget.committedFen,
    approvedProjects: budget.commitments.length,
  };
}

function toProtoFigures(figures: MicroProjectFigures): deliberationV1.MicroProjectFigures {
  return {
    ...figures,
    byStatus: Object.entries(figures.byStatus).map(([status, count]) => ({ status, count })),
  };
}
