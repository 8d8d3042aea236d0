import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Logger } from "pino";

/** A domain event as the stream sends it: the CloudEvent, its type relative to the namespace. */
export interface FeedEvent {
  id: string;
  /** e.g. "grid-cases.case.submitted" */
  type: string;
  source: string;
  /** The aggregate's stream, e.g. "case-<id>". */
  subject: string;
  time: string;
  /** The area the event belongs to: its own areaId, or the one its aggregate named before. */
  areaId: string;
  data: Record<string, unknown>;
}

export interface FeedListener {
  deliver(event: FeedEvent): void;
  /** The feed is closing (the gateway shuts down): end the connection. */
  closed(): void;
}

/** How many aggregates' areas the feed remembers (the oldest are forgotten first). */
const rememberedAggregates = 100_000;

/**
 * Domain events for dashboards: one core NATS subscription per gateway on every domain's
 * subjects, fanned out in process to the event-stream connections. It is a live feed: a
 * connection sees what is published while it is open (JetStream keeps the durable history).
 *
 * Many events do not name an area (a case's assignment, a sign-up's check-in); the feed
 * remembers the area each aggregate last named, so they can still be shown only to callers
 * of that area. An aggregate whose area this gateway never saw has no area ("").
 */
export class DomainEventFeed {
  private readonly listeners = new Set<FeedListener>();
  private readonly areaOfAggregate = new Map<string, string>();

  private constructor(
    private readonly subscription: Subscription,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {}

  static start(nats: NatsConnection, namespace: string, logger: Logger): DomainEventFeed {
    const subscription = nats.subscribe(`${namespace}.>`);
    const feed = new DomainEventFeed(subscription, namespace, logger);
    void feed.relay();
    return feed;
  }

  /** Adds a listener; answers the function that removes it. */
  listen(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  close(): void {
    this.subscription.unsubscribe();
    for (const listener of this.listeners) listener.closed();
    this.listeners.clear();
  }

  private async relay(): Promise<void> {
    for await (const message of this.subscription) {
      const event = this.parse(message.string());
      if (!event) continue;
      for (const listener of this.listeners) listener.deliver(event);
    }
  }

  private parse(text: string): FeedEvent | undefined {
    let cloudEvent: Record<string, unknown>;
    try {
      cloudEvent = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.logger.debug("a message on the domain subjects is not JSON; not streamed");
      return undefined;
    }
    const { id, type, source, subject, time, data } = cloudEvent;
    if (typeof id !== "string" || typeof type !== "string" || !type.startsWith(`${this.namespace}.`))
      return undefined;
    const payload = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    const aggregate = typeof subject === "string" ? subject : "";
    return {
      id,
      type: type.slice(this.namespace.length + 1),
      source: typeof source === "string" ? source : "",
      subject: aggregate,
      time: typeof time === "string" ? time : "",
      areaId: this.areaOf(`${typeof source === "string" ? source : ""}|${aggregate}`, payload.areaId),
      data: payload,
    };
  }

  private areaOf(aggregateKey: string, named: unknown): string {
    if (typeof named === "string" && named !== "") {
      this.areaOfAggregate.delete(aggregateKey);
      this.areaOfAggregate.set(aggregateKey, named);
      if (this.areaOfAggregate.size > rememberedAggregates) {
        const oldest = this.areaOfAggregate.keys().next().value;
        if (oldest !== undefined) this.areaOfAggregate.delete(oldest);
      }
      return named;
    }
    return this.areaOfAggregate.get(aggregateKey) ?? "";
  }
}
