import type { socialRegistryV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { AgencyView, SocialWorkDesk, SocialWorkerView } from "../app/social-work-desk.js";
import type { AffiliationInput } from "../domain/social-work.js";

const method = (name: string) => `civic.social_registry.v1.SocialWorkService/${name}`;

const affiliationInput = (affiliation: socialRegistryV1.Affiliation | undefined): AffiliationInput => ({
  kind: affiliation?.kind || "none",
  agencyCreditCode: affiliation?.agencyCreditCode ?? "",
  communityId: affiliation?.communityId ?? "",
});

/** gRPC face of the social-work agencies and licensed social workers. */
export function socialWorkGrpcService(registry: SocialWorkDesk): socialRegistryV1.SocialWorkServiceServer {
  const agency = async (view: Promise<AgencyView>) => ({ agency: toProtoAgency(await view) });
  const worker = async (view: Promise<SocialWorkerView>) => ({ worker: toProtoWorker(await view) });
  return {
    registerSocialWorkAgency: unaryHandler(
      method("RegisterSocialWorkAgency"),
      (request: socialRegistryV1.RegisterSocialWorkAgencyRequest, { caller }) =>
        agency(registry.registerAgency(request, caller)),
    ),
    getSocialWorkAgency: unaryHandler(
      method("GetSocialWorkAgency"),
      (request: socialRegistryV1.GetSocialWorkAgencyRequest) =>
        agency(registry.getAgency(request.creditCode)),
    ),
    listSocialWorkAgencies: unaryHandler(
      method("ListSocialWorkAgencies"),
      async (request: socialRegistryV1.ListSocialWorkAgenciesRequest) => {
        const page = await registry.listAgencies(request.areaId, request);
        return { agencies: page.agencies.map(toProtoAgency), nextPageToken: page.nextPageToken };
      },
    ),
    registerSocialWorker: unaryHandler(
      method("RegisterSocialWorker"),
      (request: socialRegistryV1.RegisterSocialWorkerRequest, { caller }) =>
        worker(
          registry.registerWorker({ ...request, affiliation: affiliationInput(request.affiliation) }, caller),
        ),
    ),
    getSocialWorker: unaryHandler(
      method("GetSocialWorker"),
      (request: socialRegistryV1.GetSocialWorkerRequest) => worker(registry.getWorker(request.workerId)),
    ),
    listSocialWorkers: unaryHandler(
      method("ListSocialWorkers"),
      async (request: socialRegistryV1.ListSocialWorkersRequest) => {
        const page = await registry.listWorkers(request, request);
        return { workers: page.workers.map(toProtoWorker), nextPageToken: page.nextPageToken };
      },
    ),
    changeSocialWorkerAffiliation: unaryHandler(
      method("ChangeSocialWorkerAffiliation"),
      (request: socialRegistryV1.ChangeSocialWorkerAffiliationRequest, { caller }) =>
        worker(
          registry.changeAffiliation(
            request.workerId,
            { affiliation: affiliationInput(request.affiliation), changedOn: request.changedOn },
            caller,
          ),
        ),
    ),
    countSocialWorkers: unaryHandler(
      method("CountSocialWorkers"),
      async (request: socialRegistryV1.CountSocialWorkersRequest) => ({
        areaId: request.areaId,
        ...(await registry.countWorkers(request.areaId)),
      }),
    ),
  };
}

function toProtoAgency(view: AgencyView): socialRegistryV1.SocialWorkAgency {
  return {
    creditCode: view.creditCode,
    name: view.name,
    areaId: view.areaId,
    registeredOn: view.registeredOn,
    version: view.version,
  };
}

function toProtoWorker(view: SocialWorkerView): socialRegistryV1.SocialWorker {
  return {
    workerId: view.workerId,
    name: view.name,
    licenceLevel: view.licenceLevel,
    licenceNumber: view.licenceNumber,
    affiliation: view.affiliation,
    areaId: view.areaId,
    registeredOn: view.registeredOn,
    version: view.version,
  };
}
