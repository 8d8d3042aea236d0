import type { AggregateRepository } from "@civic/event-log";
import { type Caller, NotFoundError } from "@civic/service-kit";
import type { CaseEvent, CaseState } from "../domain/case.js";
import { type CaseCommand, decideCaseTransition } from "../domain/case-lifecycle.js";
import type { SlaClock } from "../domain/sla.js";
import { type CaseView, toCaseView } from "./case-view.js";

/** Moves cases through their lifecycle on behalf of a caller. */
export class CaseWorkflow {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly sla: SlaClock,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** With `expectedVersion`, a caller who saw an older version gets ABORTED naming the current one. */
  async transition(
    caseId: string,
    command: CaseCommand,
    caller: Caller,
    expectedVersion?: number,
  ): Promise<CaseView> {
    const { state, version } = await this.cases.execute(
      caseId,
      (current) => {
        if (current.status === "none") throw new NotFoundError("case", caseId);
        return decideCaseTransition(command, current, caller, this.now(), this.sla);
      },
      expectedVersion,
    );
    return toCaseView(state, version, caseId);
  }
}
