import {
  AlreadyExistsError,
  ConflictError,
  FailedPreconditionError,
  millisecondsSinceArrival,
} from "@civic/service-kit";
import { currentTraceparent } from "@civic/telemetry";
import type { Collection } from "mongodb";
import type { Logger } from "pino";
import { type EventStore, type NewEvent, StreamVersionTakenError } from "./event-store.js";
import type { SnapshotRepairer } from "./relay-sweeper.js";
import type { Snapshot, SnapshotStore } from "./snapshot-store.js";
import type { StoredEvent } from "./stored-event.js";
import { assertAggregateKind, streamId } from "./stream-id.js";

/** The pure half of a decider: how state follows from events. */
export interface Evolver<State, Event extends NewEvent> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
}

export interface Loaded<State> {
  state: State;
  /** Version of the last applied event; 0 when the aggregate does not exist. */
  version: number;
}

export interface Committed<State> extends Loaded<State> {
  event: StoredEvent;
}

/** What `execute` returns: the commit, or the unchanged state when the decision was "nothing to do". */
export type Executed<State> = Committed<State> | (Loaded<State> & { event?: undefined });

/** Anything that publishes committed events (the relay). */
export interface EventPublisher {
  publish(events: StoredEvent[]): void;
}

export interface AggregateRepositoryOptions<State, Event extends NewEvent> {
  /** Aggregate kind, the prefix of its stream ids, e.g. "case". */
  kind: string;
  store: EventStore;
  snapshots: SnapshotStore<State>;
  evolver: Evolver<State, Event>;
  publisher: EventPublisher;
  logger: Logger;
  /** Reloads and decides again this many times when another writer wins a version. */
  maxAttempts?: number;
}

/**
 * Loads an aggregate (snapshot plus later events), lets a decision produce the next
 * event, commits it by appending the next version, then caches the new state and hands
 * the event to the relay. A crash after the append loses nothing: the sweeper publishes
 * the event and repairs the snapshot.
 */
export class AggregateRepository<State, Event extends NewEvent> implements SnapshotRepairer {
  readonly kind: string;
  /** The snapshots' collection, which list queries read and index. */
  readonly snapshots: Collection<Snapshot<State>>;

  constructor(private readonly options: AggregateRepositoryOptions<State, Event>) {
    assertAggregateKind(options.kind);
    this.kind = options.kind;
    this.snapshots = options.snapshots.collection;
  }

  async load(id: string): Promise<Loaded<State>> {
    const { store, snapshots, evolver } = this.options;
    const snapshot = await snapshots.get(id);
    let state = snapshot ? snapshot.state : evolver.initialState();
    let version = snapshot?.version ?? 0;
    for (const event of await store.readStream(streamId(this.kind, id), version)) {
      state = evolver.evolve(state, event as unknown as Event);
      version = event.version;
    }
    return { state, version };
  }

  /** Commits the first event of a new aggregate without reading anything. */
  async create(id: string, decide: (initial: State) => Event): Promise<Committed<State>> {
    const initial = this.options.evolver.initialState();
    const event = decide(initial);
    try {
      return await this.commit(id, { state: initial, version: 0 }, event);
    } catch (error) {
      if (error instanceof StreamVersionTakenError)
        throw new AlreadyExistsError(`${this.kind} ${id} already exists`);
      throw error;
    }
  }

