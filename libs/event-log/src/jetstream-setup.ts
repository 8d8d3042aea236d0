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
 * start in any order; the settings are the producer's own), and names its subjects.
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

export interface StreamSetup {
  name: string;
  subjects: string[];
  /** Republishes of the same event id inside this window are dropped. */
  duplicateWindowMs?: number;
}

/** Creates the stream, or updates its subjects and duplicate window when it exists. */
export async function ensureStream(jsm: JetStreamManager, setup: StreamSetup): Promise<void> {
  const config: Partial<StreamConfig> & { name: string } = {
    name: setup.name,
    subjects: setup.subjects,
    duplicate_window: nanos(setup.duplicateWindowMs ?? 10 * 60_000),
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
