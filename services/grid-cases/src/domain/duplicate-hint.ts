import { AreaCode, type Caller } from "@civic/domain-kit";
import type { CaseStatus, OpenCase } from "./case.js";
import { caseRoles } from "./case-lifecycle.js";

/**
 * A possible duplicate is shown to the dispatcher, never merged automatically: same
 * category, same grid, still open, submitted recently, and similar text.
 */
export const duplicateWindowDays = 7;
export const similarityThreshold = 0.5;

const closedStatuses: CaseStatus[] = ["rejected", "closed"];

/** Character bigrams: they work for Chinese text, which has no spaces between words. */
function bigrams(text: string): Set<string> {
  const characters = [...text.toLowerCase().replace(/[\s\p{P}]/gu, "")];
  const result = new Set<string>();
  for (let index = 0; index + 1 < characters.length; index++)
    result.add(`${characters[index]}${characters[index + 1]}`);
  if (characters.length === 1) result.add(characters[0] as string);
  return result;
}

/** Jaccard similarity of the two texts' bigrams, 0 to 1. */
export function textSimilarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return shared / (left.size + right.size - shared);
}

/**
 * Who may see the cases that look like `subject`: its dispatchers, the command centre and the
 * community staff whose areas cover it. The hints name other cases of that area, so staff of
 * another area see none of them.
 */
export function mayReadPossibleDuplicates(subject: OpenCase, caller: Caller): boolean {
  if (caller.roles.includes(caseRoles.commandCentre)) return true;
  return caller.roles.includes(caseRoles.communityStaff) && AreaCode.anyCovers(caller.areas, subject.areaId);
}

export interface DuplicateHint {
  caseId: string;
  similarity: number;
}

/** The candidates that look like `subject`, most similar first. */
export function possibleDuplicates(subject: OpenCase, candidates: OpenCase[], now: Date): DuplicateHint[] {
  const since = now.getTime() - duplicateWindowDays * 86_400_000;
  return candidates
    .filter(
      (candidate) =>
        candidate.caseId !== subject.caseId &&
        candidate.categoryCode === subject.categoryCode &&
        candidate.areaId === subject.areaId &&
        !closedStatuses.includes(candidate.status) &&
        Date.parse(candidate.submittedAt) >= since,
    )
    .map((candidate) => ({
      caseId: candidate.caseId,
      similarity:
        Math.round(
          textSimilarity(
            `${subject.title} ${subject.description}`,
            `${candidate.title} ${candidate.description}`,
          ) * 100,
        ) / 100,
    }))
    .filter((hint) => hint.similarity >= similarityThreshold)
    .sort((a, b) => b.similarity - a.similarity);
}
