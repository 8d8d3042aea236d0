import { AlreadyExistsError, ConflictError, InvalidArgumentError } from "@civic/domain-kit";
import type { AggregateRepository, NewEvent } from "@civic/event-log";

/** What a published version's state holds, whatever it publishes. */
interface PublishedState {
  status: "published";
  version: number;
}

/**
 * Data the platform keeps as numbered versions, one stream per version (its id is the
 * version number): the case-category catalogue, the routing rules. Publishing version n + 1
 * is a unique-key insert, so of two changes made from version n exactly one is stored; the
 * other is a conflict. Versions never change, so each one read is kept in memory.
 */
export class PublishedVersions<
  State extends { status: string },
  Event extends NewEvent,
  Published extends State & PublishedState,
> {
  private readonly known = new Map<number, Published>();
  private latestKnown = 0;

  constructor(
    private readonly repository: AggregateRepository<State, Event>,
    private readonly what: string,
  ) {}

  /** The newest version read so far; undefined before any. */
  latest(): Published | undefined {
    return this.known.get(this.latestKnown);
  }

  at(version: number): Published | undefined {
    return this.known.get(version);
  }

  /** Reads the versions published since the newest one known (by this or another replica). */
  async refresh(): Promise<void> {
    const newer = await this.repository.snapshots
      .find({ "state.version": { $gt: this.latestKnown } } as never)
      .toArray();
    for (const { state } of newer) {
      const published = state as unknown as Published;
      if (published.status !== "published") continue;
      this.known.set(published.version, published);
      this.latestKnown = Math.max(this.latestKnown, published.version);
    }
  }

  /**
   * Publishes the version after `baseVersion`, the one the caller changed: refused as a
   * conflict when a newer one exists or another change took the same number first.
   */
  async publish(baseVersion: number, decide: (state: State, version: number) => Event): Promise<Published> {
    if (!Number.isInteger(baseVersion) || baseVersion < 0) {
      throw new InvalidArgumentError([
        { field: "baseVersion", description: "must be the version the change starts from (0 before any)" },
      ]);
    }
    await this.refresh();
    if (baseVersion !== this.latestKnown) {
      throw new ConflictError(
        `${this.what} changed: version ${this.latestKnown} is current, the change starts from ${baseVersion}`,
        { currentVersion: this.latestKnown },
      );
    }
    const version = baseVersion + 1;
    try {
      const { state } = await this.repository.create(String(version), (initial) => decide(initial, version));
      await this.refresh();
      return state as unknown as Published;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      throw new ConflictError(`${this.what} version ${version} was published by another change first`, {
        currentVersion: version,
      });
    }
  }

  /** Publishes version 1 when none is stored; of replicas starting together one stores it. */
  async publishFirstIfAbsent(decide: (state: State, version: number) => Event): Promise<void> {
    await this.refresh();
    if (this.latestKnown === 0) {
      try {
        await this.repository.create("1", (initial) => decide(initial, 1));
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
    await this.refresh();
  }
}
