import { AlreadyExistsError, type Caller, PermissionDeniedError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import {
  decideCloseFollowUpTask,
  decideOpenFollowUp,
  mayCloseFollowUpTasks,
  requireFollowUp,
  type SafetyFollowUp,
  type SafetyFollowUpEvent,
  type SafetyFollowUpState,
  safetyFollowUpId,
} from "../domain/safety-follow-up.js";
import type { SafetyLevel } from "../domain/safety-index.js";

/** A published index, as `safety.index_published` states it. */
export interface PublishedSafetyIndex {
  areaId: string;
  period: string;
  level: SafetyLevel;
  score: number;
  at: string;
}

/**
 * Use cases of the safety-index follow-up: opened from each publication (by the consumer of
 * `safety.index_published`, so a crash after publishing loses nothing), closed task by task by
 * the command centre or the street's own staff.
 */
export class SafetyFollowUpDesk {
  constructor(
    private readonly followUps: AggregateRepository<SafetyFollowUpState, SafetyFollowUpEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens the follow-up a publication calls for, unless this street's month has one already. */
  async openFor(published: PublishedSafetyIndex): Promise<void> {
    const opened = decideOpenFollowUp(published);
    if (!opened) return;
    try {
      await this.followUps.create(safetyFollowUpId(published.areaId, published.period), () => opened);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }

  async closeTask(
    areaId: string,
    period: string,
    input: { kind: string; outcome: string },
    caller: Caller,
  ): Promise<SafetyFollowUp> {
    const closed = await this.followUps.execute(safetyFollowUpId(areaId, period), (state) => {
      const followUp = requireFollowUp(state, areaId, period);
      if (!mayCloseFollowUpTasks(caller, followUp.areaId)) {
        throw new PermissionDeniedError(
          `closing a safety follow-up task is for the command centre or the staff of street ${followUp.areaId}`,
        );
      }
      return decideCloseFollowUpTask(followUp, { ...input, by: caller.subject, at: this.now() });
    });
    return requireFollowUp(closed.state, areaId, period);
  }

  async get(areaId: string, period: string): Promise<SafetyFollowUp | null> {
    const { state } = await this.followUps.load(safetyFollowUpId(areaId, period));
    return state.status === "none" ? null : state;
  }
}
