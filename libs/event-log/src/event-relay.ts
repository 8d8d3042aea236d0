import type { JetStreamClient } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { EventPublisher } from "./aggregate-repository.js";
import type { RelayBook } from "./relay-marks.js";
import { type StoredEvent, toCloudEvent } from "./stored-event.js";

export interface EventRelayOptions {
  js: JetStreamClient;
  book: RelayBook;
  logger: Logger;
  /** How long one publish may wait for JetStream's ack before the sweeper takes over. */
  publishTimeoutMs?: number;
  now?: () => Date;
}

/**
 * Publishes committed events to JetStream right after the append, without making the
 * caller wait: the event id is the Nats-Msg-Id, so a republish inside the stream's
 * duplicate window is dropped. Each published batch is recorded with one insert. What
 * fails here (NATS down, a crash) is left to the sweeper.
 */
export class EventRelay implements EventPublisher {
  private queue: StoredEvent[] = [];
  private draining: Promise<void> = Promise.resolve();

  constructor(private readonly options: EventRelayOptions) {}

  publish(events: StoredEvent[]): void {
    this.queue.push(...events);
    this.draining = this.draining.then(() => this.drain());
  }

  /** Resolves when everything handed over so far has been tried once. */
  flush(): Promise<void> {
    return this.draining;
  }

  /** Publishes `events` and records the ones JetStream acknowledged; returns those. */
  async publishNow(events: StoredEvent[]): Promise<StoredEvent[]> {
    const results = await Promise.allSettled(events.map((event) => this.publishOne(event)));
    const published = events.filter((_, index) => results[index]?.status === "fulfilled");
    const failed = results.find((result) => result.status === "rejected");
    if (failed) {
      this.options.logger.warn(
        { err: failed.reason, failed: events.length - published.length },
        "publishing events failed; the sweeper will retry",
      );
    }
    await this.options.book.recordPublished(published, (this.options.now ?? (() => new Date()))());
    return published;
  }

  private async drain(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      await this.publishNow(batch);
    } catch (error) {
      this.options.logger.warn({ err: error }, "recording published events failed; the sweeper will retry");
    }
  }

  private async publishOne(event: StoredEvent): Promise<void> {
    const messageHeaders = headers();
    if (event.traceparent) messageHeaders.set("traceparent", event.traceparent);
    messageHeaders.set("Content-Type", "application/cloudevents+json");
    await this.options.js.publish(event.subject, JSON.stringify(toCloudEvent(event)), {
      msgID: event._id,
      headers: messageHeaders,
      timeout: this.options.publishTimeoutMs ?? 2_000,
    });
  }
}
