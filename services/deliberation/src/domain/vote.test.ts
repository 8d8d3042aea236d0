import { describe, expect, it } from "vitest";
import { ballotHash, type ChainedBallot, genesisHash, recomputeChain } from "./ballot-chain.js";
import { outcomeOf } from "./tally.js";
import {
  decideCloseWithBallots,
  evolveVote,
  initialVoteState,
  type SealedBallots,
  type Vote,
} from "./vote.js";

const vote = evolveVote(initialVoteState(), {
  type: "vote.opened",
  data: {
    voteId: "v-1",
    councilId: "c-1",
    areaId: "440402001002",
    title: "楼顶绿化",
    method: "e_vote",
    rule: "simple_majority",
    candidates: [],
    seats: 0,
    building: "",
    electors: ["a", "b", "c"].map((voterId) => ({ voterId, votingKey: voterId, areaCentiM2: 0 })),
    closesAt: "2026-12-10T00:00:00.000Z",
    subjectReference: "topic-1",
    openedBy: "cs-nancun",
    openedAt: "2026-12-03T00:00:00.000Z",
  },
}) as Vote;

/** Ballots chained as the box stores them. */
function chained(choices: string[]) {
  let previousHash = genesisHash("v-1");
  return choices.map((choice, index) => {
    const ballot: ChainedBallot = {
      ballotId: `b-${index}`,
      votingKey: ["a", "b", "c"][index] as string,
      choices: [choice],
      areaCentiM2: 0,
      castAt: "2026-12-04T00:00:00.000Z",
    };
    const hash = ballotHash(previousHash, "v-1", ballot);
    const stored = { ...ballot, previousHash, hash };
    previousHash = hash;
    return stored;
  });
}

const sealedOver = (
  ballots: ReturnType<typeof chained>,
  sealedHead: string,
  sealedCount: number,
): SealedBallots => ({
  sealedHead,
  sealedCount,
  storedCount: ballots.length,
  chain: recomputeChain("v-1", ballots),
});

const outcome = outcomeOf(
  "simple_majority",
  [
    { option: "yes", votes: 2, areaCentiM2: 0 },
    { option: "no", votes: 1, areaCentiM2: 0 },
    { option: "abstain", votes: 0, areaCentiM2: 0 },
  ],
  3,
  0,
  { voters: 3, areaCentiM2: 0 },
  0,
);
const at = new Date("2026-12-10T00:00:01Z");

describe("closing a ballot vote", () => {
  it("publishes the count when the stored ballots follow the sealed chain", () => {
    const ballots = chained(["yes", "yes", "no"]);
    const head = ballots.at(-1)?.hash as string;
    const event = decideCloseWithBallots(vote, sealedOver(ballots, head, 3), outcome, "cs-nancun", at);
    expect(event.type).toBe("vote.closed");
    expect(event.data).toMatchObject({
      voteId: "v-1",
      adopted: true,
      chainHead: head,
      closedBy: "cs-nancun",
    });
  });

  it("voids the vote, naming the ballot, when a stored ballot was changed", () => {
    const ballots = chained(["yes", "no", "no"]);
    const head = ballots.at(-1)?.hash as string;
    const tampered = ballots.map((ballot, index) => (index === 1 ? { ...ballot, choices: ["yes"] } : ballot));
    const event = decideCloseWithBallots(vote, sealedOver(tampered, head, 3), outcome, "cs-nancun", at);
    expect(event.type).toBe("vote.voided");
    expect(event.data).toMatchObject({
      voteId: "v-1",
      areaId: "440402001002",
      subjectReference: "topic-1",
      firstBrokenPosition: 2,
      sealedHead: head,
      ballotCount: 3,
      voidedBy: "cs-nancun",
      voidedAt: at.toISOString(),
    });
    expect(event.type === "vote.voided" && event.data.reason).toContain("ballot 2 does not follow");
    const voided = evolveVote(vote, event) as Vote;
    expect(voided.status).toBe("void");
    expect(voided.result).toBeUndefined();
  });

  it("voids the vote when the last ballot was removed (the chain no longer reaches the seal)", () => {
    const ballots = chained(["yes", "yes", "no"]);
    const head = ballots.at(-1)?.hash as string;
    const event = decideCloseWithBallots(
      vote,
      sealedOver(ballots.slice(0, 2), head, 3),
      outcome,
      "cs-nancun",
      at,
    );
    expect(event.type).toBe("vote.voided");
    expect(event.type === "vote.voided" && event.data.reason).toContain("2 ballots stored, 3 sealed");
    expect(event.data).toMatchObject({ firstBrokenPosition: 0 });
  });
});
