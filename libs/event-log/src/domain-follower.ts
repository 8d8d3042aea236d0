import { FailedPreconditionError, InvalidArgumentError } from "@civic/service-kit";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { v5 as uuidv5 } from "uuid";
import type { CloudEvent } from "./cloud-event.js";
import {
  type DeliveredEvent,
  PoisonEventError,
  type RunningConsumer,
  startEventConsumer,
} from "./event-consumer.js";
import { ensureDomainStream } from "./jetstream-setup.js";

export interface DomainFollowerOptions {
  /** The following service, e.g. "deliberation": the durable is `<follower>-<domain>-<event type>`. */
  follower: string;
  /** The producing domain, e.g. "party-building". */
  domain: string;
  /** The event type relative to the producer, e.g. "visit.problem_collected". */
  eventType: string;
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  logger: Logger;
  /** Subject namespace of the platform instance, "civic" by default. */
  namespace?: string;
  /** Handles one event. Bad input (InvalidArgumentError, FailedPreconditionError) is permanent. */
  handle: (event: CloudEvent, delivered: DeliveredEvent) => Promise<void>;
}

/** The durable consumer name of a follower of one event type of another domain. */
export const followerDurable = (follower: string, domain: string, eventType: string): string =>
  `${follower}-${domain}-${eventType}`.replaceAll(".", "-").replaceAll("_", "-");

/**
 * Follows one event type of another domain: ensures the producer's stream (it may start
 * later), runs a durable consumer of the follower's own that skips events it already
 * finished, and dead-letters (with the reason) an event the handler refuses as bad input,
 * since redelivering it can never succeed. Transient failures are retried with backoff.
 */
export async function followDomainEvent(options: DomainFollowerOptions): Promise<RunningConsumer> {
  const producer = await ensureDomainStream(options.jsm, options.domain, options.namespace);
  return startEventConsumer({
    js: options.js,
    jsm: options.jsm,
    db: options.db,
    logger: options.logger,
    stream: producer.name,
    durable: followerDurable(options.follower, options.domain, options.eventType),
    filterSubjects: [`${producer.subjectPrefix}.${options.eventType}`],
    skipProcessed: true,
    handle: async (delivered) => {
      try {
        await options.handle(delivered.event, delivered);
      } catch (error) {
        if (error instanceof InvalidArgumentError || error instanceof FailedPreconditionError) {
          throw new PoisonEventError(error.message);
        }
        throw error;
      }
    },
  });
}

/** A required text field of an event's data; its absence makes the event poison. */
export function requiredText(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value !== "string" || value.trim() === "") throw new PoisonEventError(`${field} is missing`);
  return value;
}

/** An optional text field of an event's data ("" when absent or not text). */
export const optionalText = (data: Record<string, unknown>, field: string): string => {
  const value = data[field];
  return typeof value === "string" ? value : "";
};

/**
 * The id of what a follower creates for another domain's thing (a case for a problem, a
 * topic for a proposal): UUIDv5 of `<domain>:<reference>` in the follower's namespace, so a
 * redelivered or repeated event finds it already there.
 */
export const idFromOrigin = (origin: { domain: string; reference: string }, namespace: string): string =>
  uuidv5(`${origin.domain}:${origin.reference}`, namespace);
