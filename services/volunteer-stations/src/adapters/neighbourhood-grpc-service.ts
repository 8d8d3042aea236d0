import type { volunteerStationsV1 as v1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { MicroWishBoard, MicroWishView } from "../app/micro-wish-board.js";

const method = (name: string) => `civic.volunteer_stations.v1.NeighbourhoodService/${name}`;
const optionalDate = (iso: string) => (iso ? new Date(iso) : undefined);

/** gRPC face of micro-wishes. */
export function neighbourhoodGrpcService(wishes: MicroWishBoard): v1.NeighbourhoodServiceServer {
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
