import type { volunteerStationsV1 as v1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { BuildingHeadDesk, BuildingView } from "../app/building-head-desk.js";
import type { MicroWishDesk, MicroWishView } from "../app/micro-wish-desk.js";

const method = (name: string) => `civic.volunteer_stations.v1.NeighbourhoodService/${name}`;
const optionalDate = (iso: string) => (iso ? new Date(iso) : undefined);

/** gRPC face of micro-wishes and building heads. */
export function neighbourhoodGrpcService(
  wishes: MicroWishDesk,
  heads: BuildingHeadDesk,
): v1.NeighbourhoodServiceServer {
  return {
    postMicroWish: unaryHandler(
      method("PostMicroWish"),
      async (request: v1.PostMicroWishRequest, { caller }) => ({
        wish: toProtoWish(await wishes.post(request, caller)),
      }),
    ),
    getMicroWish: unaryHandler(method("GetMicroWish"), async (request: v1.GetMicroWishRequest) => ({
      wish: toProtoWish(await wishes.get(request.wishId)),
    })),
    listMicroWishes: unaryHandler(method("ListMicroWishes"), async (request: v1.ListMicroWishesRequest) => {
      const page = await wishes.list(request.areaId, request);
      return { wishes: page.wishes.map(toProtoWish), nextPageToken: page.nextPageToken };
    }),
    claimMicroWish: unaryHandler(
      method("ClaimMicroWish"),
      async (request: v1.ClaimMicroWishRequest, { caller }) => ({
        wish: toProtoWish(await wishes.claim(request.wishId, request.claimerKind, caller)),
      }),
    ),
    fulfilMicroWish: unaryHandler(
      method("FulfilMicroWish"),
      async (request: v1.FulfilMicroWishRequest, { caller }) => ({
        wish: toProtoWish(await wishes.fulfil(request.wishId, request.proof, caller)),
      }),
    ),
    confirmMicroWish: unaryHandler(
      method("ConfirmMicroWish"),
      async (request: v1.ConfirmMicroWishRequest, { caller }) => ({
        wish: toProtoWish(await wishes.confirm(request.wishId, caller)),
      }),
    ),
    getMicroWishStatistics: unaryHandler(
      method("GetMicroWishStatistics"),
      async (request: v1.GetMicroWishStatisticsRequest, { caller }) => ({
        communities: await wishes.statistics(request.areaId, caller),
      }),
    ),
    appointBuildingHead: unaryHandler(
      method("AppointBuildingHead"),
      async (request: v1.AppointBuildingHeadRequest, { caller }) => ({
        building: toProtoBuilding(await heads.appoint(request, caller)),
      }),
    ),
    relieveBuildingHead: unaryHandler(
      method("RelieveBuildingHead"),
      async (request: v1.RelieveBuildingHeadRequest, { caller }) => ({
        building: toProtoBuilding(await heads.relieve(request.buildingId, request.reason, caller)),
      }),
    ),
    getBuildingHead: unaryHandler(method("GetBuildingHead"), async (request: v1.GetBuildingHeadRequest) => ({
      building: toProtoBuilding(await heads.get(request.buildingId)),
    })),
    getBuildingHeadCoverage: unaryHandler(
      method("GetBuildingHeadCoverage"),
      async (request: v1.GetBuildingHeadCoverageRequest, { caller }) => ({
        communities: await heads.coverage(request.areaId, caller),
      }),
    ),
  };
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
