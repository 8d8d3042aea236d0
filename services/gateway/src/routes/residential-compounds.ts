import type { partyBuildingV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";
import { pageQuery } from "../validation.js";

const id = z.string().max(128);
const text = z.string().max(500);
const areaId = z.string().max(18);
const committeeMember = z
  .object({
    personId: id,
    name: z.string().max(100),
    post: z.string().max(32),
    partyMemberId: id.default(""),
    alsoServesOn: z.array(z.string().max(64)).max(4).default([]),
  })
  .strict();
const compoundBody = z
  .object({
    compoundId: id,
    name: text,
    communityAreaId: areaId,
    households: z.number().int().min(0).max(10_000_000),
    propertyCompany: text.default(""),
  })
  .strict();
const compoundsQuery = z.object({ areaId, ...pageQuery }).strict();
const partyBranchBody = z.object({ organisationId: id, secretaryMemberId: id.default("") }).strict();
const committeeBody = z
  .object({
    termStart: z.string().max(10),
    termEnd: z.string().max(10),
    members: z.array(committeeMember).max(100),
  })
  .strict();
const departureBody = z
  .object({ kind: z.string().max(32), leftOn: z.string().max(10), reason: text.default("") })
  .strict();
const dissolutionBody = z.object({ endedOn: z.string().max(10), reason: text.default("") }).strict();
const coverageQuery = z.object({ areaId }).strict();

/** Rates absent from the reply (no denominator) are null in JSON. */
export function coverageJson(coverage: v1.RedCommitteeCoverage | undefined) {
  return coverage
    ? {
        ...coverage,
        ownersCommitteeRate: coverage.ownersCommitteeRate ?? null,
        partyBranchRate: coverage.partyBranchRate ?? null,
        redCommitteeCoverage: coverage.redCommitteeCoverage ?? null,
      }
    : undefined;
}

/** The party branch and owners' committee of a compound are null when there is none. */
function compoundJson(compound: v1.ResidentialCompound | undefined) {
  return compound
    ? {
        ...compound,
        partyBranch: compound.partyBranch ?? null,
        ownersCommittee: compound.ownersCommittee ?? null,
      }
    : undefined;
}

/** Red owners' committees: see CompoundService in proto/. */
export function residentialCompoundRoutes({
  compounds,
  call,
}: {
  compounds: v1.CompoundServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  router.post(
    "/api/v1/residential-compounds",
    validatedRoute("body", compoundBody, async (body, request, response) => {
      const { compound } = await callRpc(call, request, compounds.registerCompound.bind(compounds), body);
      response
        .status(201)
        .location(`/api/v1/residential-compounds/${body.compoundId}`)
        .json(compoundJson(compound));
    }),
  );
  router.get(
    "/api/v1/residential-compounds",
    validatedRoute("query", compoundsQuery, async (query, request, response) => {
      const found = await callRpc(call, request, compounds.listCompounds.bind(compounds), query);
      response.json({
        compounds: found.compounds.map(compoundJson),
        nextPageToken: found.nextPageToken || null,
      });
    }),
  );
  router.get("/api/v1/residential-compounds/:compoundId", async (request, response) => {
    const { compound } = await callRpc(call, request, compounds.getCompound.bind(compounds), {
      compoundId: pathParam(request, "compoundId"),
    });
    response.json(compoundJson(compound));
  });
  router.post(
    "/api/v1/residential-compounds/:compoundId/party-branch",
    validatedRoute("body", partyBranchBody, async (body, request, response) => {
      const { compound } = await callRpc(call, request, compounds.assignCompoundPartyBranch.bind(compounds), {
        compoundId: pathParam(request, "compoundId"),
        ...body,
      });
      response.json(compoundJson(compound));
    }),
  );
  router.post(
    "/api/v1/residential-compounds/:compoundId/owners-committee",
    validatedRoute("body", committeeBody, async (body, request, response) => {
      const { compound } = await callRpc(call, request, compounds.formOwnersCommittee.bind(compounds), {
        compoundId: pathParam(request, "compoundId"),
        ...body,
      });
      response.status(201).json(compoundJson(compound));
    }),
  );
  router.post(
    "/api/v1/residential-compounds/:compoundId/owners-committee/members",
    validatedRoute("body", committeeMember, async (body, request, response) => {
      const { compound } = await callRpc(call, request, compounds.addOwnersCommitteeMember.bind(compounds), {
        compoundId: pathParam(request, "compoundId"),
        member: body,
      });
      response.status(201).json(compoundJson(compound));
    }),
  );
  router.post(
    "/api/v1/residential-compounds/:compoundId/owners-committee/members/:personId/departure",
    validatedRoute("body", departureBody, async (body, request, response) => {
      const { compound } = await callRpc(
        call,
        request,
        compounds.recordOwnersCommitteeDeparture.bind(compounds),
        { compoundId: pathParam(request, "compoundId"), personId: pathParam(request, "personId"), ...body },
      );
      response.json(compoundJson(compound));
    }),
  );
  router.post(
    "/api/v1/residential-compounds/:compoundId/owners-committee/dissolution",
    validatedRoute("body", dissolutionBody, async (body, request, response) => {
      const { compound } = await callRpc(call, request, compounds.dissolveOwnersCommittee.bind(compounds), {
        compoundId: pathParam(request, "compoundId"),
        ...body,
      });
      response.json(compoundJson(compound));
    }),
  );
  router.get(
    "/api/v1/red-owners-committee-coverage",
    validatedRoute("query", coverageQuery, async (query, request, response) => {
      const { coverage } = await callRpc(
        call,
        request,
        compounds.getRedCommitteeCoverage.bind(compounds),
        query,
      );
      response.json(coverageJson(coverage));
    }),
  );
  return router;
}
