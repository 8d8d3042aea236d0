import {
  followDomainEvent,
  type RunningConsumer,
  requiredText,
  type ServiceConsumerOptions,
} from "@civic/event-log";
import type { CouncilDesk } from "../app/council-desk.js";
import type { VoteDesk } from "../app/vote-desk.js";

/**
 * Seats the representatives a building elected: follows deliberation's own `vote.closed`
 * (durable `deliberation-deliberation-vote-closed`), and for an election of a building
 * (rule plurality, a building named) seats each elected candidate on the vote's council as
 * a `representative` of that building. Seating is idempotent (a seated member is not seated
 * again), so a redelivered event, or a crash between the close and the seating, changes
 * nothing or completes it. A council without a free seat (or an owners' assembly, where
 * only owners sit) leaves the event as a dead letter with the reason.
 */
export async function startElectionSeating(
  votes: VoteDesk,
  councils: CouncilDesk,
  options: ServiceConsumerOptions,
): Promise<RunningConsumer> {
  return followDomainEvent({
    follower: "deliberation",
    domain: "deliberation",
    eventType: "vote.closed",
    ...options,
    handle: async (event) => {
      const elected = event.data.elected;
      if (!Array.isArray(elected) || elected.length === 0) return;
      const { vote } = await votes.get(requiredText(event.data, "voteId"));
      if (vote.rule !== "plurality" || vote.building === "") return;
      for (const candidateId of elected) {
        const candidate = vote.candidates.find((entry) => entry.candidateId === candidateId);
        if (!candidate) continue;
        const { seated } = await councils.seatElected(vote.councilId, {
          memberId: candidate.candidateId,
          name: candidate.name,
          building: vote.building,
          voteId: vote.voteId,
        });
        if (seated)
          options.logger.info(
            { councilId: vote.councilId, memberId: candidate.candidateId, voteId: vote.voteId },
            "elected representative seated",
          );
      }
    },
  });
}
