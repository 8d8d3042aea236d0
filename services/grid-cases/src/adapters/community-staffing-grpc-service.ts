import type { gridCasesV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { CommunityStaffingDesk, CommunityStaffingView } from "../app/community-staffing-desk.js";
import type { StaffingAssessment } from "../domain/community-staffing.js";

const method = (name: string) => `civic.grid_cases.v1.CommunityStaffingService/${name}`;

/** gRPC face of community staffing and its standards. */
export function communityStaffingGrpcService(
  desk: CommunityStaffingDesk,
): gridCasesV1.CommunityStaffingServiceServer {
  return {
    startCommunityWorker: unaryHandler(
      method("StartCommunityWorker"),
      async (request: gridCasesV1.StartCommunityWorkerRequest, { caller }) => ({
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
    ),
    endCommunityWorker: unaryHandler(
      method("EndCommunityWorker"),
      async (request: gridCasesV1.EndCommunityWorkerRequest, { caller }) => ({
        staffing: toProtoStaffing(
          await desk.change(
            request.communityId,
            { kind: "end_worker", personId: request.personId, endDate: request.endDate },
            caller,
          ),
        ),
      }),
    ),
    setCommunityProfile: unaryHandler(
      method("SetCommunityProfile"),
      async (request: gridCasesV1.SetCommunityProfileRequest, { caller }) => ({
        staffing: toProtoStaffing(
          await desk.change(
            request.communityId,
            { kind: "set_profile", areaKm2: request.areaKm2, economy: request.economy },
            caller,
          ),
        ),
      }),
    ),
    getCommunityStaffing: unaryHandler(
      method("GetCommunityStaffing"),
      async (request: gridCasesV1.GetCommunityStaffingRequest, { caller }) => ({
        staffing: toProtoStaffing(await desk.get(request.communityId, caller)),
      }),
    ),
    getStreetStaffing: unaryHandler(
      method("GetStreetStaffing"),
      async (request: gridCasesV1.GetStreetStaffingRequest, { caller }) => {
        const street = await desk.street(request.streetId, caller);
        return { staffing: { ...street, assessment: toProtoAssessment(street.assessment) } };
      },
    ),
    listFlaggedCommunities: unaryHandler(
      method("ListFlaggedCommunities"),
      async (request: gridCasesV1.ListFlaggedCommunitiesRequest, { caller }) => {
        const page = await desk.flagged(request.areaId.trim(), request, caller);
        return { communities: page.communities.map(toProtoStaffing), nextPageToken: page.nextPageToken };
      },
    ),
  };
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
