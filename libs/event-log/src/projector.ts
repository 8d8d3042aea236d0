import type { Collection, Db } from "mongodb";
import type { CloudEvent } from "./cloud-event.js";
import { isDuplicateKeyError } from "./duplicate-key.js";
import { type EventConsumerOptions, type RunningConsumer, startEventConsumer } from "./event-consumer.js";

/**
 * A read model or counter computed from events, in stream order. Its state is split by
 * key (an area, a category, a month…) so that each event touches small documents.
 */
export interface Projection<State> {
  /** Also names the durable consumer: `projection-<name>`. */
  name: string;
  stream: string;
  filterSubjects: string[];
  initialState: () => State;
  /** The keys an event changes; one key ("all") when omitted. */
  keysOf?: (event: CloudEvent) => string[];
  apply: (state: State, event: CloudEvent, key: string) => State;
}

export const wholeProjection = "all";

/**
 * One applied event of one key of a projection: `_id` is "<projection>/<key>:<event id>",
 * so applying an event twice is refused by the primary key, and (projection, key, step)
 * is unique, so two instances cannot both write the step after the same state. The
 * newest step of a key holds its current state; older steps are pruned after `retainMs`.
 */
export interface ProjectionStep<State> {
  _id: string;
  projection: string;
  key: string;
  step: number;
  eventId: string;
  state: State;
  appliedAt: Date;
}

export interface ProjectedState<State> {
  state: State;
  /** How many events this key has applied. */
  step: number;
}

export function projectionSteps<State>(db: Db): Collection<ProjectionStep<State>> {
  return db.collection<ProjectionStep<State>>("projection_steps");
}

export async function ensureProjectionIndexes(db: Db): Promise<void> {
  await projectionSteps(db).createIndex(
    { projection: 1, key: 1, step: 1 },
    { name: "projection_key_step", unique: true },
  );
}

export async function readProjection<State>(
  db: Db,
  projection: Projection<State>,
  key: string = wholeProjection,
): Promise<ProjectedState<State>> {
  const [latest] = await projectionSteps<State>(db)
    .find({ projection: projection.name, key })
    .sort({ step: -1 })
    .limit(1)
    .toArray();
  return latest ? { state: latest.state, step: latest.step } : { state: projection.initialState(), step: 0 };
}

/** A projection's state for a key, read without the caller holding the database. */
export type ProjectionReader<State> = (key?: string) => Promise<ProjectedState<State>>;

/** The reader of `projection` in `db`, for the query use cases. */
export function projectionReader<State>(db: Db, projection: Projection<State>): ProjectionReader<State> {
  return (key) => readProjection(db, projection, key);
}

export type ProjectorOptions = Omit<
  EventConsumerOptions,
  "stream" | "durable" | "filterSubjects" | "handle" | "skipProcessed" | "maxAckPending"
> & { retainMs?: number; cachedKeys?: number };

/**
 * Runs a projection as a single writer: its durable consumer hands out one event at a
 * time, and every step is an insert that unique keys guard, so redelivery, duplicates
 * and a second replica change nothing. No update of a shared document is involved,
 * which keeps it correct on FerretDB too. A crash between two keys of one event is
 * finished by the redelivery: the keys already applied refuse the event again.
 */
export async function startProjector<State>(
  projection: Projection<State>,
  options: ProjectorOptions,
): Promise<RunningConsumer> {
  const steps = projectionSteps<State>(options.db);
  const now = options.now ?? (() => new Date());
  const retainMs = options.retainMs ?? 24 * 3_600_000;
  const cachedKeys = options.cachedKeys ?? 10_000;
  const latest = new Map<string, ProjectedState<State>>();

  const applyToKey = async (event: CloudEvent, key: string): Promise<void> => {
    const id = `${projection.name}/${key}:${event.id}`;
    for (;;) {
      const current = latest.get(key) ?? (await readProjection(options.db, projection, key));
      const next = { state: projection.apply(current.state, event, key), step: current.step + 1 };
      try {
        await steps.insertOne({
          _id: id,
          projection: projection.name,
          key,
          eventId: event.id,
          appliedAt: now(),
          ...next,
        });
        if (latest.size >= cachedKeys) latest.clear();
        latest.set(key, next);
        if (next.step % 100 === 0)
          await prune(steps, projection.name, key, now().getTime() - retainMs, next.step);
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        latest.delete(key);
        if ((await steps.countDocuments({ _id: id }, { limit: 1 })) > 0) return;
      }
    }
  };

  return startEventConsumer({
    ...options,
    stream: projection.stream,
    durable: `projection-${projection.name}`,
    filterSubjects: projection.filterSubjects,
    maxAckPending: 1,
    skipProcessed: false,
    handle: async ({ event }) => {
      for (const key of projection.keysOf?.(event) ?? [wholeProjection]) await applyToKey(event, key);
    },
  });
}

async function prune<State>(
  steps: Collection<ProjectionStep<State>>,
  projection: string,
  key: string,
  before: number,
  currentStep: number,
): Promise<void> {
  await steps.deleteMany({
    projection,
    key,
    appliedAt: { $lt: new Date(before) },
    step: { $lt: currentStep },
  });
}
