import { enumNames, partyBuildingV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { type Request, Router } from "express";
import { z } from "zod";
import { checkedInput } from "../checked-input.js";
import type { GrpcCall } from "../grpc-call.js";
import { noQuery, validatedRoute } from "../route-kit.js";

const standingNames = enumNames(partyBuildingV1.MemberStanding, "MEMBER_STANDING_");
const names = (values: readonly string[]) => values as [string, ...string[]];

const id = z.string().max(64);
const admitBody = z
  .object({
    memberId: id,
    name: z.string().max(100),
    standing: z.enum(names(standingNames.names)),
    organisationId: id,
    inService: z.boolean().default(false),
  })
  .strict();
const transferBody = z
  .object({ toOrganisationId: id, expectedVersion: z.number().int().min(0).default(0) })
  .strict();
const registrationBody = z.object({ communityAreaId: z.string().max(18) }).strict();
const serviceBody = z.object({ kind: z.string().max(32), note: z.string().max(1_000).default("") }).strict();
const emptyBody = z.object({}).strict();
const listQuery = z
  .object({
    organisationId: id,
    pageSize: z.coerce.number().int().default(0),
    pageToken: z.string().max(200).default(""),
  })
  .strict();

export function memberJson(member: partyBuildingV1.Member) {
  return {
    memberId: member.memberId,
    name: member.name,
    standing: standingNames.toName(member.standing),
    organisationId: member.organisationId,
    areaId: member.areaId,
    inService: member.inService,
    communityRegistration: member.communityRegistration
      ? {
          communityAreaId: member.communityRegistration.communityAreaId,
          registeredAt: member.communityRegistration.registeredAt?.toISOString() ?? null,
        }
      : null,
    communityServices: member.communityServices,
    communityPoints: member.communityPoints,
    transfers: member.transfers.map((transfer) => ({ ...transfer, at: transfer.at?.toISOString() ?? null })),
    version: member.version,
  };
}

/** Party members: see MemberService in proto/. */
export function partyMemberRoutes({
  members,
  call,
}: {
  members: partyBuildingV1.MemberServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const memberOf = (found: { member?: partyBuildingV1.Member | undefined }) => {
    if (!found.member) throw new Error("MemberService answered without a member");
    return memberJson(found.member);
  };
  const memberId = (request: Request) => request.params.memberId as string;

  router.post("/api/v1/party-members", async (request, response) => {
    const body = checkedInput(admitBody, request.body, request, response);
    if (!body) return;
    const admitted = await call<partyBuildingV1.AdmitMemberResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        members.admitMember(
          { ...body, standing: standingNames.fromName(body.standing) },
          metadata,
          options,
          callback,
        ),
    );
    const member = memberOf(admitted);
    response.status(201).location(`/api/v1/party-members/${member.memberId}`).json(member);
  });

  router.get("/api/v1/party-members/:memberId", async (request, response) => {
    const found = await call<partyBuildingV1.GetMemberResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        members.getMember({ memberId: memberId(request) }, metadata, options, callback),
    );
    response.json(memberOf(found));
  });

  router.get("/api/v1/party-members", async (request, response) => {
    const query = checkedInput(listQuery, request.query, request, response);
    if (!query) return;
    const page = await call<partyBuildingV1.ListMembersResponse>(
      request,
      (metadata: Metadata, options, callback) => members.listMembers(query, metadata, options, callback),
    );
    response.json({ members: page.members.map(memberJson), nextPageToken: page.nextPageToken || null });
  });

  router.post("/api/v1/party-members/:memberId/confirm", async (request, response) => {
    if (!checkedInput(emptyBody, request.body ?? {}, request, response)) return;
    const confirmed = await call<partyBuildingV1.ConfirmMemberResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        members.confirmMember({ memberId: memberId(request) }, metadata, options, callback),
    );
    response.json(memberOf(confirmed));
  });

  router.post("/api/v1/party-members/:memberId/transfer", async (request, response) => {
    const body = checkedInput(transferBody, request.body, request, response);
    if (!body) return;
    const transferred = await call<partyBuildingV1.TransferMemberResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        members.transferMember({ memberId: memberId(request), ...body }, metadata, options, callback),
    );
    response.json(memberOf(transferred));
  });

  router.post("/api/v1/party-members/:memberId/community-registration", async (request, response) => {
    const body = checkedInput(registrationBody, request.body, request, response);
    if (!body) return;
    const registered = await call<partyBuildingV1.RegisterWithCommunityResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        members.registerWithCommunity({ memberId: memberId(request), ...body }, metadata, options, callback),
    );
    response.json(memberOf(registered));
  });

  router.post("/api/v1/party-members/:memberId/community-services", async (request, response) => {
    const body = checkedInput(serviceBody, request.body, request, response);
    if (!body) return;
    const recorded = await call<partyBuildingV1.RecordCommunityServiceResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        members.recordCommunityService({ memberId: memberId(request), ...body }, metadata, options, callback),
    );
    response.status(201).json({ points: recorded.points, member: memberOf(recorded) });
  });

  router.get(
    "/api/v1/party-member-service-kinds",
    validatedRoute("query", noQuery, async (_query, request, response) => {
      const listed = await call<partyBuildingV1.ListCommunityServiceKindsResponse>(
        request,
        (metadata: Metadata, options, callback) =>
          members.listCommunityServiceKinds({}, metadata, options, callback),
      );
      response.json({ kinds: listed.kinds });
    }),
  );

  return router;
}
