import { isIdentifier, NotFoundError } from "@civic/domain-kit";
import {
  aggregateIdOf,
  followDomainEvent,
  PoisonEventError,
  type RunningConsumer,
  type ServiceConsumerOptions,
} from "@civic/event-log";
import type { LiaisonDesk } from "../app/liaison-desk.js";

/**
 * Follows grid-cases' `case.resolved`: a case whose origin names one of our problems marks
 * it solved. Redelivery is harmless: a solved problem stays solved with nothing appended.
 */
export async function startCaseResolvedConsumer(
  desk: LiaisonDesk,
  options: ServiceConsumerOptions,
): Promise<RunningConsumer> {
  return followDomainEvent({
    ...options,
    follower: "party-building",
    domain: "grid-cases",
    eventType: "case.resolved",
    handle: async (event) => {
      const origin = event.data.origin as { domain?: unknown; reference?: unknown } | undefined;
      if (origin?.domain !== "party-building") return;
      if (typeof origin.reference !== "string" || !isIdentifier(origin.reference))
        throw new PoisonEventError("the origin's reference is not a problem id");
      try {
        await desk.solveFromCase(origin.reference, aggregateIdOf(event.subject), new Date(event.time));
      } catch (error) {
        if (error instanceof NotFoundError) throw new PoisonEventError(error.message);
        throw error;
      }
    },
  });
}
