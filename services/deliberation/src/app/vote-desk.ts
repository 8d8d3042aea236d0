import { AlreadyExistsError, type Caller, FailedPreconditionError } from "@civic/domain-kit";
import {
  type AggregateRepository,
  EventIdTakenError,
  type EventStore,
  HotAggregates,
  isDuplicateKeyError,
  streamId,
} from "@civic/event-log";
import type { Collection, Db } from "mongodb";
import { requireOrganiserOf } from "../domain/authorisation.js";
import { type BallotBoxEvent, type BallotBoxState, decideCast, decideSeal } from "../domain/ballot-box.js";
import { recomputeChain } from "../domain/ballot-chain.js";
import type { CouncilEvent, CouncilState } from "../domain/council.js";
import { requireCouncil } from "../domain/council-decisions.js";
import { countBallots, outcomeOf } from "../domain/tally.js";
import {
  decideCloseShowOfHands,
  decideCloseWithBallots,
  decideEnterTally,
  decideOpenVote,
  electorateOf,
  electorFor,
  type OpenVote,
  optionsOf,
  requireOpen,
  requireVote,
  type SealedBallots,
  sealProblems,
  type Vote,
  type VoteEvent,
  type VoteState,
  validateChoices,
} from "../domain/vote.js";

/**
 * One document per (vote, unit) that has voted: its unique `_id` allows one ballot per unit.
 * It reserves the unit's ballot id; the ballot's event in the box carries that id as its own
 * event id, so the box stores the unit's ballot at most once, and a claim whose ballot never
 * reached the box (a crash in between) is completed by the unit's next submission.
 */
interface BallotClaim {
  _id: string;
  voteId: string;
  ballotId: string;
  at: Date;
}

export interface StoredBallot {
  position: number;
  ballotId: string;
  votingKey: string;
  choices: string[];
  areaCentiM2: number;
  castAt: string;
  previousHash: string;
  hash: string;
}

export interface VoteVerification {
  intact: boolean;
  ballotCount: number;
  sealedHead: string;
  recomputedHead: string;
  firstBrokenPosition: number;
  tallyMatches: boolean;
  problems: string[];
}

export interface VoteView {
  vote: Vote;
  version: number;
  ballotCount: number;
}

/** Use cases of votes: open, cast a ballot, enter a show of hands, close and publish, verify. */
export class VoteDesk {
  private readonly claims: Collection<BallotClaim>;
  /** A vote's definition never changes once opened; casting reads it from here. */
  private readonly openedVotes = new Map<string, Vote>();
  private readonly hotBoxes: HotAggregates<BallotBoxState, BallotBoxEvent>;

  constructor(
    db: Db,
    private readonly votes: AggregateRepository<VoteState, VoteEvent>,
    private readonly boxes: AggregateRepository<BallotBoxState, BallotBoxEvent>,
    private readonly councils: AggregateRepository<CouncilState, CouncilEvent>,
    private readonly store: EventStore,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.claims = db.collection<BallotClaim>("ballot_claims");
    this.hotBoxes = new HotAggregates(boxes);
  }

  async open(
    councilId: string,
    input: Omit<OpenVote, "voteId" | "by" | "at">,
    caller: Caller,
  ): Promise<VoteView> {
    const council = requireCouncil((await this.councils.load(councilId)).state, councilId);
    requireOrganiserOf(caller, council.areaId, "opening a vote");
    const voteId = this.newId();
    const opened = decideOpenVote({ ...input, voteId, by: caller.subject, at: this.now() }, council);
    const { state, version } = await this.votes.create(voteId, () => opened);
    return { vote: requireVote(state, voteId), version, ballotCount: 0 };
  }

