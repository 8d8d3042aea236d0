import { ensureDomainStream } from "@civic/event-log";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { v7 as uuidv7 } from "uuid";

/**
 * Publishes a CloudEvent on `<namespace>.<domain>.<type>` as that domain's service would
 * (its stream created if missing), under a fresh event id unless `id` is given.
 */
export async function publishAsDomain(
  nats: NatsConnection,
  namespace: string,
  domain: string,
  type: string,
  data: Record<string, unknown>,
  id: string = uuidv7(),
): Promise<void> {
  await ensureDomainStream(await jetstreamManager(nats), domain, namespace);
  const subject = `${namespace}.${domain}.${type}`;
  const aggregate = `${type.split(".")[0]}-${uuidv7()}`;
  const event = {
    specversion: "1.0",
    id,
    source: `${namespace}/${domain}`,
    type: subject,
    subject: aggregate,
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    data,
    stream: aggregate,
    streamversion: 1,
  };
  await jetstream(nats).publish(subject, JSON.stringify(event), { msgID: id });
}

/** Reads until `accept` holds or `timeoutMs` passes; returns the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
