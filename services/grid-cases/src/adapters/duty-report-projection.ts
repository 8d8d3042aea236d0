import type { CloudEvent, Projection } from "@civic/event-log";
import type { CommunityTaskEvent } from "../domain/community-task.js";
import {
  countDutyTask,
  type DutyReportState,
  dutyReportKeysOf,
  emptyDutyReport,
} from "../domain/duty-report.js";

/** Tasks handed to communities counted per area and month or year, as a keyed projection of the grid-cases stream. */
export function dutyReportProjection(stream: string, subjectPrefix: string): Projection<DutyReportState> {
  const toTaskEvent = (event: CloudEvent) =>
    ({ type: event.type.slice(subjectPrefix.length + 1), data: event.data }) as unknown as CommunityTaskEvent;
  return {
    name: "duty-report",
    stream,
    filterSubjects: [`${subjectPrefix}.community_task.accepted`, `${subjectPrefix}.community_task.refused`],
    initialState: emptyDutyReport,
    keysOf: (event) => dutyReportKeysOf(toTaskEvent(event)),
    apply: (report, event, key) => countDutyTask(report, toTaskEvent(event), key),
  };
}
