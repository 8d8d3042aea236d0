import {
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { ChainCheck } from "./ballot-chain.js";
import { type Council, votingKey } from "./council.js";
import {
  type Electorate,
  motionOptions,
  type OptionTally,
  outcomeOf,
  ownersRules,
  type ThresholdRule,
  thresholdRules,
  type VoteOutcome,
} from "./tally.js";

/** Show of hands (tallies entered by the organiser), secret ballot (the ballot names no one), e-vote. */
export const voteMethods = ["show_of_hands", "secret_ballot", "e_vote"] as const;
export type VoteMethod = (typeof voteMethods)[number];

/** Who may vote, and what the vote weighs: one entry per unit or household (or member at large). */
export interface Elector {
  voterId: string;
  votingKey: string;
  areaCentiM2: number;
}

export interface Candidate {
  candidateId: string;
  name: string;
}

export interface VoteOpenedData {
  voteId: string;
  councilId: string;
  areaId: string;
  title: string;
  method: VoteMethod;
  rule: ThresholdRule;
  /** An election's candidates (rule plurality); empty for a motion (yes, no, abstain). */
  candidates: Candidate[];
  seats: number;
  /** The building of a representative election, "" otherwise. */
  building: string;
  electors: Elector[];
  closesAt: string;
  /** What the vote decides: a motion or topic id, "" if none. */
  subjectReference: string;
  openedBy: string;
  openedAt: string;
}

export interface VoteResult extends VoteOutcome {
  /** The sealed ballot box's last hash ("" for a show of hands). */
  chainHead: string;
  closedBy: string;
  closedAt: string;
}

/**
 * Why a vote was closed without a result: its stored ballots no longer follow their hash
 * chain at the close, so no count of them can be trusted.
 */
export interface VoteVoiding {
  reason: string;
  /** 1-based position of the first ballot that does not follow (0: the chain ends elsewhere). */
  firstBrokenPosition: number;
  sealedHead: string;
  recomputedHead: string;
  ballotCount: number;
  voidedBy: string;
  voidedAt: string;
}

export type VoteEvent =
  | { type: "vote.opened"; data: VoteOpenedData }
  | {
      type: "vote.tally_entered";
      data: { voteId: string; yes: number; no: number; abstain: number; by: string; at: string };
    }
  | { type: "vote.closed"; data: VoteResult & { voteId: string; subjectReference: string; areaId: string } }
  | {
      type: "vote.voided";
      data: VoteVoiding & { voteId: string; subjectReference: string; areaId: string };
    };

export type VoteState =
  | { status: "none" }
  | (VoteOpenedData & {
      /** void: closed without a result, its ballots found tampered with at the close. */
      status: "open" | "closed" | "void";
      enteredTally?: { yes: number; no: number; abstain: number };
      result?: VoteResult;
      voiding?: VoteVoiding;
    });
export type Vote = Exclude<VoteState, { status: "none" }>;

export const initialVoteState = (): VoteState => ({ status: "none" });

export function evolveVote(state: VoteState, event: VoteEvent): VoteState {
  switch (event.type) {
    case "vote.opened":
      return { ...event.data, status: "open" };
    case "vote.tally_entered": {
      if (state.status === "none") return state;
      const { yes, no, abstain } = event.data;
      return { ...state, enteredTally: { yes, no, abstain } };
    }
    case "vote.closed": {
      if (state.status === "none") return state;
      const { voteId: _, subjectReference: __, areaId: ___, ...result } = event.data;
      return { ...state, status: "closed", result };
    }
    case "vote.voided": {
      if (state.status === "none") return state;
      const { voteId: _, subjectReference: __, areaId: ___, ...voiding } = event.data;
      return { ...state, status: "void", voiding };
    }
  }
}

export function requireVote(state: VoteState, voteId: string): Vote {
  if (state.status === "none") throw new NotFoundError("vote", voteId);
  return state;
}

export const optionsOf = (vote: Pick<Vote, "rule" | "candidates">): string[] =>
  vote.rule === "plurality" ? vote.candidates.map((candidate) => candidate.candidateId) : [...motionOptions];

export const electorateOf = (vote: Pick<Vote, "electors">): Electorate => ({
  voters: vote.electors.length,
  areaCentiM2: vote.electors.reduce((sum, elector) => sum + elector.areaCentiM2, 0),
});

export interface OpenVote {
  voteId: string;
  title: string;
  method: string;
  rule: string;
  candidates: Candidate[];
  seats: number;
  building: string;
  /** Empty: the council's members (one per unit where units are recorded). */
  electors: { voterId: string; unitId: string; areaCentiM2: number }[];
  closesAt: Date | undefined;
  subjectReference: string;
  by: string;
  at: Date;
}

export function decideOpenVote(command: OpenVote, council: Council): VoteEvent {
  const isElection = command.rule === "plurality";
  const violations = new FieldChecks()
    .requiredText("title", command.title, 200)
    .oneOf("method", command.method, voteMethods)
    .oneOf("rule", command.rule, thresholdRules)
    .text("building", command.building, { max: 64, optional: true })
    .text("subjectReference", command.subjectReference, { max: 64, optional: true })
    .check(
      "closesAt",
      command.closesAt !== undefined && command.closesAt.getTime() > command.at.getTime(),
      "must be in the future",
    )
    .check(
      "method",
      !ownersRules.includes(command.rule as ThresholdRule) || command.method !== "show_of_hands",
      "the owners' thresholds count floor area: use a secret ballot or an e-vote",
    )
    .check(
      "method",
      !isElection || command.method !== "show_of_hands",
      "an election is by secret ballot or e-vote, one ballot per household",
    );
  if (isElection) {
    const ids = command.candidates.map((candidate) => candidate.candidateId.trim());
    violations
      .check(
        "candidates",
        command.candidates.length >= 1 && command.candidates.length <= 100,
        "an election has 1 to 100 candidates",
      )
      .check(
        "candidates",
        new Set(ids).size === ids.length && ids.every((id) => id !== ""),
        "each candidate needs a distinct candidateId",
      )
      .check(
        "seats",
        Number.isInteger(command.seats) && command.seats >= 1 && command.seats <= command.candidates.length,
        "must be 1 to the number of candidates",
      );
    for (const [index, candidate] of command.candidates.entries()) {
      violations.requiredText(`candidates[${index}].name`, candidate.name, 50);
    }
  } else {
    violations.check(
      "candidates",
      command.candidates.length === 0,
      "only an election (rule plurality) has candidates",
    );
  }
  const electors =
    command.electors.length > 0 ? fromList(command.electors, violations) : fromCouncil(council);
  violations.check("electors", electors.length > 0, "nobody could vote: seat members or list the electors");
  violations.check("electors", electors.length <= 20_000, "at most 20,000 electors per vote");
  if (ownersRules.includes(command.rule as ThresholdRule)) {
    violations.check(
      "electors",
      electors.every((elector) => elector.areaCentiM2 > 0),
      "the owners' thresholds need each unit's floor area",
    );
  }
  violations.throwIfAny();
  return {
    type: "vote.opened",
    data: {
      voteId: command.voteId,
      councilId: council.councilId,
      areaId: council.areaId,
      title: command.title.trim(),
      method: command.method as VoteMethod,
      rule: command.rule as ThresholdRule,
      candidates: command.candidates.map((candidate) => ({
        candidateId: candidate.candidateId.trim(),
        name: candidate.name.trim(),
      })),
      seats: isElection ? command.seats : 0,
      building: command.building.trim(),
      electors,
      closesAt: (command.closesAt as Date).toISOString(),
      subjectReference: command.subjectReference.trim(),
      openedBy: command.by,
      openedAt: command.at.toISOString(),
    },
  };
}

function fromCouncil(council: Council): Elector[] {
  return council.members.map((member) => ({
    voterId: member.memberId,
    votingKey: votingKey(member),
    areaCentiM2: member.floorAreaCentiM2,
  }));
}

function fromList(list: OpenVote["electors"], violations: FieldChecks): Elector[] {
  const keys = new Set<string>();
  return list.map((entry, index) => {
    const voterId = entry.voterId.trim();
    const key = entry.unitId.trim() || voterId;
    violations
      .requiredText(`electors[${index}].voterId`, voterId, 64)
      .text(`electors[${index}].unitId`, entry.unitId, { max: 64, optional: true })
      .check(`electors[${index}].unitId`, !keys.has(key), "each household or unit is listed once")
      .check(
        `electors[${index}].floorAreaCentiM2`,
        Number.isInteger(entry.areaCentiM2) && entry.areaCentiM2 >= 0,
        "must be a whole number, at least 0",
      );
    keys.add(key);
    return { voterId, votingKey: key, areaCentiM2: entry.areaCentiM2 };
  });
}

/** The elector a caller votes as: one of their units, named when they hold several. */
export function electorFor(vote: Vote, voterId: string, unitId: string): Elector {
  const own = vote.electors.filter((elector) => elector.voterId === voterId);
  if (own.length === 0) {
    throw new PermissionDeniedError(
      `${voterId} is not on the electoral roll of vote ${vote.voteId}`,
      "NOT_AN_ELECTOR",
    );
  }
  if (unitId.trim() === "") {
    if (own.length > 1) {
      throw new InvalidArgumentError([
        { field: "unitId", description: "you hold several units: name the one you vote for" },
      ]);
    }
    return own[0] as Elector;
  }
  const named = own.find((elector) => elector.votingKey === unitId.trim());
  if (!named)
    throw new PermissionDeniedError(`unit ${unitId} does not vote through ${voterId}`, "NOT_AN_ELECTOR");
  return named;
}

/** Checks a ballot's choices: one of yes/no/abstain, or 1 to `seats` distinct candidates. */
export function validateChoices(vote: Vote, choices: string[]): string[] {
  const trimmed = choices.map((choice) => choice.trim());
  const options = optionsOf(vote);
  const violations = new FieldChecks()
    .check(
      "choices",
      trimmed.every((choice) => options.includes(choice)),
      `must be among ${options.join(", ")}`,
    )
    .check("choices", new Set(trimmed).size === trimmed.length, "must not repeat");
  if (vote.rule === "plurality") {
    violations.check(
      "choices",
      trimmed.length >= 1 && trimmed.length <= vote.seats,
      `name 1 to ${vote.seats} candidates`,
    );
  } else {
    violations.check("choices", trimmed.length === 1, "name exactly one of yes, no, abstain");
  }
  violations.throwIfAny();
  return trimmed;
}

export function requireOpen(vote: Vote, now: Date): void {
  if (vote.status !== "open" || now.getTime() >= new Date(vote.closesAt).getTime()) {
    throw new FailedPreconditionError(`vote ${vote.voteId} is closed: no more ballots`, "VOTE_CLOSED");
  }
}

export function decideEnterTally(
  vote: Vote,
  counts: { yes: number; no: number; abstain: number },
  by: string,
  at: Date,
): VoteEvent {
  if (vote.method !== "show_of_hands") {
    throw new FailedPreconditionError(
      "tallies are entered for a show of hands only; ballots count themselves",
      "NOT_A_SHOW_OF_HANDS",
    );
  }
  if (vote.status !== "open")
    throw new FailedPreconditionError(`vote ${vote.voteId} is closed`, "VOTE_CLOSED");
  const values = [counts.yes, counts.no, counts.abstain];
  new FieldChecks()
    .check(
      "yes",
      values.every((value) => Number.isInteger(value) && value >= 0),
      "counts must be whole numbers, at least 0",
    )
    .check(
      "yes",
      values.reduce((sum, value) => sum + value, 0) <= vote.electors.length,
      `more hands than the ${vote.electors.length} electors`,
    )
    .throwIfAny();
  return { type: "vote.tally_entered", data: { voteId: vote.voteId, ...counts, by, at: at.toISOString() } };
}

/** Closes a show of hands from its entered tally. */
export function decideCloseShowOfHands(vote: Vote, by: string, at: Date): VoteEvent {
  if (!vote.enteredTally) {
    throw new FailedPreconditionError("enter the show of hands' tally before closing", "TALLY_MISSING");
  }
  const { yes, no, abstain } = vote.enteredTally;
  const options: OptionTally[] = [
    { option: "yes", votes: yes, areaCentiM2: 0 },
    { option: "no", votes: no, areaCentiM2: 0 },
    { option: "abstain", votes: abstain, areaCentiM2: 0 },
  ];
  const outcome = outcomeOf(vote.rule, options, yes + no + abstain, 0, electorateOf(vote), vote.seats);
  return closed(vote, { ...outcome, chainHead: "", closedBy: by, closedAt: at.toISOString() });
}

/** What the sealed ballot box holds at the close. */
export interface SealedBallots {
  /** The head the seal recorded, and how many ballots it sealed. */
  sealedHead: string;
  sealedCount: number;
  /** How many ballots are stored, and their chain recomputed from their content. */
  storedCount: number;
  chain: ChainCheck;
}

/** How the stored ballots depart from what the seal recorded; none when they are intact. */
export function sealProblems(box: SealedBallots): string[] {
  return [
    ...(box.chain.firstBroken !== 0
      ? [`ballot ${box.chain.firstBroken} does not follow from its content and predecessor`]
      : []),
    ...(box.chain.head !== box.sealedHead ? ["the recomputed chain does not reach the sealed head"] : []),
    ...(box.storedCount !== box.sealedCount
      ? [`${box.storedCount} ballots stored, ${box.sealedCount} sealed`]
      : []),
  ];
}

/**
 * Closes a ballot vote with the count of its stored ballots, or voids it when those ballots
 * no longer follow the chain the seal recorded (one changed, removed or inserted in the
 * database): a count of tampered ballots is never published as a result.
 */
export function decideCloseWithBallots(
  vote: Vote,
  box: SealedBallots,
  outcome: VoteOutcome,
  by: string,
  at: Date,
): VoteEvent {
  const problems = sealProblems(box);
  if (problems.length === 0) {
    return closed(vote, { ...outcome, chainHead: box.sealedHead, closedBy: by, closedAt: at.toISOString() });
  }
  return {
    type: "vote.voided",
    data: {
      voteId: vote.voteId,
      subjectReference: vote.subjectReference,
      areaId: vote.areaId,
      reason: `void: the stored ballots were tampered with (${problems.join("; ")}); no result is published, hold the vote again`,
      firstBrokenPosition: box.chain.firstBroken,
      sealedHead: box.sealedHead,
      recomputedHead: box.chain.head,
      ballotCount: box.storedCount,
      voidedBy: by,
      voidedAt: at.toISOString(),
    },
  };
}

function closed(vote: Vote, result: VoteResult): VoteEvent {
  return {
    type: "vote.closed",
    data: { ...result, voteId: vote.voteId, subjectReference: vote.subjectReference, areaId: vote.areaId },
  };
}
