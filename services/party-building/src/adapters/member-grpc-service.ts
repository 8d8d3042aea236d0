import { enumNames, partyBuildingV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { MemberDesk, MemberView } from "../app/member-desk.js";
import { expectedVersionOf, requireId } from "./enum-mapping.js";

const standingNames = enumNames(partyBuildingV1.MemberStanding, "MEMBER_STANDING_");

/** gRPC face of the member roll. */
export function memberGrpcService(roll: MemberDesk): GrpcServiceRegistration {
  const answer = (member: MemberView) => ({ member: toProtoMember(member) });
  return unaryService(partyBuildingV1.MemberServiceService, {
    admitMember: async (request, { caller }) => {
      requireId("organisationId", request.organisationId);
      return answer(
        await roll.admit(
          {
            memberId: request.memberId,
            name: request.name,
            standing: standingNames.toName(request.standing),
            organisationId: request.organisationId,
            inService: request.inService,
          },
          caller,
        ),
      );
    },
    getMember: async (request, { caller }) => {
      requireId("memberId", request.memberId);
      return answer(await roll.get(request.memberId, caller));
    },
    listMembers: async (request, { caller }) => {
      requireId("organisationId", request.organisationId);
      const page = await roll.list(request.organisationId, request, caller);
      return { members: page.members.map(toProtoMember), nextPageToken: page.nextPageToken };
    },
    confirmMember: async (request, { caller }) => {
      requireId("memberId", request.memberId);
      return answer(await roll.confirm(request.memberId, caller));
    },
    transferMember: async (request, { caller }) => {
      requireId("memberId", request.memberId);
      requireId("toOrganisationId", request.toOrganisationId);
      return answer(
        await roll.transfer(
          request.memberId,
          request.toOrganisationId,
          expectedVersionOf(request.expectedVersion),
          caller,
        ),
      );
    },
    registerWithCommunity: async (request, { caller }) => {
      requireId("memberId", request.memberId);
      return answer(await roll.registerWithCommunity(request.memberId, request.communityAreaId, caller));
    },
    recordCommunityService: async (request, { caller }) => {
      requireId("memberId", request.memberId);
      const recorded = await roll.recordCommunityService(
        request.memberId,
        { kind: request.kind, note: request.note },
        caller,
      );
      return { member: toProtoMember(recorded.member), points: recorded.points };
    },
    listCommunityServiceKinds: async () => ({
      kinds: roll.serviceKinds(),
    }),
  });
}

function toProtoMember(view: MemberView): partyBuildingV1.Member {
  return {
    ...view,
    standing: standingNames.fromName(view.standing),
    communityRegistration: view.communityRegistration
      ? {
          communityAreaId: view.communityRegistration.communityAreaId,
          registeredAt: new Date(view.communityRegistration.registeredAt),
        }
      : undefined,
    transfers: view.transfers.map((transfer) => ({ ...transfer, at: new Date(transfer.at) })),
  };
}
