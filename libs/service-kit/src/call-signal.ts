import { AsyncLocalStorage } from "node:async_hooks";

interface CallScope {
  signal: AbortSignal;
  deadline: Date | undefined;
}

const calls = new AsyncLocalStorage<CallScope>();

/**
 * Runs `work` as the handling of a call whose client gives up when `signal` aborts (it
 * cancelled, or its `deadline` passed): work deep down (the event store's append, database
 * reads) reads them without every use case passing them along.
 */
export function withCallSignal<T>(signal: AbortSignal, work: () => T, deadline?: Date): T {
  return calls.run({ signal, deadline }, work);
}

/** The signal of the call being handled; undefined outside a call. */
export function callSignal(): AbortSignal | undefined {
  return calls.getStore()?.signal;
}

/**
 * Throws the abort reason (DeadlineExceededError, CallCancelledError) when the client of the
 * call being handled gave up: before a commit, so that work nobody waits for is not done.
 */
export function throwIfCallAborted(): void {
  calls.getStore()?.signal.throwIfAborted();
}

/**
 * `{ maxTimeMS }` for a database read made for the call being handled: the time left before
 * its deadline (at least 1 ms), so the database stops the read once nobody waits for it.
 * Empty outside a call or for a call without a deadline.
 */
export function callReadOptions(): { maxTimeMS?: number } {
  const deadline = calls.getStore()?.deadline;
  return deadline ? { maxTimeMS: Math.max(1, deadline.getTime() - Date.now()) } : {};
}