  /**
   * Loads the aggregate, decides, and commits. With `expectedVersion`, a caller that saw an
   * older version gets a ConflictError naming the current one; without it, a lost race is
   * retried on fresh state. A decision may return undefined: nothing to do, nothing stored.
   *
   * A refusal (FailedPreconditionError) that only the race's winner caused is a lost race
   * too, and becomes a ConflictError: when this call lost an append, or when the state the
   * aggregate had as the request arrived would have allowed the command. A command that was
   * refused on the state its client asked about stays refused.
   */
  async execute(
    id: string,
    decide: (state: State, version: number) => Event | undefined,
    expectedVersion?: number,
  ): Promise<Executed<State>> {
    const maxAttempts = expectedVersion === undefined ? (this.options.maxAttempts ?? 3) : 1;
    let lostAppend = false;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(id);
      if (expectedVersion !== undefined && expectedVersion !== loaded.version) {
        throw this.conflict(id, loaded.version);
      }
      const event = await this.decideOrExplainRefusal(id, loaded, decide, lostAppend);
      if (event === undefined) return loaded;
      try {
        return await this.commit(id, loaded, event);
      } catch (error) {
        if (!(error instanceof StreamVersionTakenError)) throw error;
        if (attempt >= maxAttempts) throw this.conflict(id, error.currentVersion);
        lostAppend = true;
      }
    }
  }

  /**
   * Decides on a state the caller already holds (`loaded`: what the last commit returned, kept
   * in memory by the process that serialises a hot aggregate's writes) and commits without
   * reading. If another writer took the version meanwhile, the append loses on the unique
   * key, and the aggregate is reloaded and decided again as `execute` does; nothing is
   * decided on a state the store no longer holds.
   */
  async executeOn(
    id: string,
    loaded: Loaded<State>,
    decide: (state: State, version: number) => Event | undefined,
  ): Promise<Executed<State>> {
    const event = await this.decideOrExplainRefusal(id, loaded, decide, false);
    if (event === undefined) return loaded;
    try {
      return await this.commit(id, loaded, event);
    } catch (error) {
      if (!(error instanceof StreamVersionTakenError)) throw error;
      return this.execute(id, decide);
    }
  }

  private async decideOrExplainRefusal(
    id: string,
    loaded: Loaded<State>,
    decide: (state: State, version: number) => Event | undefined,
    lostAppend: boolean,
  ): Promise<Event | undefined> {
    try {
      return decide(loaded.state, loaded.version);
    } catch (error) {
      if (!(error instanceof FailedPreconditionError)) throw error;
      if (lostAppend || (await this.allowedAsRequestArrived(id, decide))) {
        throw this.conflict(id, loaded.version, error);
      }
      throw error;
    }
  }

  /** Whether the command would have been decided, on the state the aggregate had when the request arrived. */
  private async allowedAsRequestArrived(
    id: string,
    decide: (state: State, version: number) => Event | undefined,
  ): Promise<boolean> {
    const sinceArrival = millisecondsSinceArrival();
    if (sinceArrival === undefined) return false;
    const { store, evolver } = this.options;
    const arrivedAt = store.now().getTime() - sinceArrival;
    const events = await store.readStream(streamId(this.kind, id), 0);
    const last = events.at(-1);
    if (last === undefined || last.time.getTime() <= arrivedAt) return false;
    let state = evolver.initialState();
    let version = 0;
    for (const event of events) {
      if (event.time.getTime() > arrivedAt) break;
      state = evolver.evolve(state, event as unknown as Event);
      version = event.version;
    }
    if (version === 0) return false;
    try {
      decide(state, version);
      return true;
    } catch {
      return false;
    }
  }

  async snapshotVersions(ids: string[]): Promise<Map<string, number>> {
    const snapshots = await this.options.snapshots.collection
      .find({ _id: { $in: ids } } as never, { projection: { version: 1 } })
      .toArray();
    return new Map(snapshots.map((snapshot) => [snapshot._id, snapshot.version]));
  }

  /** Rewrites the snapshot from the stream; the sweeper calls it after a crash. */
  async refreshSnapshot(id: string): Promise<void> {
    const { state, version } = await this.load(id);
    if (version > 0) await this.options.snapshots.write(id, version, state, this.options.store.now());
  }

  private async commit(id: string, loaded: Loaded<State>, event: Event): Promise<Committed<State>> {
    const { store, snapshots, evolver, publisher, logger } = this.options;
    const version = loaded.version + 1;
    const stored = await store.append(streamId(this.kind, id), version, event, currentTraceparent());
    const state = evolver.evolve(loaded.state, event);
    try {
      await snapshots.write(id, version, state, stored.time);
    } catch (error) {
      logger.warn(
        { err: error, stream: stored.stream, version },
        "snapshot write failed; the sweeper will repair it",
      );
    }
    publisher.publish([stored]);
    return { state, version, event: stored };
  }

  private conflict(id: string, currentVersion: number, refusedNow?: FailedPreconditionError): ConflictError {
    const changed = `${this.kind} ${id} was changed concurrently; it is now at version ${currentVersion}`;
    return refusedNow
      ? new ConflictError(`${changed}, where: ${refusedNow.message}`, { currentVersion, refusedNow })
      : new ConflictError(changed, { currentVersion });
  }
}
