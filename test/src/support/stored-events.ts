import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { MongoClient } from "mongodb";
import { pause } from "./retrying-client.js";

export interface StoredEvent {
  _id: string;
  type: string;
  stream: string;
  version: number;
  data: Record<string, unknown>;
}

/** The events a service stored in its database (`events`), in no particular order. */
export async function storedEvents(mongo: MongoClient, database: string): Promise<StoredEvent[]> {
  return (await mongo
    .db(database)
    .collection("events")
    .find({}, { projection: { _id: 1, type: 1, stream: 1, version: 1, data: 1 } })
    .toArray()) as unknown as StoredEvent[];
}

/**
 * The ids of the events stored in `databases` and of the messages on the namespace's
 * JetStream streams (`Nats-Msg-Id`, once per message), read again until every stored event
 * is on a stream or `settleMs` has passed (the relay's sweeper republishes what a crash left).
 */
export async function storedAndPublished(
  mongo: MongoClient,
  databases: string[],
  natsUrl: string,
  namespace: string,
  settleMs = 60_000,
): Promise<{ stored: string[]; published: string[] }> {
  const connection = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(connection);
    const onStreams = async () => {
      const ids: string[] = [];
      for await (const stream of jsm.streams.list()) {
        if (!stream.config.name.startsWith(namespace.toUpperCase())) continue;
        for (let seq = stream.state.first_seq; seq <= stream.state.last_seq; seq++) {
          const message = await jsm.streams.getMessage(stream.config.name, { seq }).catch(() => null);
          const id = message?.header.get("Nats-Msg-Id");
          if (id) ids.push(id);
        }
      }
      return ids;
    };
    let stored: string[] = [];
    let published: string[] = [];
    const settleBy = Date.now() + settleMs;
    do {
      stored = [];
      for (const database of databases)
        stored.push(...(await storedEvents(mongo, database)).map((event) => String(event._id)));
      published = await onStreams();
      const onStream = new Set(published);
      if (stored.every((id) => onStream.has(id))) break;
      await pause(1_000);
    } while (Date.now() < settleBy);
    return { stored, published };
  } finally {
    await connection.close();
  }
}

/** What is wrong between the stored events and the stream messages; all empty when each stored event is on its stream once. */
export function streamMismatches({ stored, published }: { stored: string[]; published: string[] }) {
  const storedIds = new Set(stored);
  const publishedIds = new Set(published);
  return {
    publishedTwice: published.filter((id, index) => published.indexOf(id) !== index),
    storedNotPublished: stored.filter((id) => !publishedIds.has(id)),
    publishedNotStored: published.filter((id) => !storedIds.has(id)),
  };
}
