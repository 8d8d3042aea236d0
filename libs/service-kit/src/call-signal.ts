import { AsyncLocalStorage } from "node:async_hooks";

const signals = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `work` as the handling of a call whose client gives up when `signal` aborts (it
 * cancelled, or its deadline passed): work deep down (the event store's append) reads it
 * without every use case passing it along.
 */
export function withCallSignal<T>(signal: AbortSignal, work: () => T): T {
  return signals.run(signal, work);
}

/** The signal of the call being handled; undefined outside a call. */
export function callSignal(): AbortSignal | undefined {
  return signals.getStore();
}

/**
 * Throws the abort reason (DeadlineExceededError, CallCancelledError) when the client of the
 * call being handled gave up: before a commit, so that work nobody waits for is not done.
 */
export function throwIfCallAborted(): void {
  signals.getStore()?.throwIfAborted();
}
