import type { CloudEvent, Projection } from "@civic/event-log";
import type { CaseEvent } from "../domain/case.js";
import {
  type CaseCounters,
  countCaseEvent,
  emptyCounters,
  statisticsKeysOf,
} from "../domain/case-statistics.js";

/** The case statistics as a keyed projection of the grid-cases stream. */
export function caseStatisticsProjection(stream: string, subjectPrefix: string): Projection<CaseCounters> {
  const toCaseEvent = (event: CloudEvent) =>
    ({ type: event.type.slice(subjectPrefix.length + 1), data: event.data }) as unknown as CaseEvent;
  return {
    name: "case-statistics",
    stream,
    filterSubjects: [`${subjectPrefix}.case.>`],
    initialState: emptyCounters,
    keysOf: (event) => statisticsKeysOf(toCaseEvent(event), new Date(event.time)),
    apply: (counters, event, key) => countCaseEvent(counters, toCaseEvent(event), key),
  };
}
