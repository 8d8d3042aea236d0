/**
 * When to restart a crashed process: 1 s after the first crash, doubling with each crash
 * that follows, at most 30 s; a process that stayed healthy for a minute before it crashed
 * starts again from 1 s.
 */
export interface RestartBackoff {
  initialMs: number;
  maxMs: number;
  /** A run at least this long after becoming healthy resets the delay. */
  healthyRunMs: number;
}

export const defaultRestartBackoff: RestartBackoff = {
  initialMs: 1_000,
  maxMs: 30_000,
  healthyRunMs: 60_000,
};

/** The delay before restart number `restart` (0 for the first restart since a healthy run). */
export function restartDelayMs(backoff: RestartBackoff, restart: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** restart);
}
