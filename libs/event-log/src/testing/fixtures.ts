import { uniqueDatabaseName } from "@civic/testing";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import pino from "pino";
import type { AggregateDescriptor } from "../aggregate-descriptor.js";

/** A database of its own and a NATS connection for one test file. */
export interface TestBed {
  client: MongoClient;
  db: Db;
  nats: NatsConnection;
  close(): Promise<void>;
}

export async function openTestBed(mongoUri: string, natsUrl: string, prefix: string): Promise<TestBed> {
  const client = await MongoClient.connect(mongoUri);
  const db = client.db(uniqueDatabaseName(prefix));
  const nats = await connect({ servers: natsUrl });
  return {
    client,
    db,
    nats,
    async close() {
      await nats.drain();
      await db.dropDatabase();
      await client.close();
    },
  };
}

export const silentLogger = pino({ level: "silent" });

/** A counter aggregate: small enough to read, enough to exercise versions. */
export type CounterEvent = { type: "counter.added"; data: { amount: number } };
export type CounterState = { total: number };
export const counterAggregate: AggregateDescriptor<CounterState, CounterEvent> = {
  kind: "counter",
  collection: "counters",
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
  snapshotIndexes: [{ name: "total", key: { "state.total": 1 } }],
};
export const added = (amount: number): CounterEvent => ({ type: "counter.added", data: { amount } });

export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
