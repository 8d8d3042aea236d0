import {
  type CloudEvent,
  followDomainEvent,
  optionalText,
  type RunningConsumer,
  requiredText,
  type ServiceConsumerOptions,
} from "@civic/event-log";
import type { CaseReferral, CaseReferralDesk } from "../app/case-referral-desk.js";

/**
 * Follows the events that hand problems to grid-cases: a party member's visit collected a
 * problem (`party-building.visit.problem_collected`), a deliberation resolution asked for a
 * case (`deliberation.resolution.task_requested` of kind "case"). A referral that can never
 * become a case (unknown area or category, missing fields) is kept as a dead letter.
 */
export async function startReferralConsumers(
  referrals: CaseReferralDesk,
  options: ServiceConsumerOptions,
): Promise<RunningConsumer[]> {
  const follow = (
    domain: "party-building" | "deliberation",
    eventType: string,
    toReferral: (event: CloudEvent) => CaseReferral | undefined,
  ) =>
    followDomainEvent({
      ...options,
      follower: "grid-cases",
      domain,
      eventType,
      handle: async (event) => {
        const referral = toReferral(event);
        if (referral) await referrals.refer(referral);
      },
    });
  return [
    await follow("party-building", "visit.problem_collected", partyVisitProblem),
    await follow("deliberation", "resolution.task_requested", deliberationTask),
  ];
}

function partyVisitProblem(event: CloudEvent): CaseReferral {
  const data = event.data;
  return {
    origin: { domain: "party-building", reference: requiredText(data, "problemId") },
    categoryCode: requiredText(data, "categoryCode"),
    title: requiredText(data, "title"),
    description: requiredText(data, "description"),
    areaId: requiredText(data, "areaId"),
    address: optionalText(data, "address"),
    referredBy: requiredText(data, "collectedBy"),
    referredAt: new Date(event.time),
  };
}

/** Tasks of other kinds (activities, charity projects) are for other services. */
function deliberationTask(event: CloudEvent): CaseReferral | undefined {
  const data = event.data;
  if (data.kind !== "case") return undefined;
  return {
    origin: { domain: "deliberation", reference: requiredText(data, "taskId") },
    categoryCode: requiredText(data, "categoryCode"),
    title: requiredText(data, "title"),
    description: requiredText(data, "description"),
    areaId: requiredText(data, "areaId"),
    address: optionalText(data, "address"),
    referredBy: requiredText(data, "requestedBy"),
    referredAt: new Date(event.time),
  };
}
