import { FailedPreconditionError, FieldChecks, NotFoundError } from "@civic/domain-kit";
import { maxMovementFen } from "./fund.js";

/**
 * A co-funded allocation (the seed's playground: 45,000 yuan from the compound's public fund
 * and 20,000 from the community happiness fund) is a plan of its own stream, recorded before
 * any fund is touched. Each fund's share is then an allocation on that fund's stream whose
 * event id is the share id the plan names; the plan ends funded (every share taken) or
 * failed and rolled back. Rolling back withholds every share: a plan event under the share's
 * id, so a share not yet taken can never be taken later (its id is used), and a share
 * already taken is reversed. Whoever finishes a plan, the request or the reconciler after a
 * crash, does the same steps, and each step is decided once by a unique key.
 */
export interface Share {
  fundId: string;
  amountFen: number;
  /** The id of the share's allocation event and ledger entry (its allocation id). */
  shareId: string;
  /** The id of its reversal, should the plan fail after the share was taken. */
  reversalId: string;
}

export interface CoFundingPlannedData {
  projectId: string;
  resolutionId: string;
  /**
   * The area of the resolution the allocation rests on (its council's community or compound):
   * the event stream shows the plan's events to that area's staff. Absent from plans
   * recorded before it was.
   */
  areaId: string;
  purpose: string;
  shares: Share[];
  by: string;
  at: string;
}

export type CoFundingEvent =
  | { type: "co_funding.planned"; data: CoFundingPlannedData }
  | { type: "co_funding.funded"; data: { projectId: string; at: string } }
  | { type: "co_funding.failed"; data: { projectId: string; reason: string; by: string; at: string } }
  | {
      type: "co_funding.share_withheld";
      data: { projectId: string; fundId: string; shareId: string; at: string };
    }
  | { type: "co_funding.rolled_back"; data: { projectId: string; at: string } };

export type CoFundingStatus = "planned" | "funded" | "failed" | "rolled_back";

export type CoFundingState =
  | { status: "none" }
  | (CoFundingPlannedData & {
      status: CoFundingStatus;
      failure: string;
      /** Funds whose share is withheld by the rollback. */
      withheld: string[];
    });
export type CoFundingPlan = Exclude<CoFundingState, { status: "none" }>;

export const initialCoFundingState = (): CoFundingState => ({ status: "none" });

export function evolveCoFunding(state: CoFundingState, event: CoFundingEvent): CoFundingState {
  if (event.type === "co_funding.planned")
    return { ...event.data, status: "planned", failure: "", withheld: [] };
  if (state.status === "none") return state;
  switch (event.type) {
    case "co_funding.funded":
      return { ...state, status: "funded" };
    case "co_funding.failed":
      return { ...state, status: "failed", failure: event.data.reason };
    case "co_funding.share_withheld":
      return { ...state, withheld: [...state.withheld, event.data.fundId] };
    case "co_funding.rolled_back":
      return { ...state, status: "rolled_back" };
  }
}

export function requirePlan(state: CoFundingState, projectId: string): CoFundingPlan {
  if (state.status === "none") throw new NotFoundError("co-funded allocation", projectId);
  return state;
}

export interface PlanCoFunding {
  projectId: string;
  resolutionId: string;
  /** The resolution's area. */
  areaId: string;
  purpose: string;
  parts: { fundId: string; amountFen: number }[];
  newId: () => string;
  by: string;
  at: Date;
}

/** Checks the parts (1 to 10 funds, each once, whole fen), the purpose and the resolution's id. */
export function validatePlan(command: Pick<PlanCoFunding, "resolutionId" | "purpose" | "parts">): void {
  const fundIds = command.parts.map((part) => part.fundId.trim());
  const violations = new FieldChecks()
    .requiredText("purpose", command.purpose, 200)
    .requiredText("resolutionId", command.resolutionId, 128)
    .check(
      "parts",
      command.parts.length >= 1 && command.parts.length <= 10,
      "a project is funded from 1 to 10 funds",
    )
    .check("parts", new Set(fundIds).size === fundIds.length, "name each fund once")
    .check(
      "parts",
      fundIds.every((fundId) => fundId !== ""),
      "each part names a fund",
    );
  for (const [index, part] of command.parts.entries()) {
    violations.check(
      `parts[${index}].amountFen`,
      Number.isInteger(part.amountFen) && part.amountFen > 0 && part.amountFen <= maxMovementFen,
      "must be a whole number of fen, more than 0 and at most 1,000,000,000 (10 million yuan)",
    );
  }
  violations.throwIfAny();
}

