import type { Logger } from "pino";

export interface Stopper {
  name: string;
  stop: () => Promise<void>;
}

/**
 * Waits for SIGTERM or SIGINT, then stops the process in the given order (typically: the
 * server stops taking work and finishes in-flight calls, consumers stop, NATS drains,
 * database connections close, telemetry flushes), each step bounded by `graceMs`. A
 * second signal exits at once.
 */
export function runUntilSignalled(options: { logger: Logger; stoppers: Stopper[]; graceMs: number }): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    options.logger.info({ signal }, "shutting down");
    void stopAll(options).then((failed) => process.exit(failed ? 1 : 0));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

async function stopAll({
  logger,
  stoppers,
  graceMs,
}: {
  logger: Logger;
  stoppers: Stopper[];
  graceMs: number;
}) {
  let failed = false;
  for (const stopper of stoppers) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not stop within ${graceMs} ms`)), graceMs);
    });
    try {
      await Promise.race([stopper.stop(), timeout]);
      logger.info({ step: stopper.name }, "stopped");
    } catch (error) {
      failed = true;
      logger.error({ step: stopper.name, err: error }, "stopping failed");
    } finally {
      clearTimeout(timer);
    }
  }
  return failed;
}
