import { deliberationV1, enumNames } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../../grpc-call.js";
import { checked, iso, names, present } from "./checked.js";

const methodNames = enumNames(deliberationV1.VoteMethod, "VOTE_METHOD_");
const ruleNames = enumNames(deliberationV1.ThresholdRule, "THRESHOLD_RULE_");
const statusNames = enumNames(deliberationV1.VoteStatus, "VOTE_STATUS_");

const openVoteBody = z
  .object({
    title: z.string(),
    method: z.enum(names(methodNames.names)),
    rule: z.enum(names(ruleNames.names)),
    candidates: z
      .array(z.object({ candidateId: z.string(), name: z.string() }).strict())
      .max(100)
      .default([]),
    seats: z.number().int().default(0),
    building: z.string().default(""),
    electors: z
      .array(
        z
          .object({
            voterId: z.string(),
            unitId: z.string().default(""),
            floorAreaCentiM2: z.number().int().default(0),
          })
          .strict(),
      )
      .max(20_000)
      .default([]),
    closesAt: z.iso.datetime({ offset: true }),
    subjectReference: z.string().default(""),
  })
  .strict();
const castBody = z.object({ unitId: z.string().default(""), choices: z.array(z.string()).max(100) }).strict();
const handsBody = z
  .object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() })
  .strict();
const emptyBody = z.object({}).strict();

export function voteJson(vote: deliberationV1.Vote) {
  return {
    voteId: vote.voteId,
    councilId: vote.councilId,
    areaId: vote.areaId,
    title: vote.title,
    method: methodNames.toName(vote.method),
    rule: ruleNames.toName(vote.rule),
    candidates: vote.candidates,
    seats: vote.seats,
    building: vote.building,
    electorCount: vote.electorCount,
    electorateFloorAreaCentiM2: vote.electorateFloorAreaCentiM2,
    closesAt: iso(vote.closesAt),
    subjectReference: vote.subjectReference,
    status: statusNames.toName(vote.status),
    openedBy: vote.openedBy,
    openedAt: iso(vote.openedAt),
    ballotCount: vote.ballotCount,
    result: vote.result ? { ...vote.result, closedAt: iso(vote.result.closedAt) } : null,
    voiding: vote.voiding ? { ...vote.voiding, voidedAt: iso(vote.voiding.voidedAt) } : null,
    version: vote.version,
  };
}

const ballotJson = (ballot: deliberationV1.Ballot) => ({ ...ballot, castAt: iso(ballot.castAt) });

/** /api/v1/councils/{id}/votes and /api/v1/votes: see VoteService in proto/civic/deliberation/v1. */
export function voteRoutes({
  votes,
  call,
}: {
  votes: deliberationV1.VoteServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const voteOf = (answer: { vote?: deliberationV1.Vote | undefined }) =>
    voteJson(present(answer.vote, "a vote"));
  const voteId = (params: Record<string, unknown>) => params.voteId as string;

  router.post("/api/v1/councils/:councilId/votes", async (request, response) => {
    const body = checked(openVoteBody, request.body, request, response);
    if (!body) return;
    const opened = await call<deliberationV1.OpenVoteResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        votes.openVote(
          {
            ...body,
            councilId: request.params.councilId as string,
            method: methodNames.fromName(body.method),
            rule: ruleNames.fromName(body.rule),
            closesAt: new Date(body.closesAt),
          },
          metadata,
          options,
          callback,
        ),
    );
    const vote = voteOf(opened);
    response.status(201).location(`/api/v1/votes/${vote.voteId}`).json(vote);
  });

  router.post("/api/v1/votes/:voteId/ballots", async (request, response) => {
    const body = checked(castBody, request.body, request, response);
    if (!body) return;
    const cast = await call<deliberationV1.CastBallotResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        votes.castBallot({ voteId: voteId(request.params), ...body }, metadata, options, callback),
    );
    response.status(201).json(ballotJson(present(cast.ballot, "a ballot")));
  });

  router.put("/api/v1/votes/:voteId/show-of-hands", async (request, response) => {
    const body = checked(handsBody, request.body, request, response);
    if (!body) return;
    const entered = await call<deliberationV1.EnterShowOfHandsResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        votes.enterShowOfHands({ voteId: voteId(request.params), ...body }, metadata, options, callback),
    );
    response.json(voteOf(entered));
  });

  router.post("/api/v1/votes/:voteId/close", async (request, response) => {
    if (!checked(emptyBody, request.body ?? {}, request, response)) return;
    const closed = await call<deliberationV1.CloseVoteResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        votes.closeVote({ voteId: voteId(request.params) }, metadata, options, callback),
    );
    response.json(voteOf(closed));
  });

  router.get("/api/v1/votes/:voteId", async (request, response) => {
    const found = await call<deliberationV1.GetVoteResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        votes.getVote({ voteId: voteId(request.params) }, metadata, options, callback),
    );
    response.json(voteOf(found));
  });

  router.get("/api/v1/votes/:voteId/ballots", async (request, response) => {
    const found = await call<deliberationV1.ListBallotsResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        votes.listBallots({ voteId: voteId(request.params) }, metadata, options, callback),
    );
    response.json({ ballots: found.ballots.map(ballotJson) });
  });

  router.get("/api/v1/votes/:voteId/verification", async (request, response) => {
    const found = await call<deliberationV1.VerifyVoteResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        votes.verifyVote({ voteId: voteId(request.params) }, metadata, options, callback),
    );
    response.json(present(found.verification, "a verification"));
  });

  return router;
}
