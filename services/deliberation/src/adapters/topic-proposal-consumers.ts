import {
  type CloudEvent,
  followDomainEvent,
  optionalText,
  PoisonEventError,
  type RunningConsumer,
  requiredText,
  type ServiceConsumerOptions,
} from "@civic/event-log";
import type { ProposalFromEvent, TopicDesk } from "../app/topic-desk.js";

/** The event type, relative to the proposing domain, of the topic contract. */
export const topicProposedEvent = "deliberation.topic_proposed";

export interface TopicProposalConsumerOptions extends ServiceConsumerOptions {
  /** The domains whose `<namespace>.<domain>.deliberation.topic_proposed` events are followed. */
  domains: string[];
}

/**
 * Follows `civic.<domain>.deliberation.topic_proposed` of each proposing domain (durable
 * `deliberation-<domain>-deliberation-topic-proposed`): each event becomes one topic from a
 * service event; an event that can never be a topic is kept as a dead letter with the reason.
 */
export async function startTopicProposalConsumers(
  topics: TopicDesk,
  options: TopicProposalConsumerOptions,
): Promise<RunningConsumer[]> {
  const { domains, ...consumerOptions } = options;
  const consumers: RunningConsumer[] = [];
  for (const domain of domains) {
    consumers.push(
      await followDomainEvent({
        follower: "deliberation",
        domain,
        eventType: topicProposedEvent,
        ...consumerOptions,
        handle: async (event) => {
          const { created, topic } = await topics.proposeFromEvent(proposalOf(event, domain));
          if (created) {
            options.logger.info(
              {
                topicId: topic.topicId,
                domain,
                reference: topic.origin?.reference,
                admissible: topic.admissible,
              },
              "topic proposed by another service",
            );
          }
        },
      }),
    );
  }
  return consumers;
}

export function proposalOf(event: CloudEvent, domain: string): ProposalFromEvent {
  const data = event.data;
  const at = new Date(optionalText(data, "at") || event.time);
  if (Number.isNaN(at.getTime())) throw new PoisonEventError("at is not a time");
  return {
    domain,
    reference: requiredText(data, "proposalId"),
    areaId: requiredText(data, "areaId"),
    title: requiredText(data, "title"),
    description: requiredText(data, "description"),
    categoryCode: requiredText(data, "categoryCode"),
    proposedBy: optionalText(data, "proposedBy") || domain,
    at,
  };
}
