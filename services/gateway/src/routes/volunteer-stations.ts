import type { volunteerStationsV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";

const text = z.string().max(2_000);
const id = z.string().max(128);
export const pageQuery = {
  pageSize: z.coerce.number().int().min(0).max(200).default(0),
  pageToken: z.string().max(200).default(""),
};
const areaPageQuery = z.object({ areaId: z.string().max(18).default(""), ...pageQuery }).strict();

const stationBody = z
  .object({
    stationId: id,
    kind: z.enum(["blue_sky_hut", "migrant_youth_home", "youth_station", "service_point"]),
    name: text,
    areaId: z.string().max(18),
    address: text.default(""),
    managerIds: z.array(id).max(20).default([]),
  })
  .strict();
const managerBody = z.object({ managerId: id }).strict();
const teamBody = z
  .object({
    teamId: id,
    kind: z.enum(["property_company", "community", "enterprise", "school", "social_organisation", "other"]),
    name: text,
    areaId: z.string().max(18),
    stationId: id.default(""),
    leaderId: id.default(""),
  })
  .strict();
const memberBody = z.object({ memberId: id }).strict();

/** Volunteer stations and teams: see StationService in proto/. */
export function volunteerStationRoutes({
  stations,
  call,
}: {
  stations: v1.StationServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();

  router.post(
    "/api/v1/volunteer-stations",
    validatedRoute("body", stationBody, async (body, request, response) => {
      const { station } = await callRpc(call, request, stations.registerStation.bind(stations), body);
      response.status(201).location(`/api/v1/volunteer-stations/${body.stationId}`).json(station);
    }),
  );
  router.post(
    "/api/v1/volunteer-stations/:stationId/managers",
    validatedRoute("body", managerBody, async (body, request, response) => {
      const { station } = await callRpc(call, request, stations.assignStationManager.bind(stations), {
        stationId: pathParam(request, "stationId"),
        ...body,
      });
      response.json(station);
    }),
  );
  router.get("/api/v1/volunteer-stations/:stationId", async (request, response) => {
    const { station } = await callRpc(call, request, stations.getStation.bind(stations), {
      stationId: pathParam(request, "stationId"),
    });
    response.json(station);
  });
  router.get(
    "/api/v1/volunteer-stations",
    validatedRoute("query", areaPageQuery, async (query, request, response) => {
      const page = await callRpc(call, request, stations.listStations.bind(stations), query);
      response.json({ stations: page.stations, nextPageToken: page.nextPageToken || null });
    }),
  );

  router.post(
    "/api/v1/volunteer-teams",
    validatedRoute("body", teamBody, async (body, request, response) => {
      const { team } = await callRpc(call, request, stations.formTeam.bind(stations), body);
      response.status(201).location(`/api/v1/volunteer-teams/${body.teamId}`).json(team);
    }),
  );
  router.post(
    "/api/v1/volunteer-teams/:teamId/members",
    validatedRoute("body", memberBody, async (body, request, response) => {
      const { team } = await callRpc(call, request, stations.addTeamMember.bind(stations), {
        teamId: pathParam(request, "teamId"),
        ...body,
      });
      response.json(team);
    }),
  );
  router.get("/api/v1/volunteer-teams/:teamId", async (request, response) => {
    const { team } = await callRpc(call, request, stations.getTeam.bind(stations), {
      teamId: pathParam(request, "teamId"),
    });
    response.json(team);
  });
  router.get(
    "/api/v1/volunteer-teams",
    validatedRoute("query", areaPageQuery, async (query, request, response) => {
      const page = await callRpc(call, request, stations.listTeams.bind(stations), query);
      response.json({ teams: page.teams, nextPageToken: page.nextPageToken || null });
    }),
  );
  return router;
}

const wishBody = z
  .object({
    areaId: z.string().max(18),
    residentId: id,
    title: text,
    description: text.default(""),
    valueFen: z.number().int().min(-1_000_000_000).max(1_000_000_000),
  })
  .strict();
const claimBody = z.object({ claimerKind: z.string().max(20) }).strict();
const proofBody = z.object({ proof: text }).strict();
const emptyBody = z.object({}).strict();
const areaQuery = z.object({ areaId: z.string().max(18).default("") }).strict();
const headBody = z
  .object({ headId: id, headName: z.string().max(50), roles: z.array(z.string().max(20)).max(5).default([]) })
  .strict();
const reliefBody = z.object({ reason: text }).strict();

/** Micro-wishes of residents: see NeighbourhoodService in proto/. */
export function microWishRoutes({
  neighbourhood,
  call,
}: {
  neighbourhood: v1.NeighbourhoodServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const wishKey = (request: Parameters<typeof pathParam>[0]) => ({ wishId: pathParam(request, "wishId") });
  router.post(
    "/api/v1/micro-wishes",
    validatedRoute("body", wishBody, async (body, request, response) => {
      const { wish } = await callRpc(call, request, neighbourhood.postMicroWish.bind(neighbourhood), body);
      response.status(201).location(`/api/v1/micro-wishes/${wish?.wishId}`).json(wish);
    }),
  );
  router.get("/api/v1/micro-wishes/:wishId", async (request, response) => {
    const { wish } = await callRpc(
      call,
      request,
      neighbourhood.getMicroWish.bind(neighbourhood),
      wishKey(request),
    );
    response.json(wish);
  });
  router.get(
    "/api/v1/micro-wishes",
    validatedRoute("query", areaPageQuery, async (query, request, response) => {
      const page = await callRpc(call, request, neighbourhood.listMicroWishes.bind(neighbourhood), query);
      response.json({ wishes: page.wishes, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.post(
    "/api/v1/micro-wishes/:wishId/claim",
    validatedRoute("body", claimBody, async (body, request, response) => {
      const { wish } = await callRpc(call, request, neighbourhood.claimMicroWish.bind(neighbourhood), {
        ...wishKey(request),
        ...body,
      });
      response.json(wish);
    }),
  );
  router.post(
    "/api/v1/micro-wishes/:wishId/fulfilment",
    validatedRoute("body", proofBody, async (body, request, response) => {
      const { wish } = await callRpc(call, request, neighbourhood.fulfilMicroWish.bind(neighbourhood), {
        ...wishKey(request),
        ...body,
      });
      response.json(wish);
    }),
  );
  router.post(
    "/api/v1/micro-wishes/:wishId/confirmation",
    validatedRoute("body", emptyBody, async (_body, request, response) => {
      const { wish } = await callRpc(
        call,
        request,
        neighbourhood.confirmMicroWish.bind(neighbourhood),
        wishKey(request),
      );
      response.json(wish);
    }),
  );
  router.get(
    "/api/v1/micro-wish-statistics",
    validatedRoute("query", areaQuery, async (query, request, response) => {
      const statistics = await callRpc(
        call,
        request,
        neighbourhood.getMicroWishStatistics.bind(neighbourhood),
        query,
      );
      response.json(statistics);
    }),
  );

  const buildingKey = (request: Parameters<typeof pathParam>[0]) => ({
    buildingId: pathParam(request, "buildingId"),
  });
  router.put(
    "/api/v1/buildings/:buildingId/head",
    validatedRoute("body", headBody, async (body, request, response) => {
      const { building } = await callRpc(
        call,
        request,
        neighbourhood.appointBuildingHead.bind(neighbourhood),
        { ...buildingKey(request), ...body },
      );
      response.json(building);
    }),
  );
  router.post(
    "/api/v1/buildings/:buildingId/head/relief",
    validatedRoute("body", reliefBody, async (body, request, response) => {
      const { building } = await callRpc(
        call,
        request,
        neighbourhood.relieveBuildingHead.bind(neighbourhood),
        { ...buildingKey(request), ...body },
      );
      response.json(building);
    }),
  );
  router.get("/api/v1/buildings/:buildingId/head", async (request, response) => {
    const { building } = await callRpc(
      call,
      request,
      neighbourhood.getBuildingHead.bind(neighbourhood),
      buildingKey(request),
    );
    response.json(building);
  });
  router.get(
    "/api/v1/building-head-coverage",
    validatedRoute("query", areaQuery, async (query, request, response) => {
      const coverage = await callRpc(
        call,
        request,
        neighbourhood.getBuildingHeadCoverage.bind(neighbourhood),
        query,
      );
      response.json(coverage);
    }),
  );
  return router;
}
