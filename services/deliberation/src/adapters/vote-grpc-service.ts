import { deliberationV1, enumNames } from "@civic/contracts";
import { type GrpcServiceRegistration, replyWith, unaryService } from "@civic/service-kit";
import type { StoredBallot, VoteDesk, VoteView } from "../app/vote-desk.js";
import { electorateOf, type VoteResult } from "../domain/vote.js";
import { requireId } from "./council-grpc-service.js";

const methodNames = enumNames(deliberationV1.VoteMethod, "VOTE_METHOD_");
const ruleNames = enumNames(deliberationV1.ThresholdRule, "THRESHOLD_RULE_");
const statusNames = enumNames(deliberationV1.VoteStatus, "VOTE_STATUS_");

/** gRPC face of the vote use cases. */
export function voteGrpcService(desk: VoteDesk): GrpcServiceRegistration {
  const voteReply = replyWith("vote", toProtoVote);
  return unaryService(deliberationV1.VoteServiceService, {
    openVote: (request, { caller }) =>
      voteReply(
        desk.open(
          requireId("councilId", request.councilId),
          {
            title: request.title,
            method: methodNames.toName(request.method),
            rule: ruleNames.toName(request.rule),
            candidates: request.candidates,
            seats: request.seats,
            building: request.building,
            electors: request.electors.map((elector) => ({
              voterId: elector.voterId,
              unitId: elector.unitId,
              areaCentiM2: elector.floorAreaCentiM2,
            })),
            closesAt: request.closesAt,
            subjectReference: request.subjectReference,
          },
          caller,
        ),
      ),
    castBallot: async (request, { caller }) => ({
      ballot: toProtoBallot(
        await desk.cast(requireId("voteId", request.voteId), request.unitId, request.choices, caller),
      ),
    }),
    enterShowOfHands: (request, { caller }) =>
      voteReply(
        desk.enterTally(
          requireId("voteId", request.voteId),
          { yes: request.yes, no: request.no, abstain: request.abstain },
          caller,
        ),
      ),
    closeVote: (request, { caller }) => voteReply(desk.close(requireId("voteId", request.voteId), caller)),
    getVote: (request) => voteReply(desk.get(requireId("voteId", request.voteId))),
    listBallots: async (request) => ({
      ballots: (await desk.ballots(requireId("voteId", request.voteId))).map(toProtoBallot),
    }),
    verifyVote: async (request) => ({
      verification: await desk.verify(requireId("voteId", request.voteId)),
    }),
  });
}

function toProtoVote({ vote, version, ballotCount }: VoteView): deliberationV1.Vote {
  const electorate = electorateOf(vote);
  return {
    voteId: vote.voteId,
    councilId: vote.councilId,
    areaId: vote.areaId,
    title: vote.title,
    method: methodNames.fromName(vote.method),
    rule: ruleNames.fromName(vote.rule),
    candidates: vote.candidates,
    seats: vote.seats,
    building: vote.building,
    electorCount: electorate.voters,
    electorateFloorAreaCentiM2: electorate.areaCentiM2,
    closesAt: new Date(vote.closesAt),
    subjectReference: vote.subjectReference,
    status: statusNames.fromName(vote.status),
    openedBy: vote.openedBy,
    openedAt: new Date(vote.openedAt),
    ballotCount,
    result: vote.result ? toProtoResult(vote.result) : undefined,
    version,
    voiding: vote.voiding ? { ...vote.voiding, voidedAt: new Date(vote.voiding.voidedAt) } : undefined,
  };
}

export function toProtoResult(result: VoteResult): deliberationV1.VoteResult {
  return {
    ...result,
    options: result.options.map((option) => ({
      option: option.option,
      votes: option.votes,
      floorAreaCentiM2: option.areaCentiM2,
    })),
    participatingFloorAreaCentiM2: result.participatingAreaCentiM2,
    closedAt: new Date(result.closedAt),
  };
}

function toProtoBallot(ballot: StoredBallot): deliberationV1.Ballot {
  return {
    ...ballot,
    unitId: ballot.votingKey,
    floorAreaCentiM2: ballot.areaCentiM2,
    castAt: new Date(ballot.castAt),
  };
}
