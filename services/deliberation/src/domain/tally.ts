/**
 * Counting votes and applying the thresholds. Pure arithmetic on integers: floor areas are
 * hundredths of a square metre, and every ratio is compared by cross-multiplication.
 */

export const thresholdRules = [
  "simple_majority",
  "absolute_majority",
  "two_thirds",
  "owners_ordinary",
  "owners_major",
  "plurality",
] as const;
export type ThresholdRule = (typeof thresholdRules)[number];

/** The owners' rules (Civil Code art. 278) count floor area besides heads. */
export const ownersRules: readonly ThresholdRule[] = ["owners_ordinary", "owners_major"];

export const motionOptions = ["yes", "no", "abstain"] as const;

/** What one ballot weighs: one head, and the unit's floor area. */
export interface CountedBallot {
  choices: string[];
  areaCentiM2: number;
}

export interface Electorate {
  voters: number;
  areaCentiM2: number;
}

export interface OptionTally {
  option: string;
  votes: number;
  areaCentiM2: number;
}

export interface VoteOutcome {
  options: OptionTally[];
  votesCast: number;
  participatingAreaCentiM2: number;
  adopted: boolean;
  /** Why it passed or failed, in words a notice board can show. */
  reason: string;
  /** Elected candidates, for an election (plurality). */
  elected: string[];
}

/** Counts ballots per option (an election ballot may name several candidates). */
export function countBallots(ballots: CountedBallot[], options: readonly string[]): OptionTally[] {
  const tallies = new Map(options.map((option) => [option, { option, votes: 0, areaCentiM2: 0 }]));
  for (const ballot of ballots) {
    for (const choice of ballot.choices) {
      const tally = tallies.get(choice);
      if (!tally) continue;
      tally.votes += 1;
      tally.areaCentiM2 += ballot.areaCentiM2;
    }
  }
  return [...tallies.values()];
}

const votesFor = (options: OptionTally[], option: string) =>
  options.find((tally) => tally.option === option) ?? { option, votes: 0, areaCentiM2: 0 };

/**
 * Applies a rule to a yes/no/abstain count. Abstentions are votes cast (they count toward
 * participation and the denominator) but never toward adoption.
 */
export function decideMotion(
  rule: ThresholdRule,
  options: OptionTally[],
  votesCast: number,
  participatingArea: number,
  electorate: Electorate,
): { adopted: boolean; reason: string } {
  const yes = votesFor(options, "yes");
  switch (rule) {
    case "simple_majority":
      return yes.votes * 2 > votesCast
        ? { adopted: true, reason: `${yes.votes} of ${votesCast} votes cast are in favour: more than half` }
        : {
            adopted: false,
            reason: `${yes.votes} of ${votesCast} votes cast are in favour: not more than half`,
          };
    case "absolute_majority":
      return yes.votes * 2 > electorate.voters
        ? {
            adopted: true,
            reason: `${yes.votes} of ${electorate.voters} members are in favour: more than half`,
          }
        : {
            adopted: false,
            reason: `${yes.votes} of ${electorate.voters} members are in favour: not more than half of the members`,
          };
    case "two_thirds":
      return yes.votes * 3 >= votesCast * 2 && votesCast > 0
        ? {
            adopted: true,
            reason: `${yes.votes} of ${votesCast} votes cast are in favour: at least two thirds`,
          }
        : {
            adopted: false,
            reason: `${yes.votes} of ${votesCast} votes cast are in favour: fewer than two thirds`,
          };
    case "owners_ordinary":
    case "owners_major": {
      // Art. 278: owners holding at least 2/3 of the floor area and at least 2/3 of the owners take part.
      const areaTakesPart = participatingArea * 3 >= electorate.areaCentiM2 * 2;
      const headsTakePart = votesCast * 3 >= electorate.voters * 2;
      if (!areaTakesPart || !headsTakePart) {
        return {
          adopted: false,
          reason: `participation below two thirds (${votesCast} of ${electorate.voters} owners, ${participatingArea} of ${electorate.areaCentiM2} hundredths of m²)`,
        };
      }
      const [numerator, denominator, words] =
        rule === "owners_major" ? [3, 4, "at least three quarters"] : [1, 2, "more than half"];
      const strict = rule === "owners_ordinary";
      const passes = (part: number, whole: number) =>
        strict ? part * denominator > whole * numerator : part * denominator >= whole * numerator;
      const areaPasses = passes(yes.areaCentiM2, participatingArea);
      const headsPass = passes(yes.votes, votesCast);
      return areaPasses && headsPass
        ? {
            adopted: true,
            reason: `in favour: ${yes.votes} of ${votesCast} participating owners and ${yes.areaCentiM2} of ${participatingArea} participating area, ${words} of both`,
          }
        : {
            adopted: false,
            reason: `in favour: ${yes.votes} of ${votesCast} participating owners and ${yes.areaCentiM2} of ${participatingArea} participating area; ${words} of both is needed`,
          };
    }
    case "plurality":
      return { adopted: false, reason: "plurality is for elections" };
  }
}

/**
 * Elects the `seats` candidates with most votes. A tie across the last seat elects neither
 * tied candidate for it: the seat stays open for a run-off.
 */
export function decideElection(options: OptionTally[], seats: number): { elected: string[]; reason: string } {
  const ranked = options.filter((tally) => tally.votes > 0).sort((a, b) => b.votes - a.votes);
  if (ranked.length <= seats) {
    return {
      elected: ranked.map((tally) => tally.option),
      reason: `${ranked.length} candidates received votes`,
    };
  }
  const cutoff = ranked[seats - 1]?.votes ?? 0;
  const tiedAtCutoff = ranked[seats]?.votes === cutoff;
  const elected = ranked.filter((tally) => (tiedAtCutoff ? tally.votes > cutoff : tally.votes >= cutoff));
  return {
    elected: elected.map((tally) => tally.option),
    reason: tiedAtCutoff
      ? `tie at ${cutoff} votes for the last seat: ${seats - elected.length} seat(s) need a run-off`
      : `the ${seats} candidates with most votes are elected`,
  };
}

/** Tallies ballots (or an entered show of hands) under a rule. */
export function outcomeOf(
  rule: ThresholdRule,
  options: OptionTally[],
  votesCast: number,
  participatingArea: number,
  electorate: Electorate,
  seats: number,
): VoteOutcome {
  if (rule === "plurality") {
    const { elected, reason } = decideElection(options, seats);
    return {
      options,
      votesCast,
      participatingAreaCentiM2: participatingArea,
      adopted: elected.length > 0,
      reason,
      elected,
    };
  }
  const decided = decideMotion(rule, options, votesCast, participatingArea, electorate);
  return { options, votesCast, participatingAreaCentiM2: participatingArea, ...decided, elected: [] };
}
