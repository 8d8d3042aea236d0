import { type Caller, isDomainError } from "@civic/domain-kit";
import { type AggregateRepository, EventIdTakenError, retryOnConflict } from "@civic/event-log";
import { requireOrganiserOf } from "../domain/authorisation.js";
import {
  type CoFundingEvent,
  CoFundingFailedError,
  type CoFundingPlan,
  type CoFundingState,
  decideFail,
  decideFunded,
  decidePlan,
  decideRolledBack,
  decideWithhold,
  isUnfinished,
  requirePlan,
  type Share,
  validatePlan,
} from "../domain/co-funding.js";
import {
  decideAllocateShare,
  decideReverseShare,
  type FundEvent,
  ledgerEntryOf,
  type PlannedShare,
  requireFund,
  shareEntry,
} from "../domain/fund.js";
import type { FundDesk, MovedFund } from "./fund-desk.js";

/** Who rolls back the plans whose requests were cut off. */
const reconcilerName = "co-funding-reconciler";

/**
 * Co-funded allocations: one project from several funds, all shares or none, also when the
 * process stops in between (see domain/co-funding.ts). The request records the plan, takes
 * the shares in order, and ends the plan funded; a refused share fails the plan and rolls
 * it back. `reconcile` rolls back the plans a crash left unfinished.
 */
export class CoFundingDesk {
  constructor(
    private readonly plans: AggregateRepository<CoFundingState, CoFundingEvent>,
    private readonly ledger: FundDesk,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Checks everything that can be checked before touching a fund (the parts, the resolution,
   * each fund, the caller's right to it, each balance): a refusal there stores nothing. Only
   * a race for a balance can refuse a share later, and then the shares taken are reversed.
   */
  async allocate(
    input: { resolutionId: string; purpose: string; parts: { fundId: string; amountFen: number }[] },
    caller: Caller,
  ): Promise<{ projectId: string; funds: MovedFund[] }> {
    const projectId = this.newId();
    const at = this.now();
    validatePlan(input);
    const areaId = await this.ledger.requireAdopted(input.resolutionId);
    const planned = decidePlan({ ...input, projectId, areaId, newId: this.newId, by: caller.subject, at });
    for (const share of planned.data.shares) {
      const { fund } = await this.ledger.get(share.fundId);
      requireOrganiserOf(caller, fund.areaId, "allocating from a fund");
      decideAllocateShare(fund, plannedShare(planned.data, share), caller.subject, at);
    }
    const { state } = await this.plans.create(projectId, () => planned);
    return { projectId, funds: await this.takeShares(requirePlan(state, projectId)) };
  }

  /**
   * Rolls back the plans left planned or failed for `staleAfterMs` (the oldest 100 a round);
   * returns how many. A plan that cannot be rolled back (a share was disbursed from) does not
   * hold up the others: the round ends with an error naming it, and the next round retries.
   */
  async reconcile(staleAfterMs: number): Promise<number> {
    const now = this.now();
    const cutOff = new Date(now.getTime() - staleAfterMs).toISOString();
    const candidates = await this.plans.snapshots
      .find({ "state.status": { $in: ["planned", "failed"] }, "state.at": { $lte: cutOff } } as never)
      .sort({ "state.at": 1 })
      .limit(100)
      .toArray();
    let rolledBack = 0;
    const stuck: string[] = [];
    for (const { _id: projectId, state } of candidates) {
      if (state.status === "none" || !isUnfinished(state, now, staleAfterMs)) continue;
      try {
        const failed = await retryOnConflict(() =>
          this.plans.execute(projectId, (current) => {
            const plan = requirePlan(current, projectId);
            if (plan.status === "funded") return undefined;
            const reason = `not finished within ${Math.round(staleAfterMs / 1000)} s: its request was cut off`;
            return decideFail(plan, reason, reconcilerName, now);
          }),
        );
        if (failed.state.status === "funded") continue;
        await this.rollBack(projectId);
        rolledBack++;
      } catch (error) {
        stuck.push(`${projectId} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (stuck.length > 0) throw new Error(`co-funded allocations not rolled back: ${stuck.join("; ")}`);
    return rolledBack;
  }

  private async takeShares(plan: CoFundingPlan): Promise<MovedFund[]> {
    const taken: MovedFund[] = [];
    for (const share of plan.shares) {
      try {
        const at = this.now();
        const planned = plannedShare(plan, share);
        const { state, version, event } = await this.ledger.write(share.fundId, (fund) =>
          decideAllocateShare(fund, planned, plan.by, at),
        );
        const entry =
          (event && ledgerEntryOf(event as unknown as FundEvent)) ??
          shareEntry(planned, plan.by, new Date(plan.at));
        taken.push({ fund: requireFund(state, share.fundId), version, entry });
      } catch (error) {
        // Withheld: the reconciler took this plan for cut off and is rolling it back.
        if (error instanceof EventIdTakenError)
          throw await this.failAndRollBack(plan, "withheld by the reconciler");
        // A share refused (a balance lost to a race): nothing of the plan may stay.
        if (isDomainError(error)) {
          await this.failAndRollBack(plan, error.message);
          throw error;
        }
        // The store failed: the plan stays planned and the reconciler rolls it back.
        throw error;
      }
    }
    try {
      await retryOnConflict(() =>
        this.plans.execute(plan.projectId, (current) =>
          decideFunded(requirePlan(current, plan.projectId), this.now()),
        ),
      );
    } catch (error) {
      if (error instanceof CoFundingFailedError) throw await this.failAndRollBack(plan, error.message);
      throw error;
    }
    return taken;
  }

  private async failAndRollBack(plan: CoFundingPlan, reason: string): Promise<CoFundingFailedError> {
    const { state } = await retryOnConflict(() =>
      this.plans.execute(plan.projectId, (current) =>
        decideFail(requirePlan(current, plan.projectId), reason, plan.by, this.now()),
      ),
    );
    await this.rollBack(plan.projectId);
    return new CoFundingFailedError(requirePlan(state, plan.projectId));
  }

  /**
   * Withholds every share of a failed plan (its id taken by the plan, so it can never be
   * allocated), reverses those already allocated, and ends the plan rolled back. Each step is
   * decided by a unique key, so the request and the reconciler may both run it.
   */
  private async rollBack(projectId: string): Promise<void> {
    const plan = requirePlan((await this.plans.load(projectId)).state, projectId);
    for (const share of plan.shares) {
      try {
        await retryOnConflict(() =>
          this.plans.execute(projectId, (current) =>
            decideWithhold(requirePlan(current, projectId), share, this.now()),
          ),
        );
      } catch (error) {
        if (!(error instanceof EventIdTakenError)) throw error;
        // The share's id is taken by its allocation (or by a withholding stored a moment ago).
        await this.reverseShare(plan, share);
      }
    }
    await retryOnConflict(() =>
      this.plans.execute(projectId, (current) =>
        decideRolledBack(requirePlan(current, projectId), this.now()),
      ),
    );
  }

  private async reverseShare(plan: CoFundingPlan, share: Share): Promise<void> {
    await this.ledger.write(share.fundId, (fund) =>
      decideReverseShare(
        fund,
        plannedShare(plan, share),
        `co-funded allocation ${plan.projectId} failed: ${plan.failure}`.slice(0, 200),
        plan.by,
        this.now(),
      ),
    );
  }
}

const plannedShare = (
  plan: { projectId: string; resolutionId: string; purpose: string },
  share: Share,
): PlannedShare => ({
  ...share,
  projectId: plan.projectId,
  resolutionId: plan.resolutionId,
  purpose: plan.purpose,
});
