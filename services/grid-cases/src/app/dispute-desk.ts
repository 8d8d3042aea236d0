import {
  AreaCode,
  type Caller,
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import {
  type AggregateRepository,
  type PageRequest,
  type ProjectionReader,
  pageOfSnapshots,
} from "@civic/event-log";
import type { CaseEvent, CaseState } from "../domain/case.js";
import {
  checkDisputeList,
  type Dispute,
  type DisputeEvent,
  type DisputeState,
  decideFollowUp,
  decideOpenDispute,
  decideRecordOutcome,
  decideRecordSession,
  isDisputeAreaStaff,
  isDisputeCategory,
  mayMediate,
  type OpenDispute,
  type RecordOutcome,
  requireDispute,
} from "../domain/dispute.js";
import {
  keyMediationRate,
  type MediationCounters,
  mediationRate,
  mediationRateKeyFor,
} from "../domain/mediation-rate.js";
import type { PatrolDesk } from "./patrol-desk.js";

type Participants = Pick<OpenDispute, "parties" | "mediators" | "key">;

export interface MediationRateView extends MediationCounters {
  areaId: string;
  period: string;
  mediationRate: number | null;
  keyMediationRate: number | null;
}

/**
 * Use cases of dispute mediation: open the mediation of a dispute case (or of a patrol's
 * dispute finding in one step), record sessions, the outcome and the follow-up visit, and
 * read the mediation rate of an area and period from its projection.
 */
export class DisputeDesk {
  constructor(
    private readonly disputes: AggregateRepository<DisputeState, DisputeEvent>,
    private readonly cases: Pick<AggregateRepository<CaseState, CaseEvent>, "load">,
    private readonly patrols: Pick<PatrolDesk, "get" | "referFinding">,
    private readonly rates: ProjectionReader<MediationCounters>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async open(caseId: string, participants: Participants, caller: Caller) {
    const { state: caseState } = await this.cases.load(caseId);
    if (caseState.status === "none") throw new NotFoundError("case", caseId);
    if (!isDisputeAreaStaff(caller, caseState.areaId)) {
      throw new PermissionDeniedError(
        `a mediation is opened by the command centre or the community, street or grid staff of ${caseState.areaId}`,
      );
    }
    return this.disputes.create(caseId, () =>
      decideOpenDispute(caseState, caseId, { ...participants, by: caller.subject, at: this.now() }),
    );
  }

  /**
   * A patrol's finding of dispute screening made a case and mediated in one step. Asked
   * again, the finding names the same case and the mediation is already open (409).
   */
  async openFromFinding(patrolId: string, findingId: string, participants: Participants, caller: Caller) {
    const patrol = await this.patrols.get(patrolId, caller);
    const finding = patrol.findings.find((candidate) => candidate.findingId === findingId);
    if (!finding) throw new NotFoundError(`finding of patrol ${patrolId}`, findingId);
    if (finding.subject !== "dispute_screening" || !isDisputeCategory(finding.categoryCode)) {
      throw new FailedPreconditionError(
        `finding ${findingId} is not of dispute screening with a dispute category`,
        "NOT_A_DISPUTE",
      );
    }
    const { caseId } = await this.patrols.referFinding(patrolId, findingId, caller);
    return this.open(caseId, participants, caller);
  }

  async get(caseId: string, caller: Caller) {
    const { state, version } = await this.disputes.load(caseId);
    const dispute = requireDispute(state, caseId);
    this.requireMediator(dispute, caller);
    return { state: dispute, version };
  }

  /** A page of the mediations of an area and below, in case-id order. */
  async list(criteria: { areaId: string; status: string }, page: PageRequest, caller: Caller) {
    checkDisputeList(criteria.areaId, criteria.status, caller);
    const filter = {
      ...AreaCode.range("state.areaId", criteria.areaId),
      ...(criteria.status ? { "state.status": criteria.status } : {}),
    };
    const found = await pageOfSnapshots(this.disputes.snapshots, filter, page);
    return {
      disputes: found.items.map((snapshot) => ({ state: snapshot.state, version: snapshot.version })),
      nextPageToken: found.nextPageToken,
    };
  }

  async recordSession(
    caseId: string,
    session: { heldOn: string; place: string; summary: string },
    caller: Caller,
  ) {
    await this.get(caseId, caller);
    return this.disputes.execute(caseId, (state) =>
      decideRecordSession(requireDispute(state, caseId), { ...session, by: caller.subject, at: this.now() }),
    );
  }

  async recordOutcome(caseId: string, outcome: Omit<RecordOutcome, "by" | "at">, caller: Caller) {
    await this.get(caseId, caller);
    return this.disputes.execute(caseId, (state) =>
      decideRecordOutcome(requireDispute(state, caseId), { ...outcome, by: caller.subject, at: this.now() }),
    );
  }

  async followUp(
    caseId: string,
    visit: { visitedOn: string; agreementKept: boolean; note: string },
    caller: Caller,
  ) {
    await this.get(caseId, caller);
    return this.disputes.execute(caseId, (state) =>
      decideFollowUp(requireDispute(state, caseId), { ...visit, by: caller.subject, at: this.now() }),
    );
  }

  async rate(areaId: string, period: string, caller: Caller): Promise<MediationRateView> {
    const { state } = await this.rates(mediationRateKeyFor(areaId, period, caller));
    return {
      areaId,
      period,
      ...state,
      mediationRate: mediationRate(state),
      keyMediationRate: keyMediationRate(state),
    };
  }

  private requireMediator(dispute: Dispute, caller: Caller): void {
    if (!mayMediate(caller, dispute)) {
      throw new PermissionDeniedError(
        `the mediation of case ${dispute.caseId} is for the staff of ${dispute.areaId} and its mediators`,
      );
    }
  }
}
