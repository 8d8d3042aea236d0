import { gridCasesV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { CommunityStaffingDesk, CommunityStaffingView } from "../app/community-staffing-desk.js";
import type { StaffingAssessment } from "../domain/community-staffing.js";

/** gRPC face of community staffing and its standards. */
export function communityStaffingGrpcService(desk: CommunityStaffingDesk): GrpcServiceRegistration {
  const staffingReply = replyWith("staffing", toProtoStaffing);
  const communitiesPage = pageWith("communities", toProtoStaffing);
  return unaryService(gridCasesV1.CommunityStaffingServiceService, {
    startCommunityWorker: (request, { caller }) =>
      staffingReply(
        desk.change(
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
    endCommunityWorker: (request, { caller }) =>
      staffingReply(
        desk.change(
          request.communityId,
          { kind: "end_worker", personId: request.personId, endDate: request.endDate },
          caller,
        ),
      ),
    setCommunityProfile: (request, { caller }) =>
      staffingReply(
        desk.change(
          request.communityId,
          { kind: "set_profile", areaKm2: request.areaKm2, economy: request.economy },
          caller,
        ),
      ),
    getCommunityStaffing: (request, { caller }) => staffingReply(desk.get(request.communityId, caller)),
    getStreetStaffing: async (request, { caller }) => {
      const street = await desk.street(request.streetId, caller);
      return { staffing: { ...street, assessment: toProtoAssessment(street.assessment) } };
    },
    listFlaggedCommunities: (request, { caller }) =>
      communitiesPage(desk.flagged(request.areaId.trim(), request, caller)),
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
