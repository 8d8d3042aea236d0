import type { AggregateRepository, Executed, Loaded } from "./aggregate-repository.js";
import type { NewEvent } from "./event-store.js";
import { KeyedLock } from "./keyed-lock.js";
import { retryOnConflict } from "./retry-on-conflict.js";

/**
 * Writes to aggregates that many callers write at once (a ballot box, a fund). Within this
 * process the writers of one aggregate queue (no wasted reloads) and decide on the state the
 * last commit left in memory (no read per write). Another replica's write in between makes
 * the append lose on the unique (stream, version) key, and the aggregate is reloaded; a
 * refusal decided on the remembered state is decided again on a fresh load, so a stale
 * memory never refuses what the store would allow.
 */
export class HotAggregates<State, Event extends NewEvent> {
  private readonly lock = new KeyedLock();
  private readonly latest = new Map<string, Loaded<State>>();

  constructor(
    private readonly repository: AggregateRepository<State, Event>,
    private readonly remembered = 10_000,
  ) {}

  execute(
    id: string,
    decide: (state: State, version: number) => Event | undefined,
  ): Promise<Executed<State>> {
    return this.lock.run(id, async () => {
      const cached = this.latest.get(id);
      this.latest.delete(id);
      const fresh = () => retryOnConflict(() => this.repository.execute(id, decide));
      // Any failure on the remembered state (a refusal, a lost race) is decided again on a fresh load.
      const remembered = cached
        ? await this.repository.executeOn(id, cached, decide).catch(fresh)
        : await fresh();
      // So is "nothing to do": another replica may have written what it depends on.
      const result = cached && remembered.event === undefined ? await fresh() : remembered;
      this.remember(id, { state: result.state, version: result.version });
      return result;
    });
  }

  private remember(id: string, loaded: Loaded<State>): void {
    this.latest.set(id, loaded);
    if (this.latest.size > this.remembered) {
      const oldest = this.latest.keys().next().value;
      if (oldest !== undefined) this.latest.delete(oldest);
    }
  }
}
