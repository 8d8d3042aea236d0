import type { Projection } from "@civic/event-log";
import { incidentCountKeys, type SafetyIncident } from "../domain/safety-incident.js";

/** Recorded incidents counted per street and district, month and indicator. */
export function safetyIncidentCountsProjection(stream: string, subjectPrefix: string): Projection<number> {
  return {
    name: "safety-incident-counts",
    stream,
    filterSubjects: [`${subjectPrefix}.safety.incident_recorded`],
    initialState: () => 0,
    keysOf: (event) => incidentCountKeys(event.data as unknown as SafetyIncident),
    apply: (count) => count + 1,
  };
}
