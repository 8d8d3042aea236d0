import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const repositoryRoot = resolve(import.meta.dirname, "../../..");
const outputKept = 20_000;

/**
 * A service's production bundle (`services/<name>/dist/main.js`, built by `pnpm test`)
 * running as an OS process of its own: killed with SIGKILL and started again by the test,
 * which decides when (no supervisor restarts it behind the test's back).
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private kept = "";

  constructor(
    readonly name: string,
    private readonly env: NodeJS.ProcessEnv,
    /** Resolves true once the process serves; gets the output of the current run. */
    private readonly ready: (output: string) => Promise<boolean>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The process's latest output, for failure messages. */
  output(): string {
    return this.kept;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const entry = resolve(repositoryRoot, `services/${this.name}/dist/main.js`);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first`);
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.kept = "";
    const keep = (chunk: Buffer) => {
      this.kept = (this.kept + chunk.toString()).slice(-outputKept);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!running(child)) throw new Error(`${this.name} exited while starting:\n${this.kept}`);
      if (await this.ready(this.kept).catch(() => false)) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    child.kill("SIGKILL");
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.kept}`);
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !running(child)) return;
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGKILL");
    await exited;
  }

  /** SIGTERM (SIGKILL after 10 s), and waits until the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !running(child)) return;
    const exited = new Promise((done) => child.once("exit", done));
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.kill("SIGTERM");
    await exited;
    clearTimeout(kill);
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
