import { metrics } from "@civic/telemetry";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { AggregateDescriptor } from "./aggregate-descriptor.js";
import { AggregateRepository } from "./aggregate-repository.js";
import { EventRelay } from "./event-relay.js";
import { EventStore, type NewEvent } from "./event-store.js";
import { domainStream, ensureStream, type StreamLimits } from "./jetstream-setup.js";
import { ensureProjectionIndexes } from "./projector.js";
import { RelayBook } from "./relay-marks.js";
import { RelaySweeper, type SnapshotRepairer } from "./relay-sweeper.js";
import { SnapshotStore } from "./snapshot-store.js";

export interface EventLogOptions {
  db: Db;
  nats: NatsConnection;
  /** The producing domain, e.g. "grid-cases": stream CIVIC_GRID_CASES, subjects civic.grid-cases.>. */
  domain: string;
  /** Subject namespace, "civic" unless several platform instances share one NATS. */
  namespace?: string;
  /** Replicas and retention of the domain's stream (STREAM_* variables: streamLimitsOf). */
  stream?: StreamLimits;
  logger: Logger;
  sweepIntervalMs?: number;
  now?: () => Date;
  /** Called after each sweep besides updating the outbox metrics. */
  onBacklog?: (backlog: { unpublished: number; oldestAgeSeconds: number }) => void;
}

/**
 * A service's event log wired together: the store, its JetStream stream, the relay that
 * publishes after each commit, and the sweeper that finishes what a crash left undone.
 */
export class EventLog {
  readonly store: EventStore;
  readonly book: RelayBook;
  readonly relay: EventRelay;
  readonly sweeper: RelaySweeper;
  readonly streamName: string;
  private readonly repositories: SnapshotRepairer[] = [];

  private constructor(
    private readonly options: EventLogOptions,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
  ) {
    const now = options.now ?? (() => new Date());
    const namespace = options.namespace ?? "civic";
    this.streamName = domainStream(options.domain, namespace).name;
    this.store = new EventStore(options.db, {
      source: `${namespace}/${options.domain}`,
      subjectPrefix: `${namespace}.${options.domain}`,
      now,
    });
    this.book = new RelayBook(options.db);
    this.relay = new EventRelay({ js, book: this.book, logger: options.logger, now });
    this.sweeper = new RelaySweeper({
      store: this.store,
      book: this.book,
      relay: this.relay,
      repositories: this.repositories,
      logger: options.logger,
      now,
      ...(options.sweepIntervalMs ? { intervalMs: options.sweepIntervalMs } : {}),
      onBacklog: (backlog) => {
        metrics.outboxUnpublishedEvents.set({ service: options.domain }, backlog.unpublished);
        metrics.outboxOldestUnpublishedAgeSeconds.set({ service: options.domain }, backlog.oldestAgeSeconds);
        options.onBacklog?.(backlog);
      },
    });
  }

  /** Creates indexes and the domain's stream. The stream step needs NATS to be up. */
  static async open(options: EventLogOptions): Promise<EventLog> {
    const jsm = await jetstreamManager(options.nats);
    const log = new EventLog(options, jetstream(options.nats), jsm);
    await Promise.all([
      log.store.ensureIndexes(),
      log.book.ensureIndexes(),
      ensureProjectionIndexes(options.db),
    ]);
    await ensureStream(jsm, { ...domainStream(options.domain, options.namespace), ...options.stream });
    return log;
  }

  /** The repository of one aggregate, with its snapshot store and indexes in the descriptor's collection. */
  async repository<State, Event extends NewEvent>(
    aggregate: AggregateDescriptor<State, Event>,
  ): Promise<AggregateRepository<State, Event>> {
    const { kind, collection, initialState, evolve, maxAttempts, snapshotIndexes = [] } = aggregate;
    const snapshots = new SnapshotStore<State>(this.options.db, collection);
    for (const { name, key } of snapshotIndexes) await snapshots.collection.createIndex(key, { name });
    const repository = new AggregateRepository<State, Event>({
      kind,
      store: this.store,
      snapshots,
      evolver: { initialState, evolve },
      publisher: this.relay,
      logger: this.options.logger,
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    });
    this.repositories.push(repository);
    return repository;
  }

  startSweeper(): void {
    this.sweeper.start();
  }

  async close(): Promise<void> {
    await this.sweeper.stop();
    await this.relay.flush();
  }
}
