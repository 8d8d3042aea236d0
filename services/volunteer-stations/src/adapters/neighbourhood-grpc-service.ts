import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { BuildingHeadDesk, BuildingView } from "../app/building-head-desk.js";
import type { MicroWishDesk, MicroWishView } from "../app/micro-wish-desk.js";

const optionalDate = (iso: string) => (iso ? new Date(iso) : undefined);

/** gRPC face of micro-wishes and building heads. */
export function neighbourhoodGrpcService(
  wishes: MicroWishDesk,
  heads: BuildingHeadDesk,
): GrpcServiceRegistration {
  return unaryService(v1.NeighbourhoodServiceService, {
    postMicroWish: async (request, { caller }) => ({
      wish: toProtoWish(await wishes.post(request, caller)),
    }),
    getMicroWish: async (request) => ({
      wish: toProtoWish(await wishes.get(request.wishId)),
    }),
    listMicroWishes: async (request) => {
      const page = await wishes.list(request.areaId, request);
      return { wishes: page.wishes.map(toProtoWish), nextPageToken: page.nextPageToken };
    },
    claimMicroWish: async (request, { caller }) => ({
      wish: toProtoWish(await wishes.claim(request.wishId, request.claimerKind, caller)),
    }),
    fulfilMicroWish: async (request, { caller }) => ({
      wish: toProtoWish(await wishes.fulfil(request.wishId, request.proof, caller)),
    }),
    confirmMicroWish: async (request, { caller }) => ({
      wish: toProtoWish(await wishes.confirm(request.wishId, caller)),
    }),
    getMicroWishStatistics: async (request, { caller }) => ({
      communities: await wishes.statistics(request.areaId, caller),
    }),
    appointBuildingHead: async (request, { caller }) => ({
      building: toProtoBuilding(await heads.appoint(request, caller)),
    }),
    relieveBuildingHead: async (request, { caller }) => ({
      building: toProtoBuilding(await heads.relieve(request.buildingId, request.reason, caller)),
    }),
    getBuildingHead: async (request) => ({
      building: toProtoBuilding(await heads.get(request.buildingId)),
    }),
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
