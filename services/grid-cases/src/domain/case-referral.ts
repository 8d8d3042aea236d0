import type { CaseEvent, CaseEventType, CaseOrigin } from "./case.js";
import { noteOf } from "./case.js";

/** The services whose events may open a case, and the channel such a case comes in by. */
export const referringChannels = {
  "party-building": "party_visit",
  deliberation: "deliberation",
  /** grid-cases' own whole-subject patrols (domain/grid-patrol.ts). */
  "grid-patrol": "grid_patrol",
} as const;

export type ReferringDomain = keyof typeof referringChannels;

/**
 * How far each step takes the task behind a referred case (0–100). Steps that only record
 * something (a contact, a breach, a whistle) leave the progress where it is.
 */
const progressAfter: Partial<Record<CaseEventType, number>> = {
  "case.submitted": 0,
  "case.rejected": 0,
  "case.accepted": 10,
  "case.dispatched": 25,
  "case.returned": 10,
  "case.signed_for": 35,
  "case.work_started": 50,
  "case.reopened": 50,
  "case.resolved": 90,
  "case.closed": 100,
};

/**
 * Adds the origin, and the task progress where the step moves it, to an event of a case
 * another service referred; other cases' events are returned as they are.
 */
export function withReferralFeedback<Event extends CaseEvent>(
  origin: CaseOrigin | undefined,
  event: Event,
): Event {
  if (!origin) return event;
  const percent = progressAfter[event.type];
  const step = event.type.slice("case.".length).replaceAll("_", " ");
  const note = noteOf(event);
  return {
    ...event,
    data: {
      ...event.data,
      origin,
      ...(percent === undefined ? {} : { taskProgress: { percent, note: note ? `${step}: ${note}` : step } }),
    },
  };
}