  /**
   * Casts the caller's ballot. The claim insert decides "one ballot per unit" (a second
   * ballot, even at the same moment, hits the unique key); the ballot box's next version
   * orders it in the chain, and nothing can follow the seal.
   */
  async cast(voteId: string, unitId: string, choices: string[], caller: Caller): Promise<StoredBallot> {
    const vote = await this.definition(voteId);
    const castAt = this.now();
    requireOpen(vote, castAt);
    const elector = electorFor(vote, caller.subject, unitId);
    const chosen = validateChoices(vote, choices);
    if (vote.method === "show_of_hands") {
      throw new FailedPreconditionError(
        "a show of hands is counted by the organiser, not cast",
        "NOT_A_BALLOT_VOTE",
      );
    }
    const claimId = `${voteId}:${elector.votingKey}`;
    const ballotId = await this.claimBallot(claimId, voteId, elector.votingKey, castAt);
    const ballot = {
      ballotId,
      votingKey: vote.method === "secret_ballot" ? "" : elector.votingKey,
      choices: chosen,
      areaCentiM2: elector.areaCentiM2,
      castAt: castAt.toISOString(),
    };
    try {
      const committed = await this.hotBoxes.execute(voteId, (box) => ({
        ...decideCast(voteId, ballot, box),
        id: ballotId,
      }));
      const event = committed.event as unknown as BallotBoxEvent & { type: "ballot.cast" };
      return {
        position: committed.version,
        ...ballot,
        previousHash: event.data.previousHash,
        hash: event.data.hash,
      };
    } catch (error) {
      // Another submission for the unit completed the same claim first.
      if (error instanceof EventIdTakenError) throw this.alreadyVoted(voteId, elector.votingKey);
      throw error;
    }
  }

