/**
 * Runs operations on the same key one after another within this process. Writers of a hot
 * stream (a ballot box, a fund) in one replica then queue instead of racing each other for
 * the same version and reloading; races between replicas are still decided by the event
 * store's unique (stream, version) key.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<Result>(key: string, operation: () => Promise<Result>): Promise<Result> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(operation, operation);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }
}
