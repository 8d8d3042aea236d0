import { AreaCode } from "@civic/domain-kit";
import {
  aggregateIdOf,
  type CloudEvent,
  ensureDomainStream,
  ensureProjectionIndexes,
  type Projection,
  projectionSteps,
  type RunningConsumer,
  readProjection,
  startProjector,
} from "@civic/event-log";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Db } from "mongodb";
import type { Logger } from "pino";

/** What another service knows of an area of grid-cases' tree: enough for "per 10,000 residents". */
export interface ReplicatedArea {
  areaId: string;
  level: string;
  name: string;
  parentId: string;
  population: number;
  households: number;
}

/** The area events grid-cases publishes that change what a replica keeps. */
const followedEvents = ["area.defined", "area.figures_updated"] as const;

/**
 * A keyed projection (one key per area) of grid-cases' area events, kept in the consuming
 * service's own database. `consumer` names the consuming service: each service follows
 * the stream with a durable consumer of its own.
 */
export function areaReplicaProjection(
  consumer: string,
  producer: { stream: string; subjectPrefix: string },
): Projection<ReplicatedArea | null> {
  return {
    name: `${consumer}-area-replica`,
    stream: producer.stream,
    filterSubjects: followedEvents.map((type) => `${producer.subjectPrefix}.${type}`),
    initialState: () => null,
    keysOf: (event) => [aggregateIdOf(event.subject)],
    apply: (area, event) => applyAreaEvent(area, event, producer.subjectPrefix),
  };
}

function applyAreaEvent(
  area: ReplicatedArea | null,
  event: CloudEvent,
  subjectPrefix: string,
): ReplicatedArea | null {
  const data = event.data;
  switch (event.type.slice(subjectPrefix.length + 1)) {
    case "area.defined":
      return {
        areaId: String(data.areaId),
        level: String(data.level),
        name: String(data.name),
        parentId: String(data.parentId ?? ""),
        population: Number(data.population),
        households: Number(data.households),
      };
    case "area.figures_updated":
      return area && { ...area, population: Number(data.population), households: Number(data.households) };
    default:
      return area;
  }
}

/** Reads the replica: one small read per area, however many events built it. */
export class AreaDirectory {
  constructor(
    private readonly db: Db,
    private readonly projection: Projection<ReplicatedArea | null>,
  ) {}

  async get(areaId: string): Promise<ReplicatedArea | undefined> {
    const { state } = await readProjection(this.db, this.projection, areaId);
    return state ?? undefined;
  }

  /**
   * The areas whose code starts with `prefix` (the area itself and everything below it;
   * codes are prefixes of their children's), optionally of one level, by code. One read of
   * the replica's steps for that range: for listings and coverage figures, not hot paths.
   */
  async within(prefix: string, level?: string): Promise<ReplicatedArea[]> {
    if (!AreaCode.isPrefix(prefix, { min: 1 })) return [];
    const steps = await projectionSteps<ReplicatedArea | null>(this.db)
      .find({ projection: this.projection.name, key: { $gte: prefix, $lt: `${prefix}:` } })
      .toArray();
    const latest = new Map<string, { step: number; state: ReplicatedArea | null }>();
    for (const step of steps) {
      const known = latest.get(step.key);
      if (!known || known.step < step.step) latest.set(step.key, step);
    }
    return [...latest.values()]
      .flatMap(({ state }) => (state && (level === undefined || state.level === level) ? [state] : []))
      .sort((a, b) => a.areaId.localeCompare(b.areaId));
  }
}

export interface AreaReplicaOptions {
  /** The consuming service, e.g. "social-registry": names its durable consumer. */
  consumer: string;
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  logger: Logger;
  /** Subject namespace of the platform instance, "civic" by default. */
  namespace?: string;
}

export interface RunningAreaReplica {
  directory: AreaDirectory;
  stop(): Promise<void>;
}

/** Follows grid-cases' area events into this service's database. */
export async function startAreaReplica(options: AreaReplicaOptions): Promise<RunningAreaReplica> {
  const gridCases = await ensureDomainStream(options.jsm, "grid-cases", options.namespace);
  const projection = areaReplicaProjection(options.consumer, {
    stream: gridCases.name,
    subjectPrefix: gridCases.subjectPrefix,
  });
  await ensureProjectionIndexes(options.db);
  const projector: RunningConsumer = await startProjector(projection, {
    js: options.js,
    jsm: options.jsm,
    db: options.db,
    logger: options.logger,
  });
  return { directory: new AreaDirectory(options.db, projection), stop: () => projector.stop() };
}
