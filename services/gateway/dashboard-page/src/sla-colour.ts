/** Statuses in which a case still runs against its deadlines. */
export const openCaseStatuses = [
  "submitted",
  "accepted",
  "dispatched",
  "signed_for",
  "returned",
  "in_progress",
] as const;

/** Board columns, most urgent first. */
export const slaColours = ["overdue", "due_today", "due_soon", "on_track", "awaiting_acceptance"] as const;
export type SlaColour = (typeof slaColours)[number];

export interface OpenCase {
  caseId: string;
  title: string;
  areaId: string;
  status: string;
  /** Set when the case is accepted (absent before). */
  resolveDue?: string;
  /** `contact`, `on_site`, `resolve`: deadlines the SLA watcher found passed. */
  breachedDeadlines?: string[];
}

const hourMs = 3_600_000;

/**
 * Where an open case stands against its resolve deadline: overdue once any deadline passed
 * (an urgent case's contact or on-site hour counts too), then by the time left.
 */
export function slaColourOf(openCase: OpenCase, now: Date): SlaColour {
  if (openCase.resolveDue === undefined) return "awaiting_acceptance";
  const left = Date.parse(openCase.resolveDue) - now.getTime();
  if (left <= 0 || (openCase.breachedDeadlines ?? []).length > 0) return "overdue";
  if (left <= 24 * hourMs) return "due_today";
  if (left <= 72 * hourMs) return "due_soon";
  return "on_track";
}

/** Open cases per colour, every colour present. */
export function countByColour(cases: OpenCase[], now: Date): Record<SlaColour, number> {
  const counts = Object.fromEntries(slaColours.map((colour) => [colour, 0])) as Record<SlaColour, number>;
  for (const openCase of cases) counts[slaColourOf(openCase, now)] += 1;
  return counts;
}

/** The cases to act on first: passed or nearest deadlines, then those not yet accepted. */
export function mostUrgent(cases: OpenCase[], count: number): OpenCase[] {
  const due = (openCase: OpenCase) =>
    openCase.resolveDue === undefined ? Number.POSITIVE_INFINITY : Date.parse(openCase.resolveDue);
  return [...cases].sort((a, b) => due(a) - due(b)).slice(0, count);
}
