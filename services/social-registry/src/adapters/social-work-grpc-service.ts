import { socialRegistryV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { AgencyView, SocialWorkDesk, SocialWorkerView } from "../app/social-work-desk.js";
import type { AffiliationInput } from "../domain/social-work.js";

const affiliationInput = (affiliation: socialRegistryV1.Affiliation | undefined): AffiliationInput => ({
  kind: affiliation?.kind || "none",
  agencyCreditCode: affiliation?.agencyCreditCode ?? "",
  communityId: affiliation?.communityId ?? "",
});

/** gRPC face of the social-work agencies and licensed social workers. */
export function socialWorkGrpcService(registry: SocialWorkDesk): GrpcServiceRegistration {
  const agency = async (view: Promise<AgencyView>) => ({ agency: toProtoAgency(await view) });
  const worker = async (view: Promise<SocialWorkerView>) => ({ worker: toProtoWorker(await view) });
  return unaryService(socialRegistryV1.SocialWorkServiceService, {
    registerSocialWorkAgency: (request, { caller }) => agency(registry.registerAgency(request, caller)),
    getSocialWorkAgency: (request) => agency(registry.getAgency(request.creditCode)),
    listSocialWorkAgencies: async (request) => {
      const page = await registry.listAgencies(request.areaId, request);
      return { agencies: page.agencies.map(toProtoAgency), nextPageToken: page.nextPageToken };
    },
    registerSocialWorker: (request, { caller }) =>
      worker(
        registry.registerWorker({ ...request, affiliation: affiliationInput(request.affiliation) }, caller),
      ),
    getSocialWorker: (request) => worker(registry.getWorker(request.workerId)),
    listSocialWorkers: async (request) => {
      const page = await registry.listWorkers(request, request);
      return { workers: page.workers.map(toProtoWorker), nextPageToken: page.nextPageToken };
    },
    changeSocialWorkerAffiliation: (request, { caller }) =>
      worker(
        registry.changeAffiliation(
          request.workerId,
          { affiliation: affiliationInput(request.affiliation), changedOn: request.changedOn },
          caller,
        ),
      ),
    countSocialWorkers: async (request) => ({
      areaId: request.areaId,
      ...(await registry.countWorkers(request.areaId)),
    }),
  });
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
