import type { partyBuildingV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";
import { pageQuery } from "../validation.js";

const id = z.string().max(128);
const date = z.string().max(10);
const unitBody = z.object({ unitId: id, name: z.string().max(200), kind: z.string().max(32) }).strict();
const departureBody = z.object({ leftOn: date }).strict();
const sessionBody = z
  .object({
    heldOn: date,
    title: z.string().max(400),
    attendeeUnitIds: z.array(id).max(200),
    minutes: z.string().max(10_000).default(""),
  })
  .strict();
const itemBody = z
  .object({
    title: z.string().max(400),
    description: z.string().max(10_000).default(""),
    proposedByUnitId: id.default(""),
  })
  .strict();
const itemsQuery = z.object({ stage: z.string().max(32).default(""), ...pageQuery }).strict();
const transitionBody = z
  .object({
    to: z.string().max(32),
    note: z.string().max(4_000).default(""),
    expectedVersion: z.number().int().min(0).default(0),
  })
  .strict();
const pairingBody = z
  .object({ organisationId: id, unitId: id, startedOn: date, purpose: z.string().max(1_000).default("") })
  .strict();
const pairingsQuery = z
  .object({
    communityAreaId: z.string().max(18),
    activeOnly: z.enum(["true", "false"]).default("false"),
    ...pageQuery,
  })
  .strict();
const endBody = z.object({ endedOn: date, note: z.string().max(1_000).default("") }).strict();

const nextPage = <T extends { nextPageToken: string }>(page: T) => ({
  ...page,
  nextPageToken: page.nextPageToken || null,
});

/** Joint meetings, their agenda items and pairings: see JointMeetingService in proto/. */
export function jointMeetingRoutes({
  meetings,
  call,
}: {
  meetings: v1.JointMeetingServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const community = (request: Parameters<typeof pathParam>[0]) => pathParam(request, "communityAreaId");
  router.post(
    "/api/v1/joint-meetings/:communityAreaId/units",
    validatedRoute("body", unitBody, async (body, request, response) => {
      const { jointMeeting } = await callRpc(call, request, meetings.joinJointMeeting.bind(meetings), {
        communityAreaId: community(request),
        ...body,
      });
      response.status(201).json(jointMeeting);
    }),
  );
  router.post(
    "/api/v1/joint-meetings/:communityAreaId/units/:unitId/departure",
    validatedRoute("body", departureBody, async (body, request, response) => {
      const { jointMeeting } = await callRpc(call, request, meetings.leaveJointMeeting.bind(meetings), {
        communityAreaId: community(request),
        unitId: pathParam(request, "unitId"),
        ...body,
      });
      response.json(jointMeeting);
    }),
  );
  router.get("/api/v1/joint-meetings/:communityAreaId", async (request, response) => {
    const { jointMeeting } = await callRpc(call, request, meetings.getJointMeeting.bind(meetings), {
      communityAreaId: community(request),
    });
    response.json(jointMeeting);
  });
  router.post(
    "/api/v1/joint-meetings/:communityAreaId/sessions",
    validatedRoute("body", sessionBody, async (body, request, response) => {
      const { session } = await callRpc(call, request, meetings.recordJointMeetingSession.bind(meetings), {
        communityAreaId: community(request),
        ...body,
      });
      response.status(201).json(session);
    }),
  );
  router.get(
    "/api/v1/joint-meetings/:communityAreaId/sessions",
    validatedRoute("query", z.object(pageQuery).strict(), async (query, request, response) => {
      const found = await callRpc(call, request, meetings.listJointMeetingSessions.bind(meetings), {
        communityAreaId: community(request),
        ...query,
      });
      response.json(nextPage(found));
    }),
  );
  router.post(
    "/api/v1/joint-meetings/:communityAreaId/agenda-items",
    validatedRoute("body", itemBody, async (body, request, response) => {
      const { item } = await callRpc(call, request, meetings.proposeAgendaItem.bind(meetings), {
        communityAreaId: community(request),
        ...body,
      });
      response
        .status(201)
        .location(`/api/v1/joint-meeting-agenda-items/${item?.itemId ?? ""}`)
        .json(item);
    }),
  );
  router.get(
    "/api/v1/joint-meetings/:communityAreaId/agenda-items",
    validatedRoute("query", itemsQuery, async (query, request, response) => {
      const found = await callRpc(call, request, meetings.listAgendaItems.bind(meetings), {
        communityAreaId: community(request),
        ...query,
      });
      response.json(nextPage(found));
    }),
  );
  router.get("/api/v1/joint-meeting-agenda-items/:itemId", async (request, response) => {
    const { item } = await callRpc(call, request, meetings.getAgendaItem.bind(meetings), {
      itemId: pathParam(request, "itemId"),
    });
    response.json(item);
  });
  router.post(
    "/api/v1/joint-meeting-agenda-items/:itemId/transitions",
    validatedRoute("body", transitionBody, async (body, request, response) => {
      const { item } = await callRpc(call, request, meetings.advanceAgendaItem.bind(meetings), {
        itemId: pathParam(request, "itemId"),
        ...body,
      });
      response.json(item);
    }),
  );
  router.post(
    "/api/v1/co-building-pairings",
    validatedRoute("body", pairingBody, async (body, request, response) => {
      const { pairing } = await callRpc(call, request, meetings.formPairing.bind(meetings), body);
      response
        .status(201)
        .location(`/api/v1/co-building-pairings/${pairing?.pairingId ?? ""}`)
        .json(pairing);
    }),
  );
  router.get(
    "/api/v1/co-building-pairings",
    validatedRoute("query", pairingsQuery, async (query, request, response) => {
      const found = await callRpc(call, request, meetings.listPairings.bind(meetings), {
        ...query,
        activeOnly: query.activeOnly === "true",
      });
      response.json(nextPage(found));
    }),
  );
  router.get("/api/v1/co-building-pairings/:pairingId", async (request, response) => {
    const { pairing } = await callRpc(call, request, meetings.getPairing.bind(meetings), {
      pairingId: pathParam(request, "pairingId"),
    });
    response.json(pairing);
  });
  router.post(
    "/api/v1/co-building-pairings/:pairingId/end",
    validatedRoute("body", endBody, async (body, request, response) => {
      const { pairing } = await callRpc(call, request, meetings.endPairing.bind(meetings), {
        pairingId: pathParam(request, "pairingId"),
        ...body,
      });
      response.json(pairing);
    }),
  );
  return router;
}
