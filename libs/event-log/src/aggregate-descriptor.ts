import type { Evolver } from "./aggregate-repository.js";
import type { NewEvent } from "./event-store.js";

/**
 * Everything the event log needs to know of one aggregate, in the style of Emmett's decider:
 * its kind (the prefix of its stream ids), the collection that caches its snapshots, and how
 * its state follows from its events. `EventLog.repository` builds the repository and its
 * snapshot store, with its indexes, from it; a service lists its descriptors in `src/aggregates.ts`.
 */
export interface AggregateDescriptor<State, Event extends NewEvent> extends Evolver<State, Event> {
  /** The prefix of the aggregate's stream ids, e.g. "case" for "case-<id>". */
  kind: string;
  /** The collection of its snapshots, which list queries read. */
  collection: string;
  /** The indexes that the queries over its snapshots need (MongoDB uses them; FerretDB scans). */
  snapshotIndexes?: SnapshotIndex[];
  /** Reloads and decides again this many times when another writer wins a version (default 3). */
  maxAttempts?: number;
}

/** An index of a snapshot collection, e.g. `{ name: "area", key: { "state.areaId": 1 } }`. */
export interface SnapshotIndex {
  name: string;
  key: Record<string, 1 | -1>;
}
