import type { Evolver } from "./aggregate-repository.js";
import type { NewEvent } from "./event-store.js";

/**
 * Everything the event log needs to know of one aggregate, in the style of Emmett's decider:
 * its kind (the prefix of its stream ids), the collection that caches its snapshots, and how
 * its state follows from its events. `EventLog.repository` builds the repository and its
 * snapshot store from it; a service lists its descriptors in `src/aggregates.ts`.
 */
export interface AggregateDescriptor<State, Event extends NewEvent> extends Evolver<State, Event> {
  /** The prefix of the aggregate's stream ids, e.g. "case" for "case-<id>". */
  kind: string;
  /** The collection of its snapshots, which list queries read. */
  collection: string;
  /** Reloads and decides again this many times when another writer wins a version (default 3). */
  maxAttempts?: number;
}
