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
  // A view carries every field of its message under the same name.
  const agency = async (view: Promise<AgencyView>) => ({ agency: await view });
  const worker = async (view: Promise<SocialWorkerView>) => ({ worker: await view });
  return unaryService(socialRegistryV1.SocialWorkServiceService, {
    registerSocialWorkAgency: (request, { caller }) => agency(registry.registerAgency(request, caller)),
    getSocialWorkAgency: (request) => agency(registry.getAgency(request.creditCode)),
    listSocialWorkAgencies: async (request) => {
      const page = await registry.listAgencies(request.areaId, request);
      return { agencies: page.agencies, nextPageToken: page.nextPageToken };
    },
    registerSocialWorker: (request, { caller }) =>
      worker(
        registry.registerWorker({ ...request, affiliation: affiliationInput(request.affiliation) }, caller),
      ),
    getSocialWorker: (request) => worker(registry.getWorker(request.workerId)),
    listSocialWorkers: async (request) => {
      const page = await registry.listWorkers(request, request);
      return { workers: page.workers, nextPageToken: page.nextPageToken };
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
