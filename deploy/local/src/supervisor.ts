import { type ChildProcess, spawn } from "node:child_process";
import type { HealthProbe } from "./health-probes.js";
import { defaultRestartBackoff, type RestartBackoff, restartDelayMs } from "./restart-backoff.js";

export interface SupervisedSpec {
  name: string;
  /** A Node.js entry point. */
  entry: string;
  env: NodeJS.ProcessEnv;
  healthy: HealthProbe;
}

export interface SupervisorOptions {
  log: (line: string) => void;
  backoff?: RestartBackoff;
  /** How long a start may take to answer healthy. */
  startTimeoutMs?: number;
  /** How long a stop may take after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
}

const pollMs = 200;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const describeExit = (code: number | null, signal: NodeJS.Signals | null) =>
  signal ? `signal ${signal}` : `exit code ${code}`;

/**
 * A Node.js process kept running: started until healthy, restarted with backoff when it
 * exits on its own, stopped with SIGTERM. Each child has its own process group, so a
 * Ctrl-C in the terminal reaches only the start command, which stops children in order.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  /** Set once the first start was healthy: from then on, exits are restarted. */
  private supervising = false;
  private runStarted = 0;
  /** When the current run answered healthy; undefined until it does. */
  private healthySince: number | undefined;
  private stopping = false;
  private readonly backoff: RestartBackoff;
  private readonly startTimeoutMs: number;
  private readonly stopTimeoutMs: number;

  constructor(
    private readonly spec: SupervisedSpec,
    private readonly options: SupervisorOptions,
  ) {
    this.backoff = options.backoff ?? defaultRestartBackoff;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * The first start: resolves once healthy. Rejects when the process exits or stays
   * unhealthy before that (a configuration error is not helped by restarting).
   */
  async start(): Promise<void> {
    const child = this.spawn();
    const outcome = await this.untilHealthy(child);
    if (outcome !== "healthy") {
      throw new Error(`${this.spec.name} ${outcome} while starting (its output is above)`);
    }
    this.healthySince = Date.now();
    this.supervising = true;
    this.options.log(
      `${this.spec.name} healthy (pid ${child.pid}, ${seconds(Date.now() - this.runStarted)})`,
    );
  }

  /** SIGTERM, then SIGKILL after the stop timeout; no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !running(child)) return;
    await new Promise<void>((done) => {
      const kill = setTimeout(() => {
        this.options.log(
          `${this.spec.name} still running ${seconds(this.stopTimeoutMs)} after SIGTERM: SIGKILL`,
        );
        child.kill("SIGKILL");
      }, this.stopTimeoutMs);
      child.once("exit", () => {
        clearTimeout(kill);
        done();
      });
      child.kill("SIGTERM");
    });
  }

  private spawn(): ChildProcess {
    const child = spawn(process.execPath, [this.spec.entry], {
      env: this.spec.env,
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    this.child = child;
    this.runStarted = Date.now();
    this.healthySince = undefined;
    const killWithParent = () => child.kill("SIGKILL");
    process.once("exit", killWithParent);
    child.once("exit", (code, signal) => {
      process.off("exit", killWithParent);
      if (this.supervising && !this.stopping) this.scheduleRestart(code, signal);
    });
    return child;
  }

  private scheduleRestart(code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    const healthyMs = this.healthySince === undefined ? 0 : now - this.healthySince;
    if (healthyMs >= this.backoff.healthyRunMs) this.restarts = 0;
    const delay = restartDelayMs(this.backoff, this.restarts);
    this.restarts += 1;
    this.options.log(
      `${this.spec.name} exited (${describeExit(code, signal)}) after running ${seconds(now - this.runStarted)}; ` +
        `restart ${this.restarts} in ${seconds(delay)}`,
    );
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    const child = this.spawn();
    const outcome = await this.untilHealthy(child);
    if (outcome === "healthy") {
      this.healthySince = Date.now();
      this.options.log(
        `${this.spec.name} healthy again (pid ${child.pid}, ${seconds(Date.now() - this.runStarted)} after restart ${this.restarts})`,
      );
    } else if (outcome === "stayed unhealthy") {
      this.options.log(
        `${this.spec.name} not healthy ${seconds(this.startTimeoutMs)} after restart: SIGKILL`,
      );
      child.kill("SIGKILL");
    }
    // "exited": its exit handler has scheduled the next attempt.
  }

  private async untilHealthy(child: ChildProcess): Promise<"healthy" | "exited" | "stayed unhealthy"> {
    const deadline = Date.now() + this.startTimeoutMs;
    while (running(child) && !this.stopping) {
      if (await this.spec.healthy().catch(() => false)) return running(child) ? "healthy" : "exited";
      if (Date.now() > deadline) return "stayed unhealthy";
      await new Promise((done) => setTimeout(done, pollMs));
    }
    return "exited";
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
