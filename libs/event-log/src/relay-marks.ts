import type { Collection, Db } from "mongodb";
import { v7 as uuidv7 } from "uuid";
import { isDuplicateKeyError } from "./duplicate-key.js";

/**
 * What the relay has published, one document per published batch. Kept in a small
 * collection of its own so that marking events published never updates the (large)
 * events collection; the sweeper prunes marks older than its checkpoint.
 */
export interface RelayMark {
  _id: string;
  eventIds: string[];
  newestEventTime: Date;
  publishedAt: Date;
}

export interface RelayCheckpoint {
  _id: "relay";
  /** Every event with an earlier time is known to be published. */
  through: Date;
}

export class RelayBook {
  readonly marks: Collection<RelayMark>;
  readonly checkpoints: Collection<RelayCheckpoint>;

  constructor(db: Db) {
    this.marks = db.collection<RelayMark>("relay_marks");
    this.checkpoints = db.collection<RelayCheckpoint>("relay_checkpoint");
  }

  async ensureIndexes(): Promise<void> {
    await this.marks.createIndex({ newestEventTime: 1 }, { name: "newest_event_time" });
  }

  async recordPublished(events: { _id: string; time: Date }[], publishedAt: Date): Promise<void> {
    if (events.length === 0) return;
    const newestEventTime = new Date(Math.max(...events.map((event) => event.time.getTime())));
    await this.marks.insertOne({
      _id: uuidv7(),
      eventIds: events.map((event) => event._id),
      newestEventTime,
      publishedAt,
    });
  }

  async publishedIds(): Promise<Set<string>> {
    const marks = await this.marks.find({}, { projection: { eventIds: 1 } }).toArray();
    return new Set(marks.flatMap((mark) => mark.eventIds));
  }

  async checkpoint(): Promise<Date> {
    const checkpoint = await this.checkpoints.findOne({ _id: "relay" });
    return checkpoint?.through ?? new Date(0);
  }

  /** Only the sweeper moves the checkpoint, and only forward from what it verified. */
  async advanceCheckpoint(through: Date): Promise<void> {
    // Sweepers on several replicas may overwrite each other: each writes only a time it
    // verified, so the checkpoint can fall back a little but never skip an event.
    const updated = await this.checkpoints.updateOne({ _id: "relay" }, { $set: { through } });
    if (updated.matchedCount === 0) {
      await this.checkpoints.insertOne({ _id: "relay", through }).catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
    }
    await this.marks.deleteMany({ newestEventTime: { $lt: through } });
  }
}