/** A valid plan (see validatePlan), each share's ids named. */
export function decidePlan(command: PlanCoFunding): CoFundingEvent & { type: "co_funding.planned" } {
  validatePlan(command);
  return {
    type: "co_funding.planned",
    data: {
      projectId: command.projectId,
      resolutionId: command.resolutionId.trim(),
      areaId: command.areaId,
      purpose: command.purpose.trim(),
      shares: command.parts.map((part) => ({
        fundId: part.fundId.trim(),
        amountFen: part.amountFen,
        shareId: command.newId(),
        reversalId: command.newId(),
      })),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

export class CoFundingFailedError extends FailedPreconditionError {
  constructor(plan: CoFundingPlan) {
    super(
      `co-funded allocation ${plan.projectId} failed and was rolled back: ${plan.failure}`,
      "CO_FUNDING_FAILED",
    );
  }
}

/** Every share was taken: the plan is funded (once). */
export function decideFunded(plan: CoFundingPlan, at: Date): CoFundingEvent | undefined {
  if (plan.status === "funded") return undefined;
  if (plan.status !== "planned") throw new CoFundingFailedError(plan);
  return { type: "co_funding.funded", data: { projectId: plan.projectId, at: at.toISOString() } };
}

/** A share was refused, or the plan was left unfinished: it fails (once), unless it is funded. */
export function decideFail(
  plan: CoFundingPlan,
  reason: string,
  by: string,
  at: Date,
): CoFundingEvent | undefined {
  if (plan.status === "failed" || plan.status === "rolled_back") return undefined;
  if (plan.status === "funded") {
    throw new FailedPreconditionError(
      `co-funded allocation ${plan.projectId} is funded`,
      "CO_FUNDING_FUNDED",
    );
  }
  return {
    type: "co_funding.failed",
    data: { projectId: plan.projectId, reason: reason.slice(0, 500), by, at: at.toISOString() },
  };
}

/**
 * Withholds a share of a failed plan: the event carries the share's id, so once it is stored
 * no allocation of that share can be (the id is taken), and if the allocation came first this
 * append is refused by the same key and the share is reversed instead.
 */
export function decideWithhold(
  plan: CoFundingPlan,
  share: Share,
  at: Date,
): (CoFundingEvent & { id: string }) | undefined {
  if (plan.status === "planned" || plan.status === "funded") {
    throw new Error(
      `co-funded allocation ${plan.projectId} is ${plan.status}: only a failed plan withholds its shares`,
    );
  }
  if (plan.withheld.includes(share.fundId)) return undefined;
  return {
    type: "co_funding.share_withheld",
    id: share.shareId,
    data: { projectId: plan.projectId, fundId: share.fundId, shareId: share.shareId, at: at.toISOString() },
  };
}

/** Every share of a failed plan is withheld or reversed: the rollback is complete. */
export function decideRolledBack(plan: CoFundingPlan, at: Date): CoFundingEvent | undefined {
  if (plan.status !== "failed") return undefined;
  return { type: "co_funding.rolled_back", data: { projectId: plan.projectId, at: at.toISOString() } };
}

/** A plan neither funded nor rolled back since `staleAfterMs`: its request was cut off. */
export function isUnfinished(plan: CoFundingPlan, now: Date, staleAfterMs: number): boolean {
  return (
    (plan.status === "planned" || plan.status === "failed") &&
    now.getTime() - new Date(plan.at).getTime() >= staleAfterMs
  );
}
