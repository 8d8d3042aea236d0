import { AreaCode, FailedPreconditionError, FieldChecks, PermissionDeniedError } from "@civic/domain-kit";
import type { LoggedVisit } from "./liaison.js";

/**
 * A resident's problem collected on a visit. Collecting it publishes
 * `visit.problem_collected` (the contract with grid-cases, which opens one case per
 * problemId); the case's `case.resolved` names the problem in its origin and marks it solved.
 */
export interface CollectedProblem {
  status: "collected" | "solved";
  problemId: string;
  visitId: string;
  areaId: string;
  categoryCode: string;
  title: string;
  description: string;
  address: string;
  collectedBy: string;
  collectedAt: string;
  caseId: string;
  solvedAt: string;
}

export type ProblemState = { status: "none" } | CollectedProblem;

export type ProblemEvent =
  | {
      type: "visit.problem_collected";
      data: Omit<CollectedProblem, "status" | "collectedAt" | "caseId" | "solvedAt"> & { at: string };
    }
  | { type: "problem.solved"; data: { problemId: string; areaId: string; caseId: string; at: string } };

export const initialProblemState = (): ProblemState => ({ status: "none" });

export function evolveProblem(state: ProblemState, event: ProblemEvent): ProblemState {
  if (event.type === "visit.problem_collected") {
    const { at, ...problem } = event.data;
    return { status: "collected", ...problem, collectedAt: at, caseId: "", solvedAt: "" };
  }
  if (state.status === "none") return state;
  return { ...state, status: "solved", caseId: event.data.caseId, solvedAt: event.data.at };
}

export interface CollectProblem {
  categoryCode: string;
  title: string;
  description: string;
  address: string;
  /** Where the problem is (inside the visit's area); "" means the visit's area. */
  areaId: string;
}

/** The same limits grid-cases puts on a case, so every collected problem can become one. */
export function validateProblem(command: CollectProblem): void {
  const length = [...command.description.trim()].length;
  new FieldChecks()
    .check(
      "categoryCode",
      /^[a-z0-9-]{2,64}$/.test(command.categoryCode),
      "must be a grid-cases category code",
    )
    .text("title", command.title, { max: 100 })
    .check("description", length >= 1 && length <= 2_000, "must be 1 to 2,000 characters")
    .text("address", command.address, { max: 200, optional: true })
    .check(
      "areaId",
      command.areaId === "" || AreaCode.is(command.areaId, "community", "grid", "building"),
      "must be a community, grid or building code",
    )
    .throwIfAny();
}

export function decideCollect(
  command: CollectProblem,
  problemId: string,
  visit: LoggedVisit,
  actor: { subject: string },
  now: Date,
): ProblemEvent {
  validateProblem(command);
  if (actor.subject !== visit.cadreId)
    throw new PermissionDeniedError(
      `only ${visit.cadreId}, who made visit ${visit.visitId}, collects its problems`,
    );
  const areaId = command.areaId === "" ? visit.areaId : command.areaId;
  if (!areaId.startsWith(visit.areaId))
    throw new FailedPreconditionError(
      `area ${areaId} is outside the visit's area ${visit.areaId}`,
      "AREA_OUTSIDE_VISIT",
    );
  return {
    type: "visit.problem_collected",
    data: {
      problemId,
      visitId: visit.visitId,
      areaId,
      categoryCode: command.categoryCode,
      title: command.title.trim(),
      description: command.description.trim(),
      address: command.address.trim(),
      collectedBy: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** Solved once: a second resolution of the case (after a reopening) changes nothing. */
export function decideSolve(state: CollectedProblem, caseId: string, at: Date): ProblemEvent | undefined {
  if (state.status === "solved") return undefined;
  return {
    type: "problem.solved",
    data: { problemId: state.problemId, areaId: state.areaId, caseId, at: at.toISOString() },
  };
}
