import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";

/**
 * One stream per producing domain: subjects `<namespace>.<domain>.>`, stream
 * `<NAMESPACE>_<DOMAIN>`. The namespace is "civic"; another one lets several platform
 * instances (or test runs) share a NATS server without seeing each other's events.
 */
export function domainStream(domain: string, namespace = "civic"): { name: string; subjects: string[] } {
  const name = `${namespace}_${domain}`.replaceAll(/[^A-Za-z0-9]/g, "_").toUpperCase();
  return { name, subjects: [`${namespace}.${domain}.>`] };
}

/**
 * Makes sure another domain's stream exists before a consumer follows it (services may
 * start in any order; the settings are the producer's own: no limits are given here, so
 * those the producer set stay), and names its subjects.
 */
export async function ensureDomainStream(
  jsm: JetStreamManager,
  domain: string,
  namespace = "civic",
): Promise<{ name: string; subjectPrefix: string }> {
  const stream = domainStream(domain, namespace);
  await ensureStream(jsm, stream);
  return { name: stream.name, subjectPrefix: `${namespace}.${domain}` };
}

/**
 * How many servers keep a stream and how much of it they keep. A field left out keeps the
 * stream's current value (a new stream gets the server's default: one replica, no limit).
 */
export interface StreamLimits {
  /** Servers holding a copy: 3 in a 3-server cluster survives the loss of one. */
  replicas?: number;
  /** Events older than this are removed (the outbox in MongoDB keeps them all). */
  maxAgeMs?: number;
  /** The oldest events are removed above this size. */
  maxBytes?: number;
}

/**
 * The stream variables every service reads (serviceConfigShape in libs/service-kit; they
 * have defaults there). Tests that build a config by hand may leave them out.
 */
export interface StreamLimitsConfig {
  STREAM_REPLICAS?: number;
  STREAM_MAX_AGE_MS?: number;
  STREAM_MAX_BYTES?: number;
}

export const streamLimitsOf = (config: StreamLimitsConfig): StreamLimits => ({
  replicas: config.STREAM_REPLICAS,
  maxAgeMs: config.STREAM_MAX_AGE_MS,
  maxBytes: config.STREAM_MAX_BYTES,
});

/** The limits as stream configuration, with only the fields that are set. */
function limitsConfig(limits: StreamLimits): Partial<StreamConfig> {
  return {
    ...(limits.replicas === undefined ? {} : { num_replicas: limits.replicas }),
    ...(limits.maxAgeMs === undefined ? {} : { max_age: nanos(limits.maxAgeMs) }),
    ...(limits.maxBytes === undefined ? {} : { max_bytes: limits.maxBytes }),
  };
}

/**
 * Sets an existing stream's replicas and retention (a KV bucket's stream too: `KV_<bucket>`),
 * when they differ. JetStream moves the data to the new number of servers itself.
 */
export async function applyStreamLimits(jsm: JetStreamManager, name: string, limits: StreamLimits) {
  const wanted = limitsConfig(limits);
  const { config } = await jsm.streams.info(name);
  const differs = Object.entries(wanted).some(
    ([field, value]) => config[field as keyof StreamConfig] !== value,
  );
  if (differs) await jsm.streams.update(name, wanted);
}

export interface StreamSetup extends StreamLimits {
  name: string;
  subjects: string[];
  /** Republishes of the same event id inside this window are dropped. */
  duplicateWindowMs?: number;
}

/**
 * Creates the stream, or updates its subjects, duplicate window and the limits given when
 * it exists (limits left out stay as they are).
 */
export async function ensureStream(jsm: JetStreamManager, setup: StreamSetup): Promise<void> {
  const config: Partial<StreamConfig> & { name: string } = {
    name: setup.name,
    subjects: setup.subjects,
    duplicate_window: nanos(setup.duplicateWindowMs ?? 10 * 60_000),
    ...limitsConfig(setup),
  };
  try {
    await jsm.streams.info(setup.name);
    await jsm.streams.update(setup.name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
  }
}

export interface ConsumerSetup {
  stream: string;
  /** Durable name: the consuming service and purpose, e.g. "party-building-case-resolved". */
  durable: string;
  filterSubjects: string[];
  maxDeliver: number;
  ackWaitMs: number;
  /** 1 makes the consumer a single writer: the next message waits for this one's ack. */
  maxAckPending?: number;
}

export async function ensureConsumer(jsm: JetStreamManager, setup: ConsumerSetup): Promise<void> {
  const config = {
    durable_name: setup.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    // A single filter uses the older field, which NATS servers before 2.10 understand too.
    ...(setup.filterSubjects.length === 1
      ? { filter_subject: setup.filterSubjects[0] }
      : { filter_subjects: setup.filterSubjects }),
    max_deliver: setup.maxDeliver,
    ack_wait: nanos(setup.ackWaitMs),
    max_ack_pending: setup.maxAckPending ?? 1_000,
  };
  try {
    await jsm.consumers.info(setup.stream, setup.durable);
    await jsm.consumers.update(setup.stream, setup.durable, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(setup.stream, config);
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamNotFound || error.code === JetStreamApiCodes.ConsumerNotFound)
  );
}
