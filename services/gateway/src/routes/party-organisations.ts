import { enumNames, partyBuildingV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { type Request, Router } from "express";
import { z } from "zod";
import { checkedInput } from "../checked-input.js";
import type { GrpcCall } from "../grpc-call.js";

const levelNames = enumNames(partyBuildingV1.OrganisationLevel, "ORGANISATION_LEVEL_");
const branchKindNames = enumNames(partyBuildingV1.BranchKind, "BRANCH_KIND_");
const changeKindNames = enumNames(partyBuildingV1.OrganisationChangeKind, "ORGANISATION_CHANGE_KIND_");
const names = (values: readonly string[]) => values as [string, ...string[]];

const id = z.string().max(64);
const expectedVersion = z.number().int().min(0).default(0);
const foundBody = z
  .object({
    level: z.enum(names(levelNames.names)),
    branchKind: z.enum(names(branchKindNames.names)).optional(),
    name: z.string().max(200),
    parentId: id.default(""),
    areaId: z.string().max(18),
  })
  .strict();
const renameBody = z.object({ name: z.string().max(200), expectedVersion }).strict();
const moveBody = z
  .object({ newParentId: id, areaId: z.string().max(18).default(""), expectedVersion })
  .strict();
const listQuery = z
  .object({
    parentId: id.default(""),
    pageSize: z.coerce.number().int().default(0),
    pageToken: z.string().max(200).default(""),
  })
  .strict();

export function organisationJson(organisation: partyBuildingV1.Organisation) {
  return {
    organisationId: organisation.organisationId,
    level: levelNames.toName(organisation.level),
    branchKind: branchKindNames.toName(organisation.branchKind) || null,
    name: organisation.name,
    parentId: organisation.parentId || null,
    areaId: organisation.areaId,
    history: organisation.history.map((change) => ({
      kind: changeKindNames.toName(change.kind),
      from: change.from || null,
      to: change.to || null,
      fromAreaId: change.fromAreaId || null,
      toAreaId: change.toAreaId || null,
      by: change.by,
      at: change.at?.toISOString() ?? null,
    })),
    version: organisation.version,
  };
}

/** The party organisation tree: see OrganisationService in proto/. */
export function partyOrganisationRoutes({
  organisations,
  call,
}: {
  organisations: partyBuildingV1.OrganisationServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const organisationOf = (found: { organisation?: partyBuildingV1.Organisation | undefined }) => {
    if (!found.organisation) throw new Error("OrganisationService answered without an organisation");
    return organisationJson(found.organisation);
  };
  const organisationId = (request: Request) => request.params.organisationId as string;

  router.post("/api/v1/party-organisations", async (request, response) => {
    const body = checkedInput(foundBody, request.body, request, response);
    if (!body) return;
    const founded = await call<partyBuildingV1.FoundOrganisationResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        organisations.foundOrganisation(
          {
            ...body,
            level: levelNames.fromName(body.level),
            branchKind: branchKindNames.fromName(body.branchKind ?? ""),
          },
          metadata,
          options,
          callback,
        ),
    );
    const organisation = organisationOf(founded);
    response
      .status(201)
      .location(`/api/v1/party-organisations/${organisation.organisationId}`)
      .json(organisation);
  });

  router.post("/api/v1/party-organisations/:organisationId/rename", async (request, response) => {
    const body = checkedInput(renameBody, request.body, request, response);
    if (!body) return;
    const renamed = await call<partyBuildingV1.RenameOrganisationResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        organisations.renameOrganisation(
          { organisationId: organisationId(request), ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(renamed));
  });

  router.post("/api/v1/party-organisations/:organisationId/move", async (request, response) => {
    const body = checkedInput(moveBody, request.body, request, response);
    if (!body) return;
    const moved = await call<partyBuildingV1.MoveOrganisationResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        organisations.moveOrganisation(
          { organisationId: organisationId(request), ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(moved));
  });

  router.get("/api/v1/party-organisations/:organisationId/subtree", async (request, response) => {
    const subtree = await call<partyBuildingV1.GetOrganisationSubtreeResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        organisations.getOrganisationSubtree(
          { organisationId: organisationId(request) },
          metadata,
          options,
          callback,
        ),
    );
    response.json({
      organisations: subtree.organisations.map(organisationJson),
      levelCounts: Object.fromEntries(
        subtree.levelCounts.map(({ level, count }) => [levelNames.toName(level), count]),
      ),
      branchKindCounts: Object.fromEntries(
        subtree.branchKindCounts.map(({ branchKind, count }) => [branchKindNames.toName(branchKind), count]),
      ),
      members: { formal: subtree.formalMembers, probationary: subtree.probationaryMembers },
    });
  });

  router.get("/api/v1/party-organisations/:organisationId", async (request, response) => {
    const found = await call<partyBuildingV1.GetOrganisationResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        organisations.getOrganisation(
          { organisationId: organisationId(request) },
          metadata,
          options,
          callback,
        ),
    );
    response.json(organisationOf(found));
  });

  router.get("/api/v1/party-organisations", async (request, response) => {
    const query = checkedInput(listQuery, request.query, request, response);
    if (!query) return;
    const page = await call<partyBuildingV1.ListOrganisationsResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        organisations.listOrganisations(query, metadata, options, callback),
    );
    response.json({
      organisations: page.organisations.map(organisationJson),
      nextPageToken: page.nextPageToken || null,
    });
  });

  return router;
}
