import type { Logger } from "pino";

export interface Stopper {
  name: string;
  stop: () => Promise<void>;
}

/**
 * Runs the stoppers one after another, each bounded by `graceMs` (a step that hangs is
 * reported and left behind), logging each step. Resolves true when every step succeeded.
 */
export async function stopInOrder(options: {
  logger: Logger;
  stoppers: Stopper[];
  graceMs: number;
}): Promise<boolean> {
  const { logger, stoppers, graceMs } = options;
  let ok = true;
  for (const stopper of stoppers) {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not stop within ${graceMs} ms`)), graceMs);
    });
    logger.info({ step: stopper.name }, "stopping");
    try {
      await Promise.race([Promise.resolve().then(stopper.stop), timeout]);
      logger.info({ step: stopper.name, ms: Math.round(performance.now() - started) }, "stopped");
    } catch (error) {
      ok = false;
      logger.error({ step: stopper.name, err: error }, "stopping failed");
    } finally {
      clearTimeout(timer);
    }
  }
  return ok;
}

/**
 * Waits for SIGTERM or SIGINT, then stops the process in the given order (typically: the
 * gRPC server stops taking work and finishes in-flight calls, consumers stop, NATS
 * drains, database connections close, telemetry flushes), each step bounded by `graceMs`,
 * and exits 0, or 1 when a step failed or timed out. A second signal exits 1 at once.
 * Returns a function that removes the signal handlers.
 */
export function runUntilSignalled(options: {
  logger: Logger;
  stoppers: Stopper[];
  graceMs: number;
  /** For tests; default process.exit. */
  exit?: (code: number) => void;
}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info({ signal }, "shutting down");
    void stopInOrder(options).then((ok) => {
      options.logger.info({ ok }, ok ? "shut down" : "shut down with failures");
      exit(ok ? 0 : 1);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return () => {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  };
}
