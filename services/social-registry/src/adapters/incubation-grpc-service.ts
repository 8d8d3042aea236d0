import { socialRegistryV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { CohortView, IncubationDesk, IncubationView, IncubatorView } from "../app/incubation-desk.js";

/** gRPC face of incubators, cohorts and organisations' incubation. */
export function incubationGrpcService(incubators: IncubationDesk): GrpcServiceRegistration {
  const incubation = async (view: Promise<IncubationView>) => ({ incubation: toProtoIncubation(await view) });
  return unaryService(socialRegistryV1.IncubationServiceService, {
    openIncubator: async (request, { caller }) => ({
      incubator: toProtoIncubator(await incubators.openIncubator(request, caller)),
    }),
    getIncubator: async (request) => ({
      incubator: toProtoIncubator(await incubators.getIncubator(request.incubatorId)),
    }),
    listIncubators: async (request) => {
      const page = await incubators.listIncubators(request.areaId, request);
      return { incubators: page.incubators.map(toProtoIncubator), nextPageToken: page.nextPageToken };
    },
    openCohort: async (request, { caller }) => ({
      cohort: toProtoCohort(await incubators.openCohort(request.incubatorId, request, caller)),
    }),
    listCohorts: async (request) => {
      const page = await incubators.listCohorts(request.incubatorId, request);
      return { cohorts: page.cohorts.map(toProtoCohort), nextPageToken: page.nextPageToken };
    },
    getCohort: async (request) => ({
      cohort: toProtoCohort(await incubators.getCohort(request.cohortId)),
    }),
    enterCohort: (request, { caller }) =>
      incubation(
        incubators.enterCohort(
          request.cohortId,
          { creditCode: request.organisationCreditCode, appliedOn: request.appliedOn },
          caller,
        ),
      ),
    listCohortParticipants: async (request) => {
      const page = await incubators.listParticipants(request.cohortId, request);
      return { incubations: page.incubations.map(toProtoIncubation), nextPageToken: page.nextPageToken };
    },
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
