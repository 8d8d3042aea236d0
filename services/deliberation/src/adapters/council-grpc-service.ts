import { deliberationV1 as contracts, type deliberationV1, enumNames } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { unaryHandler } from "@civic/service-kit";
import type { CouncilDesk, CouncilView } from "../app/council-desk.js";

const kindNames = enumNames(contracts.CouncilKind, "COUNCIL_KIND_");
const roleNames = enumNames(contracts.MemberRole, "MEMBER_ROLE_");
const method = (name: string) => `civic.deliberation.v1.CouncilService/${name}`;

export function requireId(field: string, value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError([{ field, description: "must not be empty" }]);
  return value.trim();
}

/** gRPC face of the council use cases. */
export function councilGrpcService(registry: CouncilDesk): deliberationV1.CouncilServiceServer {
  return {
    createCouncil: unaryHandler(
      method("CreateCouncil"),
      async (request: deliberationV1.CreateCouncilRequest, { caller }) => ({
        council: toProtoCouncil(
          await registry.create(
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
      }),
    ),
    addCouncilMember: unaryHandler(
      method("AddCouncilMember"),
      async (request: deliberationV1.AddCouncilMemberRequest, { caller }) => ({
        council: toProtoCouncil(
          await registry.addMember(
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
      }),
    ),
    removeCouncilMember: unaryHandler(
      method("RemoveCouncilMember"),
      async (request: deliberationV1.RemoveCouncilMemberRequest, { caller }) => ({
        council: toProtoCouncil(
          await registry.removeMember(
            requireId("councilId", request.councilId),
            requireId("memberId", request.memberId),
            caller,
          ),
        ),
      }),
    ),
    getCouncil: unaryHandler(method("GetCouncil"), async (request: deliberationV1.GetCouncilRequest) => ({
      council: toProtoCouncil(await registry.get(requireId("councilId", request.councilId))),
    })),
    listCouncils: unaryHandler(
      method("ListCouncils"),
      async (request: deliberationV1.ListCouncilsRequest) => {
        const page = await registry.list(request.areaId.trim(), {
          pageSize: request.pageSize,
          pageToken: request.pageToken,
        });
        return { councils: page.councils.map(toProtoCouncil), nextPageToken: page.nextPageToken };
      },
    ),
  };
}

function toProtoCouncil({ council, version }: CouncilView): deliberationV1.Council {
  return {
    councilId: council.councilId,
    kind: kindNames.fromName(council.kind),
    areaId: council.areaId,
    name: council.name,
    seatCount: council.seatCount,
    termStart: council.termStart,
    termEnd: council.termEnd,
    members: council.members.map((member) => ({
      ...member,
      role: roleNames.fromName(member.role),
      joinedAt: new Date(member.joinedAt),
    })),
    createdBy: council.createdBy,
    createdAt: new Date(council.createdAt),
    version,
  };
}
