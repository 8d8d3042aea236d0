const checkEveryMs = 1_000;

/**
 * Calls `orphaned` once when this process's parent goes away (it is then adopted by PID 1
 * or a subreaper). A `pnpm start` killed with SIGKILL would otherwise leave the platform
 * running with nobody to stop it.
 */
export function whenOrphaned(orphaned: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    orphaned();
  }, checkEveryMs);
  timer.unref();
}
