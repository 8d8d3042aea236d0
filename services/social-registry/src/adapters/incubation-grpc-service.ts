import type { socialRegistryV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { CohortView, IncubationDesk, IncubationView, IncubatorView } from "../app/incubation-desk.js";

const method = (name: string) => `civic.social_registry.v1.IncubationService/${name}`;

/** gRPC face of incubators, cohorts and organisations' incubation. */
export function incubationGrpcService(incubators: IncubationDesk): socialRegistryV1.IncubationServiceServer {
  const incubation = async (view: Promise<IncubationView>) => ({ incubation: toProtoIncubation(await view) });
  return {
    openIncubator: unaryHandler(
      method("OpenIncubator"),
      async (request: socialRegistryV1.OpenIncubatorRequest, { caller }) => ({
        incubator: toProtoIncubator(await incubators.openIncubator(request, caller)),
      }),
    ),
    getIncubator: unaryHandler(
      method("GetIncubator"),
      async (request: socialRegistryV1.GetIncubatorRequest) => ({
        incubator: toProtoIncubator(await incubators.getIncubator(request.incubatorId)),
      }),
    ),
    listIncubators: unaryHandler(
      method("ListIncubators"),
      async (request: socialRegistryV1.ListIncubatorsRequest) => {
        const page = await incubators.listIncubators(request.areaId, request);
        return { incubators: page.incubators.map(toProtoIncubator), nextPageToken: page.nextPageToken };
      },
    ),
    openCohort: unaryHandler(
      method("OpenCohort"),
      async (request: socialRegistryV1.OpenCohortRequest, { caller }) => ({
        cohort: toProtoCohort(await incubators.openCohort(request.incubatorId, request, caller)),
      }),
    ),
    listCohorts: unaryHandler(method("ListCohorts"), async (request: socialRegistryV1.ListCohortsRequest) => {
      const page = await incubators.listCohorts(request.incubatorId, request);
      return { cohorts: page.cohorts.map(toProtoCohort), nextPageToken: page.nextPageToken };
    }),
    getCohort: unaryHandler(method("GetCohort"), async (request: socialRegistryV1.GetCohortRequest) => ({
      cohort: toProtoCohort(await incubators.getCohort(request.cohortId)),
    })),
    enterCohort: unaryHandler(
      method("EnterCohort"),
      (request: socialRegistryV1.EnterCohortRequest, { caller }) =>
        incubation(
          incubators.enterCohort(
            request.cohortId,
            { creditCode: request.organisationCreditCode, appliedOn: request.appliedOn },
            caller,
          ),
        ),
    ),
    listCohortParticipants: unaryHandler(
      method("ListCohortParticipants"),
      async (request: socialRegistryV1.ListCohortParticipantsRequest) => {
        const page = await incubators.listParticipants(request.cohortId, request);
        return { incubations: page.incubations.map(toProtoIncubation), nextPageToken: page.nextPageToken };
      },
    ),
    getIncubation: unaryHandler(method("GetIncubation"), (request: socialRegistryV1.GetIncubationRequest) =>
      incubation(incubators.getIncubation(request.creditCode)),
    ),
    changeIncubationStage: unaryHandler(
      method("ChangeIncubationStage"),
      (request: socialRegistryV1.ChangeIncubationStageRequest, { caller }) =>
        incubation(incubators.changeStage(request.creditCode, request, caller)),
    ),
  };
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
