import { AreaCode, type AreaLevel, chinaMonth, FieldChecks } from "@civic/domain-kit";
import type { SafetyIndexConfig } from "./safety-index.js";

/**
 * One alert from a police, fire, traffic or urban-management system, counted into the
 * safety index of its street and district for the month it happened in (China time).
 * The sending system's id makes ingest idempotent: the same incident sent twice is one.
 */
export interface SafetyIncident {
  /** "<source>:<the source's incident id>". */
  incidentKey: string;
  source: string;
  incidentId: string;
  indicator: string;
  /** A street or an area inside one (community, grid, building). */
  areaId: string;
  streetId: string;
  districtId: string;
  /** ISO 8601 instant. */
  occurredAt: string;
  /** YYYY-MM in China time. */
  period: string;
  recordedBy: string;
  recordedAt: string;
}

export type SafetyIncidentState = { status: "none" } | ({ status: "recorded" } & SafetyIncident);

export type SafetyIncidentEvent = { type: "safety.incident_recorded"; data: SafetyIncident };

export const initialSafetyIncidentState = (): SafetyIncidentState => ({ status: "none" });

export function evolveSafetyIncident(
  _state: SafetyIncidentState,
  event: SafetyIncidentEvent,
): SafetyIncidentState {
  return { status: "recorded", ...event.data };
}

export interface RecordIncident {
  source: string;
  incidentId: string;
  indicator: string;
  areaId: string;
  occurredAt: Date;
}

const sourcePattern = /^[a-z0-9][a-z0-9_.-]{0,39}$/;
const incidentIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const levelsInsideAStreet: AreaLevel[] = ["street", "community", "grid", "building"];
/** Clocks of the sending systems may run a little ahead. */
const allowedClockSkewMs = 5 * 60_000;

export const incidentKeyOf = (source: string, incidentId: string) => `${source}:${incidentId}`;

/** The month an instant falls in, in China Standard Time (UTC+8, no daylight saving). */

/** Decides a new incident; a second one with the same key loses at the event log's unique version. */
export function decideRecordIncident(
  command: RecordIncident,
  areaLevel: AreaLevel | undefined,
  config: SafetyIndexConfig,
  actor: { subject: string },
  now: Date,
): SafetyIncidentEvent {
  const checks = new FieldChecks()
    .check(
      "source",
      sourcePattern.test(command.source),
      "must be the sending system's name: lowercase letters, digits, . _ -",
    )
    .check(
      "incidentId",
      incidentIdPattern.test(command.incidentId),
      "must be the sending system's id: up to 64 letters, digits, . _ : -",
    )
    .oneOf(
      "indicator",
      command.indicator,
      config.indicators.map((indicator) => indicator.key),
    );
  if (areaLevel === undefined) checks.add("areaId", `${command.areaId} is not a known area`);
  else if (!levelsInsideAStreet.includes(areaLevel))
    checks.add("areaId", `must be a street or an area inside one, not a ${areaLevel}`);
  if (Number.isNaN(command.occurredAt.getTime())) checks.add("occurredAt", "must be an ISO 8601 instant");
  else if (command.occurredAt.getTime() > now.getTime() + allowedClockSkewMs)
    checks.add("occurredAt", "must not be in the future");
  checks.throwIfAny();
  return {
    type: "safety.incident_recorded",
    data: {
      incidentKey: incidentKeyOf(command.source, command.incidentId),
      source: command.source,
      incidentId: command.incidentId,
      indicator: command.indicator,
      areaId: command.areaId,
      streetId: AreaCode.at(command.areaId, "street"),
      districtId: AreaCode.at(command.areaId, "district"),
      occurredAt: command.occurredAt.toISOString(),
      period: chinaMonth(command.occurredAt),
      recordedBy: actor.subject,
      recordedAt: now.toISOString(),
    },
  };
}

/** Whether a repeated submission describes the incident already recorded (then it is a no-op). */
export function sameIncident(recorded: SafetyIncident, command: RecordIncident): boolean {
  return (
    recorded.indicator === command.indicator &&
    recorded.areaId === command.areaId &&
    recorded.occurredAt === command.occurredAt.toISOString()
  );
}

/** The projection keys an incident counts under: its street's and its district's month and indicator. */
export function incidentCountKeys(
  incident: Pick<SafetyIncident, "streetId" | "districtId" | "period" | "indicator">,
) {
  return [incident.streetId, incident.districtId].map((areaId) =>
    incidentCountKey(areaId, incident.period, incident.indicator),
  );
}

export const incidentCountKey = (areaId: string, period: string, indicator: string) =>
  `${areaId}/${period}/${indicator}`;
