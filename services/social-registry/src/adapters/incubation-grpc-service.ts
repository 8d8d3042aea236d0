import { socialRegistryV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { CohortView, IncubationDesk, IncubationView, IncubatorView } from "../app/incubation-desk.js";

/** gRPC face of incubators, cohorts and organisations' incubation. */
export function incubationGrpcService(incubators: IncubationDesk): GrpcServiceRegistration {
  const incubation = replyWith("incubation", toProtoIncubation);
  const incubatorReply = replyWith("incubator", toProtoIncubator);
  const incubatorsPage = pageWith("incubators", toProtoIncubator);
  const cohortReply = replyWith("cohort", toProtoCohort);
  const cohortsPage = pageWith("cohorts", toProtoCohort);
  const incubationsPage = pageWith("incubations", toProtoIncubation);
  return unaryService(socialRegistryV1.IncubationServiceService, {
    openIncubator: (request, { caller }) => incubatorReply(incubators.openIncubator(request, caller)),
    getIncubator: (request) => incubatorReply(incubators.getIncubator(request.incubatorId)),
    listIncubators: (request) => incubatorsPage(incubators.listIncubators(request.areaId, request)),
    openCohort: (request, { caller }) =>
      cohortReply(incubators.openCohort(request.incubatorId, request, caller)),
    listCohorts: (request) => cohortsPage(incubators.listCohorts(request.incubatorId, request)),
    getCohort: (request) => cohortReply(incubators.getCohort(request.cohortId)),
    enterCohort: (request, { caller }) =>
      incubation(
        incubators.enterCohort(
          request.cohortId,
          { creditCode: request.organisationCreditCode, appliedOn: request.appliedOn },
          caller,
        ),
      ),
    listCohortParticipants: (request) =>
      incubationsPage(incubators.listParticipants(request.cohortId, request)),
    getIncubation: (request) => incubation(incubators.getIncubation(request.creditCode)),
    changeIncubationStage: (request, { caller }) =>
      incubation(incubators.changeStage(request.creditCode, request, caller)),
  });
}

function toProtoIncubator(view: IncubatorView): socialRegistryV1.Incubator {
  const { status: _status, ...incubator } = view;
  return incubator;
}

function toProtoCohort(view: CohortView): socialRegistryV1.IncubationCohort {
  const { status: _status, ...cohort } = view;
  return cohort;
}

function toProtoIncubation(view: IncubationView): socialRegistryV1.Incubation {
  const { status: _status, ...incubation } = view;
  return incubation;
}
