import { deliberationV1, enumNames } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { CouncilDesk, CouncilView } from "../app/council-desk.js";

const kindNames = enumNames(deliberationV1.CouncilKind, "COUNCIL_KIND_");
const roleNames = enumNames(deliberationV1.MemberRole, "MEMBER_ROLE_");

export function requireId(field: string, value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError([{ field, description: "must not be empty" }]);
  return value.trim();
}

/** gRPC face of the council use cases. */
export function councilGrpcService(registry: CouncilDesk): GrpcServiceRegistration {
  const councilReply = replyWith("council", toProtoCouncil);
  const councilsPage = pageWith("councils", toProtoCouncil);
  return unaryService(deliberationV1.CouncilServiceService, {
    createCouncil: (request, { caller }) =>
      councilReply(
        registry.create(
          {
            kind: kindNames.toName(request.kind),
            areaId: request.areaId,
            name: request.name,
            seatCount: request.seatCount,
            termStart: request.termStart,
            termEnd: request.termEnd,
          },
          caller,
        ),
      ),
    addCouncilMember: (request, { caller }) =>
      councilReply(
        registry.addMember(
          requireId("councilId", request.councilId),
          {
            memberId: request.memberId,
            name: request.name,
            role: roleNames.toName(request.role),
            unitId: request.unitId,
            building: request.building,
            floorAreaCentiM2: request.floorAreaCentiM2,
          },
          caller,
        ),
      ),
    removeCouncilMember: (request, { caller }) =>
      councilReply(
        registry.removeMember(
          requireId("councilId", request.councilId),
          requireId("memberId", request.memberId),
          caller,
        ),
      ),
    getCouncil: (request) => councilReply(registry.get(requireId("councilId", request.councilId))),
    listCouncils: (request) =>
      councilsPage(
        registry.list(request.areaId.trim(), {
          pageSize: request.pageSize,
          pageToken: request.pageToken,
        }),
      ),
  });
}

function toProtoCouncil({ council, version }: CouncilView): deliberationV1.Council {
  return {
    ...council,
    kind: kindNames.fromName(council.kind),
    members: council.members.map((member) => ({
      ...member,
      role: roleNames.fromName(member.role),
      joinedAt: new Date(member.joinedAt),
    })),
    createdAt: new Date(council.createdAt),
    version,
  };
}
