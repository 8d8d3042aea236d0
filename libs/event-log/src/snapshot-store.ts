import { callReadOptions } from "@civic/service-kit";
import type { Collection, Db } from "mongodb";
import { isDuplicateKeyError } from "./duplicate-key.js";

export interface Snapshot<State> {
  _id: string;
  version: number;
  state: State;
  updatedAt: Date;
}

/**
 * Current state of each aggregate, as a cache of its event stream. A snapshot may lag
 * behind its stream (a crash after the append, or two writers finishing out of order on
 * FerretDB): loading adds the later events, and the relay sweeper repairs it.
 */
export class SnapshotStore<State> {
  readonly collection: Collection<Snapshot<State>>;

  constructor(db: Db, collectionName: string) {
    this.collection = db.collection<Snapshot<State>>(collectionName);
  }

  /** The snapshot; within a call the read stops at its deadline. */
  get(id: string): Promise<Snapshot<State> | null> {
    return this.collection.findOne({ _id: id }, callReadOptions());
  }

  /** Writes `state` at `version` unless the stored snapshot is already as new. */
  async write(id: string, version: number, state: State, updatedAt: Date): Promise<void> {
    const snapshot = { _id: id, version, state, updatedAt };
    // A new aggregate has no snapshot yet: one insert is the whole write.
    if (version === 1 && (await this.tryInsert(snapshot))) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      const updated = await this.collection.updateOne(
        { _id: id, version: { $lt: version } },
        { $set: { version, state, updatedAt } as Partial<Snapshot<State>> },
      );
      if (updated.matchedCount > 0) return;
      const existing = await this.collection.findOne({ _id: id }, { projection: { version: 1 } });
      if (existing && existing.version >= version) return;
      if (!existing && (await this.tryInsert(snapshot))) return;
    }
  }

  private async tryInsert(snapshot: Snapshot<State>): Promise<boolean> {
    try {
      await this.collection.insertOne(snapshot as never);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
