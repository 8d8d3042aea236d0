import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { BuildingHeadDesk, BuildingView } from "../app/building-head-desk.js";
import type { MicroWishDesk, MicroWishView } from "../app/micro-wish-desk.js";

const optionalDate = (iso: string) => (iso ? new Date(iso) : undefined);

/** gRPC face of micro-wishes and building heads. */
export function neighbourhoodGrpcService(
  wishes: MicroWishDesk,
  heads: BuildingHeadDesk,
): GrpcServiceRegistration {
  const wishReply = replyWith("wish", toProtoWish);
  const wishesPage = pageWith("wishes", toProtoWish);
  const buildingReply = replyWith("building", toProtoBuilding);
  return unaryService(v1.NeighbourhoodServiceService, {
    postMicroWish: (request, { caller }) => wishReply(wishes.post(request, caller)),
    getMicroWish: (request) => wishReply(wishes.get(request.wishId)),
    listMicroWishes: (request) => wishesPage(wishes.list(request.areaId, request)),
    claimMicroWish: (request, { caller }) =>
      wishReply(wishes.claim(request.wishId, request.claimerKind, caller)),
    fulfilMicroWish: (request, { caller }) => wishReply(wishes.fulfil(request.wishId, request.proof, caller)),
    confirmMicroWish: (request, { caller }) => wishReply(wishes.confirm(request.wishId, caller)),
    getMicroWishStatistics: async (request, { caller }) => ({
      communities: await wishes.statistics(request.areaId, caller),
    }),
    appointBuildingHead: (request, { caller }) => buildingReply(heads.appoint(request, caller)),
    relieveBuildingHead: (request, { caller }) =>
      buildingReply(heads.relieve(request.buildingId, request.reason, caller)),
    getBuildingHead: (request) => buildingReply(heads.get(request.buildingId)),
    getBuildingHeadCoverage: async (request, { caller }) => ({
      communities: await heads.coverage(request.areaId, caller),
    }),
  });
}

function toProtoWish(view: MicroWishView): v1.MicroWish {
  return {
    ...view,
    postedAt: optionalDate(view.postedAt),
    claimedAt: optionalDate(view.claimedAt),
    fulfilledAt: optionalDate(view.fulfilledAt),
    confirmedAt: optionalDate(view.confirmedAt),
  };
}

function toProtoBuilding(view: BuildingView): v1.BuildingHead {
  return { ...view, appointedAt: optionalDate(view.appointedAt) };
}
