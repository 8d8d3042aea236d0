import { FailedPreconditionError } from "@civic/domain-kit";
import { ballotHash, type ChainedBallot, genesisHash } from "./ballot-chain.js";

/**
 * The ballot box of a vote: its own event stream, so ballots and the seal are totally
 * ordered by the stream's versions. Once the seal is appended no ballot can follow it.
 * The state stays small (no list of voters): one ballot per unit is decided by a unique
 * claim key before the ballot is appended.
 */
export type BallotBoxEvent =
  | { type: "ballot.cast"; data: ChainedBallot & { voteId: string; previousHash: string; hash: string } }
  | {
      type: "ballot_box.sealed";
      data: { voteId: string; ballotCount: number; head: string; by: string; at: string };
    };

export interface BallotBoxState {
  ballotCount: number;
  /** Hash of the last ballot, or the genesis hash once the first ballot is in ("" before). */
  head: string;
  sealed: boolean;
}

export const initialBallotBoxState = (): BallotBoxState => ({ ballotCount: 0, head: "", sealed: false });

export function evolveBallotBox(state: BallotBoxState, event: BallotBoxEvent): BallotBoxState {
  switch (event.type) {
    case "ballot.cast":
      return { ...state, ballotCount: state.ballotCount + 1, head: event.data.hash };
    case "ballot_box.sealed":
      return { ...state, sealed: true };
  }
}

export class VoteClosedError extends FailedPreconditionError {
  constructor(voteId: string) {
    super(`vote ${voteId} is closed: no more ballots`, "VOTE_CLOSED");
  }
}

export function decideCast(voteId: string, ballot: ChainedBallot, box: BallotBoxState): BallotBoxEvent {
  if (box.sealed) throw new VoteClosedError(voteId);
  const previousHash = box.head || genesisHash(voteId);
  return {
    type: "ballot.cast",
    data: { ...ballot, voteId, previousHash, hash: ballotHash(previousHash, voteId, ballot) },
  };
}

/** Sealing twice changes nothing: a retried close finds the box already sealed. */
export function decideSeal(
  voteId: string,
  box: BallotBoxState,
  by: string,
  at: Date,
): BallotBoxEvent | undefined {
  if (box.sealed) return undefined;
  return {
    type: "ballot_box.sealed",
    data: {
      voteId,
      ballotCount: box.ballotCount,
      head: box.head || genesisHash(voteId),
      by,
      at: at.toISOString(),
    },
  };
}
