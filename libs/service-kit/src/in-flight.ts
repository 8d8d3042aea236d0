/**
 * Counts calls being handled, so shutdown can say how many it is waiting for and wait
 * until none are left. One per process: handlers are built before the server exists.
 */
export class InFlightCalls {
  #count = 0;
  #waiters: (() => void)[] = [];

  get count(): number {
    return this.#count;
  }

  /** Marks a call started; call the returned function exactly once when it ends. */
  enter(): () => void {
    this.#count += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#count -= 1;
      if (this.#count === 0) for (const wake of this.#waiters.splice(0)) wake();
    };
  }

  /** Resolves once no call is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** The calls unaryHandler is handling in this process. */
export const inFlightCalls = new InFlightCalls();
