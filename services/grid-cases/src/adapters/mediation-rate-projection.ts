import type { CloudEvent, Projection } from "@civic/event-log";
import type { DisputeEvent } from "../domain/dispute.js";
import {
  countMediation,
  emptyMediationCounters,
  type MediationCounters,
  mediationKeysOf,
} from "../domain/mediation-rate.js";

/** Mediation outcomes counted per area and month or year, as a keyed projection of the grid-cases stream. */
export function mediationRateProjection(
  stream: string,
  subjectPrefix: string,
): Projection<MediationCounters> {
  const toDisputeEvent = (event: CloudEvent) =>
    ({ type: event.type.slice(subjectPrefix.length + 1), data: event.data }) as unknown as DisputeEvent;
  return {
    name: "mediation-rate",
    stream,
    filterSubjects: [`${subjectPrefix}.dispute.outcome_recorded`],
    initialState: emptyMediationCounters,
    keysOf: (event) => mediationKeysOf(toDisputeEvent(event)),
    apply: (counters, event) => countMediation(counters, toDisputeEvent(event)),
  };
}