  /**
   * Reserves the unit's ballot id with the claim insert (the unique key lets one insert win).
   * A claim already there either has its ballot in the box (the unit has voted) or not: the
   * write before was cut off between claim and ballot, and this submission completes it.
   */
  private async claimBallot(claimId: string, voteId: string, votingKey: string, at: Date): Promise<string> {
    const ballotId = this.newId();
    try {
      await this.claims.insertOne({ _id: claimId, voteId, ballotId, at });
      return ballotId;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const claim = await this.claims.findOne({ _id: claimId });
    // A claim of the old shape (no ballot id) cannot be completed: it counts as voted.
    if (!claim?.ballotId || (await this.store.hasEvent(claim.ballotId))) {
      throw this.alreadyVoted(voteId, votingKey);
    }
    return claim.ballotId;
  }

  private alreadyVoted(voteId: string, votingKey: string): AlreadyExistsError {
    return new AlreadyExistsError(`${votingKey} has already voted in vote ${voteId}`, "ALREADY_VOTED");
  }

  async enterTally(voteId: string, counts: { yes: number; no: number; abstain: number }, caller: Caller) {
    const { state, version } = await this.votes.execute(voteId, (current) => {
      const vote = requireVote(current, voteId);
      requireOrganiserOf(caller, vote.areaId, "entering a show of hands");
      return decideEnterTally(vote, counts, caller.subject, this.now());
    });
    return { vote: requireVote(state, voteId), version, ballotCount: 0 };
  }

  /** Seals the ballot box, counts the stored ballots, and publishes the result (vote.closed). */
  async close(voteId: string, caller: Caller): Promise<VoteView> {
    const { state } = await this.votes.load(voteId);
    const vote = requireVote(state, voteId);
    requireOrganiserOf(caller, vote.areaId, "closing a vote");
    if (vote.status !== "open")
      throw new FailedPreconditionError(`vote ${voteId} is already closed`, "VOTE_CLOSED");
    const at = this.now();
    if (vote.method === "show_of_hands") {
      const closed = await this.votes.execute(voteId, (current) => {
        const latest = requireVote(current, voteId);
        if (latest.status !== "open") return undefined;
        return decideCloseShowOfHands(latest, caller.subject, at);
      });
      return { vote: requireVote(closed.state, voteId), version: closed.version, ballotCount: 0 };
    }
    await this.hotBoxes.execute(voteId, (box) => decideSeal(voteId, box, caller.subject, at));
    const { ballots, sealed } = await this.sealedBallots(voteId);
    const outcome = this.count(vote, ballots);
    const closed = await this.votes.execute(voteId, (current) => {
      const latest = requireVote(current, voteId);
      if (latest.status !== "open") return undefined;
      return decideCloseWithBallots(latest, sealed, outcome, caller.subject, at);
    });
    this.openedVotes.delete(voteId);
    return { vote: requireVote(closed.state, voteId), version: closed.version, ballotCount: ballots.length };
  }

  /** Votes are public once opened: what is decided, by whom, and the published result. */
  async get(voteId: string): Promise<VoteView> {
    const [{ state, version }, box] = await Promise.all([this.votes.load(voteId), this.boxes.load(voteId)]);
    return { vote: requireVote(state, voteId), version, ballotCount: box.state.ballotCount };
  }

  /** The stored ballots of a closed (or voided) vote, in chain order, for anyone to recount. */
  async ballots(voteId: string): Promise<StoredBallot[]> {
    const vote = requireVote((await this.votes.load(voteId)).state, voteId);
    if (vote.status === "open") {
      throw new FailedPreconditionError("ballots are shown once the vote is closed", "VOTE_OPEN");
    }
    return (await this.storedBallots(voteId)).ballots;
  }

  /**
   * Recomputes the hash chain from the stored ballots and compares it with the seal and
   * with the published result; the first ballot that does not follow is named.
   */
  async verify(voteId: string): Promise<VoteVerification> {
    const vote = requireVote((await this.votes.load(voteId)).state, voteId);
    if (vote.status === "open") {
      throw new FailedPreconditionError("a vote is verified once it is closed", "VOTE_OPEN");
    }
    if (vote.method === "show_of_hands") {
      return {
        intact: true,
        ballotCount: 0,
        sealedHead: "",
        recomputedHead: "",
        firstBrokenPosition: 0,
        tallyMatches: true,
        problems: [],
      };
    }
    const { ballots, sealed } = await this.sealedBallots(voteId);
    const recount = this.count(vote, ballots);
    const published = vote.result;
    // A voided vote published no tally to match.
    const tallyMatches =
      published !== undefined &&
      JSON.stringify(recount.options) === JSON.stringify(published.options) &&
      recount.adopted === published.adopted;
    const problems = [
      ...(vote.voiding ? [`the vote was voided at its close: ${vote.voiding.reason}`] : []),
      ...sealProblems(sealed),
      ...(published && sealed.sealedHead !== published.chainHead
        ? ["the published result names another chain head"]
        : []),
      ...(published && !tallyMatches
        ? ["recounting the stored ballots gives another result than the published one"]
        : []),
    ];
    return {
      intact: problems.length === 0,
      ballotCount: ballots.length,
      sealedHead: sealed.sealedHead,
      recomputedHead: sealed.chain.head,
      firstBrokenPosition: sealed.chain.firstBroken,
      tallyMatches,
      problems,
    };
  }

  private count(vote: Vote, ballots: StoredBallot[]) {
    const options = countBallots(ballots, optionsOf(vote));
    const participatingArea = ballots.reduce((sum, ballot) => sum + ballot.areaCentiM2, 0);
    return outcomeOf(vote.rule, options, ballots.length, participatingArea, electorateOf(vote), vote.seats);
  }

  private async definition(voteId: string): Promise<Vote> {
    const cached = this.openedVotes.get(voteId);
    if (cached) return cached;
    const vote = requireVote((await this.votes.load(voteId)).state, voteId);
    if (vote.status === "open") this.openedVotes.set(voteId, vote);
    return vote;
  }

  /** The stored ballots and how they compare with the seal. */
  private async sealedBallots(voteId: string): Promise<{ ballots: StoredBallot[]; sealed: SealedBallots }> {
    const { ballots, sealedHead, sealedCount } = await this.storedBallots(voteId);
    return {
      ballots,
      sealed: {
        sealedHead,
        sealedCount,
        storedCount: ballots.length,
        chain: recomputeChain(voteId, ballots),
      },
    };
  }

  private async storedBallots(voteId: string) {
    const events = await this.store.readStream(streamId(this.boxes.kind, voteId));
    const ballots: StoredBallot[] = [];
    let sealedHead = "";
    let sealedCount = 0;
    for (const event of events) {
      const typed = event as unknown as BallotBoxEvent & { version: number };
      if (typed.type === "ballot.cast") {
        const { voteId: _, ...ballot } = typed.data;
        ballots.push({ position: event.version, ...ballot });
      } else if (typed.type === "ballot_box.sealed") {
        sealedHead = typed.data.head;
        sealedCount = typed.data.ballotCount;
        break;
      }
    }
    return { ballots, sealedHead, sealedCount };
  }
}
