import { enumNames, socialRegistryV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { CharityProjectDesk, CharityProjectView } from "../app/charity-project-desk.js";

const v1 = socialRegistryV1;
const statusNames = enumNames(v1.ProjectStatus, "PROJECT_STATUS_");
const funderKindNames = enumNames(v1.FunderKind, "FUNDER_KIND_");
const fundingKindNames = enumNames(v1.FundingKind, "FUNDING_KIND_");

/** gRPC face of micro-charity venture projects. */
export function charityProjectGrpcService(projects: CharityProjectDesk): GrpcServiceRegistration {
  const reply = replyWith("project", toProtoProject);
  const projectsPage = pageWith("projects", toProtoProject);
  return unaryService(socialRegistryV1.CharityProjectServiceService, {
    postNeed: (request, { caller }) => reply(projects.postNeed(request, caller)),
    getCharityProject: (request) => reply(projects.get(request.projectId)),
    listCharityProjects: (request) =>
      projectsPage(
        projects.list({ areaId: request.areaId, status: statusNames.toName(request.status) }, request),
      ),
    startCoordination: (request, { caller }) => reply(projects.startCoordination(request.projectId, caller)),
    submitProposal: (request, { caller }) =>
      reply(
        projects.submitProposal(
          request.projectId,
          {
            organisationCreditCode: request.organisationCreditCode,
            plan: request.plan,
            budgetFen: request.budgetFen,
          },
          caller,
        ),
      ),
    selectProposal: (request, { caller }) =>
      reply(projects.selectProposal(request.projectId, request.proposalId, caller)),
    recordFunding: (request, { caller }) =>
      reply(
        projects.recordFunding(
          request.projectId,
          {
            kind: fundingKindNames.toName(request.kind),
            funder: {
              kind: funderKindNames.toName(request.funder?.kind ?? 0),
              funderId: request.funder?.funderId ?? "",
              name: request.funder?.name ?? "",
            },
            amountFen: request.amountFen,
            on: request.on,
          },
          caller,
        ),
      ),
    startDelivery: (request, { caller }) => reply(projects.startDelivery(request.projectId, caller)),
    reachMilestone: (request, { caller }) =>
      reply(
        projects.reachMilestone(
          request.projectId,
          {
            title: request.title,
            progressPercent: request.progressPercent,
            reachedOn: request.reachedOn,
            note: request.note,
          },
          caller,
        ),
      ),
    noteSupervision: (request, { caller }) =>
      reply(projects.noteSupervision(request.projectId, request.note, caller)),
    completeProject: (request, { caller }) =>
      reply(
        projects.complete(
          request.projectId,
          { peopleServed: request.peopleServed, completedOn: request.completedOn },
          caller,
        ),
      ),
    evaluateProject: (request, { caller }) =>
      reply(
        projects.evaluate(
          request.projectId,
          { scores: { ...request.scores }, comment: request.comment },
          caller,
        ),
      ),
  });
}

function toProtoProject(view: CharityProjectView): socialRegistryV1.CharityProject {
  return {
    ...view,
    status: statusNames.fromName(view.status),
    origin: view.origin ?? undefined,
    proposals: view.proposals.map((proposal) => ({
      ...proposal,
      submittedAt: new Date(proposal.submittedAt),
    })),
    funding: view.funding.map((transaction) => ({
      ...transaction,
      kind: fundingKindNames.fromName(transaction.kind),
      funder: { ...transaction.funder, kind: funderKindNames.fromName(transaction.funder.kind) },
    })),
    totals: { ...view.totals, leverageRatio: view.totals.leverageRatio ?? undefined },
    supervisionNotes: view.supervisionNotes.map((note) => ({ ...note, at: new Date(note.at) })),
    evaluation: view.evaluation ? { ...view.evaluation, at: new Date(view.evaluation.at) } : undefined,
  };
}
