/**
 * Liaison work counted from events: households received and visited, problems collected
 * and solved, and the solve rate [seed: 511 collected, 461 solved = 90.2%].
 */
export interface LiaisonFigures {
  receptions: number;
  householdsReceived: number;
  householdVisits: number;
  householdsVisited: number;
  problemsCollected: number;
  problemsSolved: number;
}

export const emptyLiaisonFigures = (): LiaisonFigures => ({
  receptions: 0,
  householdsReceived: 0,
  householdVisits: 0,
  householdsVisited: 0,
  problemsCollected: 0,
  problemsSolved: 0,
});

export type LiaisonFact =
  | { type: "visit.logged"; kind: string; households: number }
  | { type: "visit.problem_collected" }
  | { type: "problem.solved" };

export function countLiaisonFact(figures: LiaisonFigures, fact: LiaisonFact): LiaisonFigures {
  switch (fact.type) {
    case "visit.logged":
      return fact.kind === "reception"
        ? {
            ...figures,
            receptions: figures.receptions + 1,
            householdsReceived: figures.householdsReceived + fact.households,
          }
        : {
            ...figures,
            householdVisits: figures.householdVisits + 1,
            householdsVisited: figures.householdsVisited + fact.households,
          };
    case "visit.problem_collected":
      return { ...figures, problemsCollected: figures.problemsCollected + 1 };
    case "problem.solved":
      return { ...figures, problemsSolved: figures.problemsSolved + 1 };
  }
}

/** Solved ÷ collected in percent, one decimal; null before any problem was collected. */
export function solveRate(figures: LiaisonFigures): number | null {
  if (figures.problemsCollected === 0) return null;
  return Math.round((figures.problemsSolved / figures.problemsCollected) * 1000) / 10;
}

/** The keys a fact in `areaId` counts under: everything, and its district, street and community. */
export function liaisonKeysOf(areaId: string): string[] {
  const prefixes = [6, 9, 12]
    .filter((length) => areaId.length >= length)
    .map((length) => areaId.slice(0, length));
  return ["all", ...prefixes];
}
