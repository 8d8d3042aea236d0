import { enumNames, partyBuildingV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { MemberDesk, MemberView } from "../app/member-desk.js";
import { expectedVersionOf, requireId } from "./enum-mapping.js";

const standingNames = enumNames(partyBuildingV1.MemberStanding, "MEMBER_STANDING_");
const method = (name: string) => `civic.party_building.v1.MemberService/${name}`;

/** gRPC face of the member roll. */
export function memberGrpcService(roll: MemberDesk): partyBuildingV1.MemberServiceServer {
  const answer = (member: MemberView) => ({ member: toProtoMember(member) });
  return {
    admitMember: unaryHandler(
      method("AdmitMember"),
      async (request: partyBuildingV1.AdmitMemberRequest, { caller }) => {
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
    ),
    getMember: unaryHandler(
      method("GetMember"),
      async (request: partyBuildingV1.GetMemberRequest, { caller }) => {
        requireId("memberId", request.memberId);
        return answer(await roll.get(request.memberId, caller));
      },
    ),
    listMembers: unaryHandler(
      method("ListMembers"),
      async (request: partyBuildingV1.ListMembersRequest, { caller }) => {
        requireId("organisationId", request.organisationId);
        const page = await roll.list(request.organisationId, request, caller);
        return { members: page.members.map(toProtoMember), nextPageToken: page.nextPageToken };
      },
    ),
    confirmMember: unaryHandler(
      method("ConfirmMember"),
      async (request: partyBuildingV1.ConfirmMemberRequest, { caller }) => {
        requireId("memberId", request.memberId);
        return answer(await roll.confirm(request.memberId, caller));
      },
    ),
    transferMember: unaryHandler(
      method("TransferMember"),
      async (request: partyBuildingV1.TransferMemberRequest, { caller }) => {
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
    ),
    registerWithCommunity: unaryHandler(
      method("RegisterWithCommunity"),
      async (request: partyBuildingV1.RegisterWithCommunityRequest, { caller }) => {
        requireId("memberId", request.memberId);
        return answer(await roll.registerWithCommunity(request.memberId, request.communityAreaId, caller));
      },
    ),
    recordCommunityService: unaryHandler(
      method("RecordCommunityService"),
      async (request: partyBuildingV1.RecordCommunityServiceRequest, { caller }) => {
        requireId("memberId", request.memberId);
        const recorded = await roll.recordCommunityService(
          request.memberId,
          { kind: request.kind, note: request.note },
          caller,
        );
        return { member: toProtoMember(recorded.member), points: recorded.points };
      },
    ),
    listCommunityServiceKinds: unaryHandler(method("ListCommunityServiceKinds"), async () => ({
      kinds: roll.serviceKinds(),
    })),
  };
}

function toProtoMember(view: MemberView): partyBuildingV1.Member {
  return {
    memberId: view.memberId,
    name: view.name,
    standing: standingNames.fromName(view.standing),
    organisationId: view.organisationId,
    areaId: view.areaId,
    inService: view.inService,
    communityRegistration: view.communityRegistration
      ? {
          communityAreaId: view.communityRegistration.communityAreaId,
          registeredAt: new Date(view.communityRegistration.registeredAt),
        }
      : undefined,
    communityServices: view.communityServices,
    communityPoints: view.communityPoints,
    transfers: view.transfers.map((transfer) => ({ ...transfer, at: new Date(transfer.at) })),
    version: view.version,
  };
}
