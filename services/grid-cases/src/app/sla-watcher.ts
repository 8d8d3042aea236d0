import { ConflictError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import { metrics } from "@civic/telemetry";
import type { Logger } from "pino";
import type { CaseEvent, CaseState } from "../domain/case.js";
import { decideSlaBreach } from "../domain/case-lifecycle.js";
import { deadlineKinds } from "../domain/sla.js";

export interface SlaPass {
  dueCases: number;
  breaches: number;
}

/**
 * Records each passed deadline of each case as one `case.sla_breached` event. It reads
 * only cases whose next running deadline has passed (an index on `state.nextDueAt`), so a
 * pass costs what is due, not what is open. Several replicas may run it: the breach is
 * appended as the case's next version, and the loser of that race finds it recorded.
 */
export class SlaWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly batchSize = 500,
  ) {}

  async passOnce(): Promise<SlaPass> {
    const now = this.now();
    const due = await this.cases.snapshots
      .find({ "state.nextDueAt": { $gt: "", $lte: now.toISOString() } } as never, { projection: { _id: 1 } })
      .limit(this.batchSize)
      .toArray();
    let breaches = 0;
    for (const { _id: caseId } of due) {
      // One event per passed deadline: a case can miss contact, on-site and resolve at once.
      for (let step = 0; step < deadlineKinds.length; step++) {
        try {
          const executed = await this.cases.execute(caseId, (state) => decideSlaBreach(state, now));
          if (!executed.event) {
            // The snapshot said due but the stream says otherwise: it lags behind its stream
            // (two writers finished out of order), so bring it up to date for the next pass.
            if (step === 0) await this.cases.refreshSnapshot(caseId);
            break;
          }
          breaches++;
          metrics.caseSlaBreaches.inc();
        } catch (error) {
          // Another replica keeps winning this case's versions: it is recording the breaches.
          if (error instanceof ConflictError) break;
          throw error;
        }
      }
    }
    if (breaches > 0) this.logger.info({ dueCases: due.length, breaches }, "SLA breaches recorded");
    return { dueCases: due.length, breaches };
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.passOnce()
        .catch((error: unknown) => this.logger.warn({ err: error }, "SLA watcher pass failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
