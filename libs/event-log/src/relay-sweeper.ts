import type { Logger } from "pino";
import type { EventRelay } from "./event-relay.js";
import type { EventStore } from "./event-store.js";
import type { RelayBook } from "./relay-marks.js";
import { aggregateIdOf, streamKind } from "./stream-id.js";

/** What the sweeper needs from each aggregate repository to repair snapshots. */
export interface SnapshotRepairer {
  readonly kind: string;
  snapshotVersions(ids: string[]): Promise<Map<string, number>>;
  refreshSnapshot(id: string): Promise<void>;
}

export interface RelaySweeperOptions {
  store: EventStore;
  book: RelayBook;
  relay: EventRelay;
  repositories: SnapshotRepairer[];
  logger: Logger;
  intervalMs?: number;
  /** Events younger than this are still being handled by their writer: leave them be. */
  inFlightGraceMs?: number;
  /** The checkpoint stays this far behind now, to cover clock skew between replicas. */
  checkpointLagMs?: number;
  now?: () => Date;
  /** Reports the backlog after each pass (metrics). */
  onBacklog?: (backlog: { unpublished: number; oldestAgeSeconds: number }) => void;
}

export interface SweepReport {
  published: number;
  repairedSnapshots: number;
  unpublished: number;
}

/**
 * Finishes what a crash or an outage left undone: publishes committed events that no
 * relay mark covers, and rewrites snapshots that lag behind their streams. It looks only
 * at events since its checkpoint, so a pass costs the same however long the log grows.
 */
export class RelaySweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly options: RelaySweeperOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    const tick = () => {
      this.running = this.sweepOnce()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, "relay sweep failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 5_000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async sweepOnce(): Promise<SweepReport> {
    const { store, book, relay } = this.options;
    const now = this.now();
    const through = await book.checkpoint();
    const settledBefore = now.getTime() - (this.options.inFlightGraceMs ?? 2_000);
    const recent = await store.events
      .find({ time: { $gte: through } }, { projection: { _id: 1, stream: 1, version: 1, time: 1 } })
      .toArray();
    const settled = recent.filter((event) => event.time.getTime() <= settledBefore);
    const publishedIds = await book.publishedIds();
    const unpublished = settled.filter((event) => !publishedIds.has(event._id));

    const repairedSnapshots = await this.repairSnapshots(settled);

    let publishedNow = new Set<string>();
    if (unpublished.length > 0) {
      const events = await store.events
        .find({ _id: { $in: unpublished.map((event) => event._id) } })
        .sort({ time: 1 })
        .toArray();
      publishedNow = new Set((await relay.publishNow(events)).map((event) => event._id));
    }
    const stillUnpublished = unpublished.filter((event) => !publishedNow.has(event._id));
    const oldest = Math.min(
      ...stillUnpublished.map((event) => event.time.getTime()),
      Number.POSITIVE_INFINITY,
    );
    this.options.onBacklog?.({
      unpublished: stillUnpublished.length,
      oldestAgeSeconds: Number.isFinite(oldest) ? (now.getTime() - oldest) / 1000 : 0,
    });

    const newThrough = Math.min(oldest, now.getTime() - (this.options.checkpointLagMs ?? 60_000));
    if (newThrough > through.getTime()) await book.advanceCheckpoint(new Date(newThrough));

    const report = { published: publishedNow.size, repairedSnapshots, unpublished: stillUnpublished.length };
    if (report.published > 0 || report.repairedSnapshots > 0)
      this.options.logger.info(report, "relay sweep repaired");
    return report;
  }

  private async repairSnapshots(events: { stream: string; version: number }[]): Promise<number> {
    const latestByStream = new Map<string, number>();
    for (const { stream, version } of events) {
      latestByStream.set(stream, Math.max(version, latestByStream.get(stream) ?? 0));
    }
    let repaired = 0;
    for (const repository of this.options.repositories) {
      const streams = [...latestByStream.keys()].filter((stream) => streamKind(stream) === repository.kind);
      if (streams.length === 0) continue;
      const ids = streams.map(aggregateIdOf);
      const snapshotVersions = await repository.snapshotVersions(ids);
      for (const [index, id] of ids.entries()) {
        const latest = latestByStream.get(streams[index] as string) ?? 0;
        if ((snapshotVersions.get(id) ?? 0) < latest) {
          await repository.refreshSnapshot(id);
          repaired++;
        }
      }
    }
    return repaired;
  }
}
