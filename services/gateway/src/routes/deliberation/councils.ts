import { deliberationV1, enumNames } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../../grpc-call.js";
import { checked, iso, names, present } from "./checked.js";

const kindNames = enumNames(deliberationV1.CouncilKind, "COUNCIL_KIND_");
const roleNames = enumNames(deliberationV1.MemberRole, "MEMBER_ROLE_");

const createCouncilBody = z
  .object({
    kind: z.enum(names(kindNames.names)),
    areaId: z.string(),
    name: z.string(),
    seatCount: z.number().int(),
    termStart: z.string(),
    termEnd: z.string(),
  })
  .strict();
const addMemberBody = z
  .object({
    memberId: z.string(),
    name: z.string(),
    role: z.enum(names(roleNames.names)),
    unitId: z.string().optional(),
    building: z.string().optional(),
    floorAreaCentiM2: z.number().int().optional(),
  })
  .strict();
const listQuery = z
  .object({
    areaId: z.string().max(18).default(""),
    pageSize: z.coerce.number().int().default(0),
    pageToken: z.string().max(200).default(""),
  })
  .strict();

export function councilJson(council: deliberationV1.Council) {
  return {
    councilId: council.councilId,
    kind: kindNames.toName(council.kind),
    areaId: council.areaId,
    name: council.name,
    seatCount: council.seatCount,
    termStart: council.termStart,
    termEnd: council.termEnd,
    members: council.members.map((member) => ({
      ...member,
      role: roleNames.toName(member.role),
      joinedAt: iso(member.joinedAt),
    })),
    createdBy: council.createdBy,
    createdAt: iso(council.createdAt),
    version: council.version,
  };
}

/** /api/v1/councils: see CouncilService in proto/civic/deliberation/v1. */
export function councilRoutes({
  councils,
  call,
}: {
  councils: deliberationV1.CouncilServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const councilOf = (answer: { council?: deliberationV1.Council | undefined }) =>
    councilJson(present(answer.council, "a council"));

  router.post("/api/v1/councils", async (request, response) => {
    const body = checked(createCouncilBody, request.body, request, response);
    if (!body) return;
    const created = await call<deliberationV1.CreateCouncilResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        councils.createCouncil({ ...body, kind: kindNames.fromName(body.kind) }, metadata, options, callback),
    );
    const council = councilOf(created);
    response.status(201).location(`/api/v1/councils/${council.councilId}`).json(council);
  });

  router.post("/api/v1/councils/:councilId/members", async (request, response) => {
    const body = checked(addMemberBody, request.body, request, response);
    if (!body) return;
    const added = await call<deliberationV1.AddCouncilMemberResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        councils.addCouncilMember(
          {
            councilId: request.params.councilId as string,
            memberId: body.memberId,
            name: body.name,
            role: roleNames.fromName(body.role),
            unitId: body.unitId ?? "",
            building: body.building ?? "",
            floorAreaCentiM2: body.floorAreaCentiM2 ?? 0,
          },
          metadata,
          options,
          callback,
        ),
    );
    response.status(201).json(councilOf(added));
  });

  router.delete("/api/v1/councils/:councilId/members/:memberId", async (request, response) => {
    const removed = await call<deliberationV1.RemoveCouncilMemberResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        councils.removeCouncilMember(
          { councilId: request.params.councilId as string, memberId: request.params.memberId as string },
          metadata,
          options,
          callback,
        ),
    );
    response.json(councilOf(removed));
  });

  router.get("/api/v1/councils/:councilId", async (request, response) => {
    const found = await call<deliberationV1.GetCouncilResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        councils.getCouncil({ councilId: request.params.councilId as string }, metadata, options, callback),
    );
    response.json(councilOf(found));
  });

  router.get("/api/v1/councils", async (request, response) => {
    const query = checked(listQuery, request.query, request, response);
    if (!query) return;
    const found = await call<deliberationV1.ListCouncilsResponse>(
      request,
      (metadata: Metadata, options, callback) => councils.listCouncils(query, metadata, options, callback),
    );
    response.json({
      councils: found.councils.map(councilJson),
      nextPageToken: found.nextPageToken || undefined,
    });
  });

  return router;
}
