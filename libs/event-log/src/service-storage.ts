import { type NatsConnectionConfig, natsConnectionOptions } from "@civic/service-kit";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type CommandStartedEvent, type Db, MongoClient } from "mongodb";
import type { Logger } from "pino";
import { EventLog } from "./event-log.js";
import { type StreamLimitsConfig, streamLimitsOf } from "./jetstream-setup.js";

export interface ServiceStorageConfig extends StreamLimitsConfig, NatsConnectionConfig {
  MONGODB_URI: string;
  MONGODB_DATABASE: string;
  EVENT_NAMESPACE: string;
}

/** What every consumer, projector and replica of a service is started with. */
export interface ServiceConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  logger: Logger;
  /** Subject namespace of the platform instance, "civic" by default. */
  namespace: string;
}

/** A service's own database, its NATS connection and its event log, opened together. */
export interface ServiceStorage {
  db: Db;
  nats: NatsConnection;
  eventLog: EventLog;
  consumerOptions: ServiceConsumerOptions;
  /** Closes the event log, drains NATS and closes MongoDB: the last steps of a service's stop. */
  closers: { name: string; stop: () => Promise<void> }[];
}

/**
 * Connects a service (the event domain `domain`) to MongoDB and NATS and opens its event
 * log. `onMongoCommand` sees every database command (benchmarks count them).
 */
export async function openServiceStorage(
  domain: string,
  config: ServiceStorageConfig,
  logger: Logger,
  options: {
    onMongoCommand?: (event: CommandStartedEvent) => void;
    /** The event log's clock; tests pass a fake one. */
    now?: () => Date;
  } = {},
): Promise<ServiceStorage> {
  const mongo = new MongoClient(config.MONGODB_URI, {
    monitorCommands: options.onMongoCommand !== undefined,
  });
  if (options.onMongoCommand) mongo.on("commandStarted", options.onMongoCommand);
  await mongo.connect();
  const db = mongo.db(config.MONGODB_DATABASE);
  const nats = await connect(natsConnectionOptions(config, domain));
  const eventLog = await EventLog.open({
    db,
    nats,
    domain,
    namespace: config.EVENT_NAMESPACE,
    stream: streamLimitsOf(config),
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    db,
    nats,
    eventLog,
    consumerOptions: { js: eventLog.js, jsm: eventLog.jsm, db, logger, namespace: config.EVENT_NAMESPACE },
    closers: [
      { name: "event log", stop: () => eventLog.close() },
      { name: "NATS", stop: () => nats.drain() },
      { name: "MongoDB", stop: () => mongo.close() },
    ],
  };
}
