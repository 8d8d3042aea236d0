import {
  type Caller,
  FailedPreconditionError,
  PermissionDeniedError,
  requireCalendarMonth,
} from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import {
  decideFindingReferred,
  decideRecordPatrol,
  decideSetPatrolPlan,
  findingCaseTitle,
  isAreaStaffOf,
  isPatrolStaffOf,
  type Patrol,
  type PatrolEvent,
  type PatrolPlanEvent,
  type PatrolPlanState,
  type PatrolState,
  patrolCoverage,
  type RecordPatrol,
  requireFinding,
  requirePatrol,
} from "../domain/grid-patrol.js";
import type { AreaDesk } from "./area-desk.js";
import type { CaseReferralDesk } from "./case-referral-desk.js";

type PatrolInput = Omit<RecordPatrol, "patrolId" | "by" | "at">;

/**
 * Use cases of whole-subject grid patrols: the plan per grid, patrols recorded by the grid's
 * workers, a finding referred as a case (once: the case id is derived from the finding), and
 * coverage per grid and month read from the patrols' snapshots.
 */
export class PatrolDesk {
  constructor(
    private readonly plans: AggregateRepository<PatrolPlanState, PatrolPlanEvent>,
    private readonly patrols: AggregateRepository<PatrolState, PatrolEvent>,
    private readonly areas: Pick<AreaDesk, "get">,
    private readonly referrals: Pick<CaseReferralDesk, "refer">,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async setPlan(gridId: string, frequencies: { subject: string; perMonth: number }[], caller: Caller) {
    await this.requireGrid(gridId);
    if (!isAreaStaffOf(caller, gridId)) {
      throw new PermissionDeniedError(`a patrol plan is set by the command centre or the staff of ${gridId}`);
    }
    const event = decideSetPatrolPlan({ gridId, frequencies, by: caller.subject, at: this.now() });
    const { state, version } = await this.plans.execute(gridId, () => event);
    return { plan: state, version };
  }

  async plan(gridId: string) {
    const { state, version } = await this.plans.load(gridId);
    return { plan: state, version };
  }

  async record(input: PatrolInput, caller: Caller): Promise<Patrol> {
    const grid = await this.requireGrid(input.gridId);
    if (!isPatrolStaffOf(caller, grid)) {
      throw new PermissionDeniedError(`patrols of ${input.gridId} are recorded by its grid staff`);
    }
    const { state: plan } = await this.plans.load(input.gridId);
    const patrolId = this.newId();
    const recorded = decideRecordPatrol({ ...input, patrolId, by: caller.subject, at: this.now() }, plan);
    const { state } = await this.patrols.create(patrolId, () => recorded);
    return requirePatrol(state, patrolId);
  }

  async get(patrolId: string, caller: Caller): Promise<Patrol> {
    const patrol = requirePatrol((await this.patrols.load(patrolId)).state, patrolId);
    await this.requireReader(patrol, caller);
    return patrol;
  }

  /** Makes a finding a case (channel grid_patrol) in one step; asked again, it answers the same case. */
  async referFinding(patrolId: string, findingId: string, caller: Caller) {
    const patrol = await this.get(patrolId, caller);
    const finding = requireFinding(patrol, findingId);
    const { caseId, created } = await this.referrals.refer({
      origin: { domain: "grid-patrol", reference: `${patrolId}/${findingId}` },
      categoryCode: finding.categoryCode,
      title: findingCaseTitle(finding),
      description: finding.description,
      areaId: patrol.gridId,
      address: finding.address,
      referredBy: caller.subject,
      referredAt: this.now(),
    });
    await this.patrols.execute(patrolId, (state) =>
      decideFindingReferred(requirePatrol(state, patrolId), {
        findingId,
        caseId,
        by: caller.subject,
        at: this.now(),
      }),
    );
    return { caseId, created };
  }

  async coverage(gridId: string, period: string) {
    requireCalendarMonth(period);
    const [{ state: plan }, patrols] = await Promise.all([
      this.plans.load(gridId),
      this.patrols.snapshots.find({ "state.gridId": gridId, "state.period": period } as never).toArray(),
    ]);
    return patrolCoverage(
      plan,
      patrols.flatMap((snapshot) => (snapshot.state.status === "recorded" ? [snapshot.state] : [])),
    );
  }

  private async requireGrid(gridId: string) {
    const area = await this.areas.get(gridId);
    if (area.level !== "grid") {
      throw new FailedPreconditionError(`${gridId} is a ${area.level}: patrols are of grids`, "NOT_A_GRID");
    }
    return area;
  }

  private async requireReader(patrol: Patrol, caller: Caller): Promise<void> {
    if (patrol.by === caller.subject || isAreaStaffOf(caller, patrol.gridId)) return;
    if (!isPatrolStaffOf(caller, await this.areas.get(patrol.gridId))) {
      throw new PermissionDeniedError(`patrols of ${patrol.gridId} are for its grid staff and area staff`);
    }
  }
}
