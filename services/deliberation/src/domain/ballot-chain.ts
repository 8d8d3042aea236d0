import { createHash } from "node:crypto";

/**
 * Ballots are hash-chained in the order the ballot box committed them: each ballot's hash
 * covers its content and the previous ballot's hash, and the seal records the last hash.
 * Changing, removing or inserting a ballot after the seal changes every later hash, so a
 * recomputation from the stored ballots no longer reaches the sealed head.
 */
export interface ChainedBallot {
  ballotId: string;
  /** The unit or member who voted; "" on a secret ballot. */
  votingKey: string;
  choices: string[];
  areaCentiM2: number;
  castAt: string;
}

/** The chain of a vote starts from a hash of the vote's id, so chains of two votes never match. */
export const genesisHash = (voteId: string): string => sha256(`civic.deliberation.vote:${voteId}`);

export function ballotHash(previousHash: string, voteId: string, ballot: ChainedBallot): string {
  return sha256(
    JSON.stringify([
      previousHash,
      voteId,
      ballot.ballotId,
      ballot.votingKey,
      ballot.choices,
      ballot.areaCentiM2,
      ballot.castAt,
    ]),
  );
}

export interface ChainCheck {
  /** Hash reached by recomputing every ballot from the vote's genesis. */
  head: string;
  /** Position (1-based) of the first ballot whose stored hashes do not follow from its content; 0 if none. */
  firstBroken: number;
}

export function recomputeChain(
  voteId: string,
  ballots: (ChainedBallot & { previousHash: string; hash: string })[],
): ChainCheck {
  let head = genesisHash(voteId);
  let firstBroken = 0;
  ballots.forEach((ballot, index) => {
    const expected = ballotHash(head, voteId, ballot);
    if (firstBroken === 0 && (ballot.previousHash !== head || ballot.hash !== expected))
      firstBroken = index + 1;
    head = expected;
  });
  return { head, firstBroken };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
