import { partyBuildingV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { OrganisationDesk, OrganisationView } from "../app/organisation-desk.js";
import {
  branchKindNames,
  changeKindNames,
  expectedVersionOf,
  organisationLevelNames,
  requireId,
  requireOptionalId,
} from "./enum-mapping.js";

/** gRPC face of the organisation tree. */
export function organisationGrpcService(tree: OrganisationDesk): GrpcServiceRegistration {
  return unaryService(partyBuildingV1.OrganisationServiceService, {
    foundOrganisation: async (request, { caller }) => {
      requireOptionalId("parentId", request.parentId);
      const founded = await tree.found(
        {
          level: organisationLevelNames.toName(request.level),
          branchKind: branchKindNames.toName(request.branchKind),
          name: request.name,
          parentId: request.parentId,
          areaId: request.areaId,
        },
        caller,
      );
      return { organisation: toProtoOrganisation(founded) };
    },
    renameOrganisation: async (request, { caller }) => {
      requireId("organisationId", request.organisationId);
      const renamed = await tree.rename(
        request.organisationId,
        request.name,
        expectedVersionOf(request.expectedVersion),
        caller,
      );
      return { organisation: toProtoOrganisation(renamed) };
    },
    moveOrganisation: async (request, { caller }) => {
      requireId("organisationId", request.organisationId);
      requireId("newParentId", request.newParentId);
      const moved = await tree.move(
        request.organisationId,
        { newParentId: request.newParentId, areaId: request.areaId },
        expectedVersionOf(request.expectedVersion),
        caller,
      );
      return { organisation: toProtoOrganisation(moved) };
    },
    getOrganisation: async (request) => {
      requireId("organisationId", request.organisationId);
      return { organisation: toProtoOrganisation(await tree.get(request.organisationId)) };
    },
    listOrganisations: async (request) => {
      requireOptionalId("parentId", request.parentId);
      const page = await tree.listChildren(request.parentId, request);
      return {
        organisations: page.organisations.map(toProtoOrganisation),
        nextPageToken: page.nextPageToken,
      };
    },
    getOrganisationSubtree: async (request) => {
      requireId("organisationId", request.organisationId);
      const subtree = await tree.subtree(request.organisationId);
      return {
        organisations: subtree.organisations.map(toProtoOrganisation),
        levelCounts: subtree.levelCounts.map(({ level, count }) => ({
          level: organisationLevelNames.fromName(level),
          count,
        })),
        branchKindCounts: subtree.branchKindCounts.map(({ branchKind, count }) => ({
          branchKind: branchKindNames.fromName(branchKind),
          count,
        })),
        formalMembers: subtree.formalMembers,
        probationaryMembers: subtree.probationaryMembers,
      };
    },
  });
}

export function toProtoOrganisation(view: OrganisationView): partyBuildingV1.Organisation {
  return {
    organisationId: view.organisationId,
    level: organisationLevelNames.fromName(view.level),
    branchKind: branchKindNames.fromName(view.branchKind),
    name: view.name,
    parentId: view.parentId,
    areaId: view.areaId,
    history: view.history.map((change) => ({
      kind: changeKindNames.fromName(change.kind),
      from: change.from,
      to: change.to,
      fromAreaId: change.fromAreaId,
      toAreaId: change.toAreaId,
      by: change.by,
      at: new Date(change.at),
    })),
    version: view.version,
  };
}
