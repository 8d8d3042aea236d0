import type { CloudEvent } from "./cloud-event.js";

/**
 * One document of a service's `events` collection. Inserting it is the commit of a
 * state change (unique on stream + version) and it is also the outbox entry that the
 * relay publishes. `data` is plain JSON (timestamps as ISO strings), so what is stored is
 * exactly what is published.
 */
export interface StoredEvent<Data = Record<string, unknown>> {
  _id: string;
  stream: string;
  version: number;
  /** Event type relative to the service, e.g. "case.submitted". */
  type: string;
  /** NATS subject and CloudEvents type, e.g. "civic.grid-cases.case.submitted". */
  subject: string;
  source: string;
  data: Data;
  time: Date;
  traceparent?: string;
}

export function toCloudEvent<Data>(event: StoredEvent<Data>): CloudEvent<Data> {
  return {
    specversion: "1.0",
    id: event._id,
    source: event.source,
    type: event.subject,
    subject: event.stream,
    time: event.time.toISOString(),
    datacontenttype: "application/json",
    data: event.data,
    stream: event.stream,
    streamversion: event.version,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
  };
}
