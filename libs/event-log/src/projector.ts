import type { Collection, Db } from "mongodb";
import type { CloudEvent } from "./cloud-event.js";
import { isDuplicateKeyError } from "./duplicate-key.js";
import { type EventConsumerOptions, type RunningConsumer, startEventConsumer } from "./event-consumer.js";

/** A read model or counter computed from events, in stream order. */
export interface Projection<State> {
  /** Also names the durable consumer: `projection-<name>`. */
  name: string;
  stream: string;
  filterSubjects: string[];
  initialState: () => State;
  apply: (state: State, event: CloudEvent) => State;
}

/**
 * One applied event of a projection: `_id` is "<projection>:<event id>", so applying an
 * event twice is refused by the primary key, and (projection, step) is unique, so two
 * instances cannot both write the step after the same state. The newest step holds the
 * current state; older steps are pruned after `retainMs`.
 */
export interface ProjectionStep<State> {
  _id: string;
  projection: string;
  step: number;
  eventId: string;
  state: State;
  appliedAt: Date;
}

export interface ProjectedState<State> {
  state: State;
  /** How many events the projection has applied. */
  step: number;
}

export function projectionSteps<State>(db: Db): Collection<ProjectionStep<State>> {
  return db.collection<ProjectionStep<State>>("projection_steps");
}

export async function ensureProjectionIndexes(db: Db): Promise<void> {
  await projectionSteps(db).createIndex(
    { projection: 1, step: 1 },
    { name: "projection_step", unique: true },
  );
}

export async function readProjection<State>(
  db: Db,
  projection: Projection<State>,
): Promise<ProjectedState<State>> {
  const [latest] = await projectionSteps<State>(db)
    .find({ projection: projection.name })
    .sort({ step: -1 })
    .limit(1)
    .toArray();
  return latest ? { state: latest.state, step: latest.step } : { state: projection.initialState(), step: 0 };
}

export type ProjectorOptions = Omit<
  EventConsumerOptions,
  "stream" | "durable" | "filterSubjects" | "handle" | "skipProcessed" | "maxAckPending"
> & { retainMs?: number };

/**
 * Runs a projection as a single writer: its durable consumer hands out one event at a
 * time, and every step is an insert that unique keys guard, so redelivery, duplicates
 * and a second replica change nothing. No update of a shared document is involved,
 * which keeps it correct on FerretDB too.
 */
export async function startProjector<State>(
  projection: Projection<State>,
  options: ProjectorOptions,
): Promise<RunningConsumer> {
  const steps = projectionSteps<State>(options.db);
  const now = options.now ?? (() => new Date());
  const retainMs = options.retainMs ?? 24 * 3_600_000;
  let latest: ProjectedState<State> | undefined;

  const applyOnce = async (event: CloudEvent): Promise<void> => {
    const id = `${projection.name}:${event.id}`;
    for (;;) {
      latest ??= await readProjection(options.db, projection);
      const next = { state: projection.apply(latest.state, event), step: latest.step + 1 };
      try {
        await steps.insertOne({
          _id: id,
          projection: projection.name,
          eventId: event.id,
          appliedAt: now(),
          ...next,
        });
        latest = next;
        if (next.step % 100 === 0) await prune(steps, projection.name, now().getTime() - retainMs, next.step);
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        latest = undefined;
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
    handle: ({ event }) => applyOnce(event),
  });
}

async function prune<State>(
  steps: Collection<ProjectionStep<State>>,
  projection: string,
  before: number,
  currentStep: number,
): Promise<void> {
  await steps.deleteMany({ projection, appliedAt: { $lt: new Date(before) }, step: { $lt: currentStep } });
}
