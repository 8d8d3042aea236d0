import { type KV, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";

interface Waiter {
  resolve: (total: number) => void;
  reject: (error: unknown) => void;
}

/** Attempts at one compare-and-set before giving up (each loses only to another replica's write). */
const maxAttempts = 50;

/**
 * express-rate-limit's counts in a NATS KV bucket every gateway replica shares, so a client
 * gets the limit once, not once per replica. Windows are fixed, aligned to the epoch; each
 * (limit, client, window) is one entry holding its hits, added by compare-and-set on the
 * entry's revision. Within a replica, hits to one entry coalesce: one write is in flight per
 * entry and the hits that arrive meanwhile go in the next, so a burst from one client costs a
 * few writes instead of a conflict and retry per request. Old windows expire with the bucket.
 */
export class SharedRateLimitCounts {
  private constructor(private readonly bucket: KV) {}

  /** Opens (or creates) the bucket; entries outlive a window of `windowMs` by one more. */
  static async open(nats: NatsConnection, options: { bucket: string; windowMs: number }) {
    const bucket = await new Kvm(nats).create(options.bucket, { ttl: 2 * options.windowMs, history: 1 });
    return new SharedRateLimitCounts(bucket);
  }

  /** A store for one limiter; `prefix` keeps each limiter's counts apart. */
  store(prefix: string): Store {
    return new SharedCountStore(this.bucket, prefix);
  }
}

class SharedCountStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private readonly batches = new Map<string, { hits: number; waiters: Waiter[] }>();
  private readonly flushing = new Set<string>();

  constructor(
    private readonly bucket: KV,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { entryKey, resetTime } = this.window(key);
    const entry = await this.bucket.get(entryKey);
    if (entry?.operation !== "PUT") return undefined;
    return { totalHits: Number(entry.string()), resetTime };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { entryKey, resetTime } = this.window(key);
    return { totalHits: await this.add(entryKey), resetTime };
  }

  async decrement(key: string): Promise<void> {
    await this.addHits(this.window(key).entryKey, -1);
  }

  async resetKey(key: string): Promise<void> {
    await this.bucket.delete(this.window(key).entryKey);
  }

  private window(key: string): { entryKey: string; resetTime: Date } {
    const window = Math.floor(Date.now() / this.windowMs);
    // KV keys allow letters, digits and -/_=. only: the client key (an IP, a subject) is encoded.
    const client = Buffer.from(key).toString("base64url");
    return {
      entryKey: `${this.prefix}.${window}.${client}`,
      resetTime: new Date((window + 1) * this.windowMs),
    };
  }

  /** Adds one hit; resolves with the count right after it. */
  private add(entryKey: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const batch = this.batches.get(entryKey) ?? { hits: 0, waiters: [] };
      batch.hits += 1;
      batch.waiters.push({ resolve, reject });
      this.batches.set(entryKey, batch);
      if (!this.flushing.has(entryKey)) void this.flush(entryKey);
    });
  }

  private async flush(entryKey: string): Promise<void> {
    this.flushing.add(entryKey);
    try {
      for (let batch = this.batches.get(entryKey); batch; batch = this.batches.get(entryKey)) {
        this.batches.delete(entryKey);
        const { hits, waiters } = batch;
        try {
          const total = await this.addHits(entryKey, hits);
          waiters.forEach((waiter, index) => {
            waiter.resolve(total - hits + index + 1);
          });
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error);
        }
      }
    } finally {
      this.flushing.delete(entryKey);
    }
  }

  /** Adds `hits` to the entry by compare-and-set; returns the new count. */
  private async addHits(entryKey: string, hits: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const entry = await this.bucket.get(entryKey);
        if (entry?.operation !== "PUT") {
          await this.bucket.create(entryKey, String(hits));
          return hits;
        }
        const total = Number(entry.string()) + hits;
        await this.bucket.update(entryKey, String(total), entry.revision);
        return total;
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
      }
    }
  }
}
