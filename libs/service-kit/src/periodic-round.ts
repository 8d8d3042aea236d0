import type { Logger } from "pino";

/**
 * Runs `round` every `intervalMs`, one round at a time (a slow round is not overlapped by the
 * next); a failed round is logged and the next one retries. `stop` waits for a running round.
 */
export class PeriodicRound {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly name: string,
    private readonly round: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.round()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, `${this.name} failed; the next round retries`),
        )
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
