import { gridCasesV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { CommunityStaffingDesk, CommunityStaffingView } from "../app/community-staffing-desk.js";
import type { StaffingAssessment } from "../domain/community-staffing.js";

/** gRPC face of community staffing and its standards. */
export function communityStaffingGrpcService(desk: CommunityStaffingDesk): GrpcServiceRegistration {
  return unaryService(gridCasesV1.CommunityStaffingServiceService, {
    startCommunityWorker: async (request, { caller }) => ({
      staffing: toProtoStaffing(
        await desk.change(
          request.communityId,
          {
            kind: "start_worker",
            personId: request.personId,
            name: request.name,
            startDate: request.startDate,
          },
          caller,
        ),
      ),
    }),
    endCommunityWorker: async (request, { caller }) => ({
      staffing: toProtoStaffing(
        await desk.change(
          request.communityId,
          { kind: "end_worker", personId: request.personId, endDate: request.endDate },
          caller,
        ),
      ),
    }),
    setCommunityProfile: async (request, { caller }) => ({
      staffing: toProtoStaffing(
        await desk.change(
          request.communityId,
          { kind: "set_profile", areaKm2: request.areaKm2, economy: request.economy },
          caller,
        ),
      ),
    }),
    getCommunityStaffing: async (request, { caller }) => ({
      staffing: toProtoStaffing(await desk.get(request.communityId, caller)),
    }),
    getStreetStaffing: async (request, { caller }) => {
      const street = await desk.street(request.streetId, caller);
      return { staffing: { ...street, assessment: toProtoAssessment(street.assessment) } };
    },
    listFlaggedCommunities: async (request, { caller }) => {
      const page = await desk.flagged(request.areaId.trim(), request, caller);
      return { communities: page.communities.map(toProtoStaffing), nextPageToken: page.nextPageToken };
    },
  });
}

function toProtoStaffing(view: CommunityStaffingView): gridCasesV1.CommunityStaffing {
  return {
    communityId: view.communityId,
    workers: view.staffing.workers,
    areaKm2: view.staffing.profile.areaKm2,
    economy: view.staffing.profile.economy,
    assessment: toProtoAssessment(view.assessment),
    flaggedBreaches: view.staffing.breaches,
  };
}

function toProtoAssessment(assessment: StaffingAssessment): gridCasesV1.StaffingAssessment {
  const { householdsPerWorker, workersPer10kResidents, ...figures } = assessment;
  return {
    ...figures,
    ...(householdsPerWorker === null ? {} : { householdsPerWorker }),
    ...(workersPer10kResidents === null ? {} : { workersPer10kResidents }),
  };
}
