import { callReadOptions, throwIfCallAborted } from "@civic/service-kit";
import type { Collection, Db } from "mongodb";
import { v7 as uuidv7 } from "uuid";
import { isDuplicateKeyError } from "./duplicate-key.js";
import type { StoredEvent } from "./stored-event.js";

export interface NewEvent<Data extends object = object> {
  type: string;
  data: Data;
  /**
   * An id the caller decides (deterministic, e.g. the id of the thing the event records):
   * a second append of the same id, to any stream or version, fails with EventIdTakenError,
   * so a retried write stores its event once. Without it the store gives a new UUIDv7.
   */
  id?: string;
}

export interface EventStoreOptions {
  /** CloudEvents source of this service, e.g. "civic/grid-cases". */
  source: string;
  /** NATS subject prefix of this service's events, e.g. "civic.grid-cases". */
  subjectPrefix: string;
  now?: () => Date;
  newEventId?: () => string;
}

/** Raised when another writer already committed the version this append wanted. */
export class StreamVersionTakenError extends Error {
  override readonly name = "StreamVersionTakenError";
  constructor(
    readonly stream: string,
    readonly attemptedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`stream ${stream} is at version ${currentVersion}; version ${attemptedVersion} is taken`);
  }
}

/** Raised when an event with this caller-chosen id is already stored: the write happened before. */
export class EventIdTakenError extends Error {
  override readonly name = "EventIdTakenError";
  constructor(readonly eventId: string) {
    super(`an event with id ${eventId} is already stored`);
  }
}

/**
 * The service's event log: one `events` collection with a unique index on
 * (stream, version). Appending version n+1 of a stream is the commit; the unique index
 * decides races on MongoDB and on FerretDB alike.
 */
export class EventStore {
  readonly events: Collection<StoredEvent>;
  readonly now: () => Date;
  /** NATS subject prefix of this service's events, e.g. "civic.grid-cases". */
  readonly subjectPrefix: string;
  private readonly newEventId: () => string;

  constructor(
    db: Db,
    private readonly options: EventStoreOptions,
  ) {
    this.events = db.collection<StoredEvent>("events");
    this.now = options.now ?? (() => new Date());
    this.subjectPrefix = options.subjectPrefix;
    this.newEventId = options.newEventId ?? uuidv7;
  }

  async ensureIndexes(): Promise<void> {
    // One index per command: FerretDB v1 drops the connection when a createIndexes with
    // several indexes meets indexes that already exist.
    await this.events.createIndex({ stream: 1, version: 1 }, { name: "stream_version", unique: true });
    await this.events.createIndex({ time: 1 }, { name: "time" });
  }

  /** Commits `event` as `version` of `stream`; throws StreamVersionTakenError on a lost race. */
  async append(stream: string, version: number, event: NewEvent, traceparent?: string): Promise<StoredEvent> {
    const stored: StoredEvent = {
      _id: event.id ?? this.newEventId(),
      stream,
      version,
      type: event.type,
      subject: `${this.subjectPrefix}.${event.type}`,
      source: this.options.source,
      data: event.data as Record<string, unknown>,
      time: this.now(),
      ...(traceparent ? { traceparent } : {}),
    };
    // The client of the call behind this append gave up (deadline passed, cancelled): it was
    // told the outcome is unknown, and committing now would only do work nobody waits for.
    throwIfCallAborted();
    try {
      await this.events.insertOne(stored);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      if (event.id !== undefined && (await this.hasEvent(event.id))) throw new EventIdTakenError(event.id);
      throw new StreamVersionTakenError(stream, version, await this.currentVersion(stream));
    }
    return stored;
  }

  /** Whether an event with this id is stored (one `_id` lookup). */
  async hasEvent(eventId: string): Promise<boolean> {
    return (await this.events.countDocuments({ _id: eventId }, { limit: 1 })) > 0;
  }

  /**
   * Events of `stream` after `afterVersion`, in version order; at most `limit` of them if given.
   * Within a call the read stops at its deadline.
   */
  readStream(stream: string, afterVersion = 0, limit?: number): Promise<StoredEvent[]> {
    const cursor = this.events
      .find({ stream, version: { $gt: afterVersion } }, callReadOptions())
      .sort({ version: 1 });
    return (limit === undefined ? cursor : cursor.limit(limit)).toArray();
  }

  async currentVersion(stream: string): Promise<number> {
    const [latest] = await this.events
      .find({ stream }, { projection: { version: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    return latest?.version ?? 0;
  }
}
