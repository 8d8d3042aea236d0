import { consumerMetrics, extractTraceContext, withSpan } from "@civic/telemetry";
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { SpanKind } from "@opentelemetry/api";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { type CloudEvent, MalformedEventError, parseCloudEvent } from "./cloud-event.js";
import { isDuplicateKeyError } from "./duplicate-key.js";
import { ensureConsumer } from "./jetstream-setup.js";

/** Thrown by a handler for a message that can never succeed: it is terminated, not retried. */
export class PoisonEventError extends Error {
  override readonly name = "PoisonEventError";
}

export interface DeliveredEvent {
  event: CloudEvent;
  /** 1 on first delivery. */
  deliveryCount: number;
  /** Position in the JetStream stream. */
  streamSequence: number;
}

/** A message the consumer gave up on, kept for an operator to inspect and replay. */
export interface DeadLetter {
  _id: string;
  consumer: string;
  subject: string;
  streamSequence: number;
  payload: string;
  reason: string;
  deliveryCount: number;
  at: Date;
}

/** Records that a consumer finished an event, so a redelivery changes nothing. */
interface ProcessedMark {
  _id: string;
  at: Date;
}

export interface EventConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  stream: string;
  durable: string;
  filterSubjects: string[];
  handle: (delivered: DeliveredEvent) => Promise<void>;
  logger: Logger;
  maxDeliver?: number;
  ackWaitMs?: number;
  maxAckPending?: number;
  /** Delay before the n-th redelivery after a failure (the last value repeats). */
  backoffMs?: number[];
  /**
   * Skip events this consumer already finished (marks in `processed_events`). Off for
   * handlers that are idempotent by their own unique keys, such as projectors.
   */
  skipProcessed?: boolean;
  lagIntervalMs?: number;
  now?: () => Date;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

/**
 * Runs a durable pull consumer with explicit acks: success acks, a transient failure naks
 * with backoff, a malformed or poison message (or one past the delivery limit) is
 * terminated and kept as a dead letter. Trace context from the message headers makes the
 * handler part of the producer's trace.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<RunningConsumer> {
  const maxDeliver = options.maxDeliver ?? 10;
  const now = options.now ?? (() => new Date());
  await ensureConsumer(options.jsm, {
    stream: options.stream,
    durable: options.durable,
    filterSubjects: options.filterSubjects,
    maxDeliver,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    ...(options.maxAckPending ? { maxAckPending: options.maxAckPending } : {}),
  });
  const consumer = await options.js.consumers.get(options.stream, options.durable);
  const deadLetters = options.db.collection<DeadLetter>("dead_letters");
  const processed = options.db.collection<ProcessedMark>("processed_events");
  const messages = await consumer.consume({ max_messages: options.maxAckPending ?? 100 });
  const lagTimer = watchLag(consumer, options);

  const terminate = async (message: JsMsg, reason: string) => {
    await deadLetters
      .insertOne({
        _id: `${options.durable}:${message.seq}`,
        consumer: options.durable,
        subject: message.subject,
        streamSequence: message.seq,
        payload: message.string(),
        reason,
        deliveryCount: message.info.deliveryCount,
        at: now(),
      })
      .catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
    message.term(reason);
    consumerMetrics.terminated(options.durable);
    options.logger.warn({ consumer: options.durable, seq: message.seq, reason }, "event terminated");
  };

  const handleMessage = async (message: JsMsg) => {
    const deliveryCount = message.info.deliveryCount;
    if (deliveryCount > 1) consumerMetrics.redelivered(options.durable);
    let event: CloudEvent;
    try {
      event = parseCloudEvent(message.string());
    } catch (error) {
      await terminate(message, error instanceof MalformedEventError ? error.message : String(error));
      return;
    }
    const markId = `${options.durable}:${event.id}`;
    if (options.skipProcessed && (await processed.countDocuments({ _id: markId }, { limit: 1 })) > 0) {
      message.ack();
      return;
    }
    const carrier: Record<string, string> = {};
    const traceparent = message.headers?.get("traceparent") || event.traceparent;
    if (traceparent) carrier.traceparent = traceparent;
    try {
      await withSpan(
        `${options.durable} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: extractTraceContext(carrier),
          attributes: { "messaging.message.id": event.id },
        },
        () => options.handle({ event, deliveryCount, streamSequence: message.seq }),
      );
      if (options.skipProcessed) {
        await processed.insertOne({ _id: markId, at: now() }).catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
      }
      message.ack();
    } catch (error) {
      if (error instanceof PoisonEventError) return terminate(message, error.message);
      if (deliveryCount >= maxDeliver)
        return terminate(message, `delivery limit ${maxDeliver} reached: ${String(error)}`);
      const backoff = options.backoffMs ?? [1_000, 5_000, 30_000];
      message.nak(backoff[Math.min(deliveryCount - 1, backoff.length - 1)]);
      options.logger.warn(
        { err: error, consumer: options.durable, seq: message.seq, deliveryCount },
        "event handling failed; will retry",
      );
    }
  };

  const loop = (async () => {
    for await (const message of messages) {
      await handleMessage(message).catch((error: unknown) => {
        // Only recording a dead letter can fail here; leave the message to redelivery.
        options.logger.error(
          { err: error, consumer: options.durable, seq: message.seq },
          "event consumer failed",
        );
      });
    }
  })();

  return {
    async stop() {
      clearInterval(lagTimer);
      await messages.close();
      await loop;
    },
  };
}

function watchLag(consumer: Consumer, options: EventConsumerOptions): NodeJS.Timeout {
  const timer = setInterval(() => {
    consumer
      .info(true)
      .then((info) => consumerMetrics.lag(options.durable, info.num_pending + info.num_ack_pending))
      .catch(() => undefined);
  }, options.lagIntervalMs ?? 5_000);
  timer.unref();
  return timer;
}
