import { FailedPreconditionError, FieldChecks, isCalendarMonth } from "@civic/domain-kit";
import { computeSafetyIndex, type SafetyIndex, type SafetyIndexConfig } from "./safety-index.js";

/** Incident counts of one district or street for one month, and the index published from them. */
export interface SafetyPeriod {
  status: "counting";
  areaId: string;
  period: string;
  counts: Record<string, number>;
  published: (SafetyIndex & { publishedAt: string }) | null;
}

export type SafetyPeriodState = { status: "none" } | SafetyPeriod;

export type SafetyPeriodEvent =
  | {
      type: "safety.incidents_counted";
      data: { areaId: string; period: string; indicator: string; count: number; by: string; at: string };
    }
  | {
      type: "safety.index_published";
      data: SafetyIndex & { areaId: string; period: string; by: string; at: string };
    };

export const initialSafetyPeriodState = (): SafetyPeriodState => ({ status: "none" });

export function evolveSafetyPeriod(state: SafetyPeriodState, event: SafetyPeriodEvent): SafetyPeriodState {
  const { areaId, period } = event.data;
  const current: SafetyPeriod =
    state.status === "none" ? { status: "counting", areaId, period, counts: {}, published: null } : state;
  if (event.type === "safety.incidents_counted") {
    return { ...current, counts: { ...current.counts, [event.data.indicator]: event.data.count } };
  }
  const { by: _by, at, areaId: _area, period: _period, ...index } = event.data;
  return { ...current, published: { ...index, publishedAt: at } };
}

/** Incident counts come in from police, fire and traffic systems; a new count replaces the old. */
export function decideIncidentCount(
  command: { areaId: string; period: string; indicator: string; count: number },
  config: SafetyIndexConfig,
  actor: { subject: string },
  now: Date,
): SafetyPeriodEvent {
  new FieldChecks()
    .check("period", isCalendarMonth(command.period), "must be a month, YYYY-MM")
    .oneOf(
      "indicator",
      command.indicator,
      config.indicators.map((indicator) => indicator.key),
    )
    .check(
      "count",
      Number.isInteger(command.count) && command.count >= 0,
      "must be a whole number, 0 or more",
    )
    .throwIfAny();
  return { type: "safety.incidents_counted", data: { ...command, by: actor.subject, at: now.toISOString() } };
}

/**
 * Publishes the period's index from its counts (totals the feeds sent, and incidents
 * recorded one by one) and the area's population.
 */
export function decidePublishSafetyIndex(
  period: { areaId: string; period: string; counts: Record<string, number> },
  population: number,
  config: SafetyIndexConfig,
  actor: { subject: string },
  now: Date,
): SafetyPeriodEvent {
  if (Object.keys(period.counts).length === 0) {
    throw new FailedPreconditionError(
      "no incidents were recorded for this area and period",
      "NO_INCIDENT_COUNTS",
    );
  }
  const index = computeSafetyIndex(population, period.counts, config);
  return {
    type: "safety.index_published",
    data: {
      ...index,
      areaId: period.areaId,
      period: period.period,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}
