/**
 * CloudEvents 1.0 envelope (structured JSON mode) as published on JetStream. The
 * extension attributes `stream` and `streamversion` name the aggregate stream and the
 * version the event committed; `traceparent` carries W3C trace context (also sent as a
 * NATS header).
 */
export interface CloudEvent<Data = Record<string, unknown>> {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: "application/json";
  data: Data;
  stream: string;
  streamversion: number;
  traceparent?: string;
}

export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
}

const requiredStrings = ["id", "source", "type", "subject", "time", "stream"] as const;

/** Parses and checks a received envelope; throws MalformedEventError when it is not one. */
export function parseCloudEvent(payload: string): CloudEvent {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    throw new MalformedEventError("payload is not JSON");
  }
  if (typeof value !== "object" || value === null) throw new MalformedEventError("payload is not an object");
  const event = value as Record<string, unknown>;
  if (event.specversion !== "1.0") throw new MalformedEventError("specversion is not 1.0");
  for (const key of requiredStrings) {
    if (typeof event[key] !== "string" || event[key] === "")
      throw new MalformedEventError(`${key} is missing`);
  }
  if (!Number.isInteger(event.streamversion))
    throw new MalformedEventError("streamversion is not an integer");
  if (typeof event.data !== "object" || event.data === null)
    throw new MalformedEventError("data is not an object");
  return event as unknown as CloudEvent;
}
