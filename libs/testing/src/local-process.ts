import { type ChildProcess, spawn } from "node:child_process";

/** A child process whose recent output is kept for error messages. */
export interface LocalProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `command` in its own process group, so a Ctrl-C in the terminal reaches only
 * the parent, which stops its children in order; the children die with the parent.
 */
export function startLocalProcess(command: string, args: string[]): LocalProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  const killWithParent = () => child.kill("SIGKILL");
  process.once("exit", killWithParent);
  child.once("exit", () => process.off("exit", killWithParent));
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Polls `ready` until it resolves true; fails with the process's output otherwise. */
export async function waitUntilReady(
  name: string,
  process: LocalProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) {
      throw new Error(`${name} exited with code ${process.child.exitCode}:\n${process.output()}`);
    }
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await process.stop();
  throw new Error(`${name} was not ready after ${timeoutMs} ms:\n${process.output()}`);
}

/** A local server that tests can stop and start again with the same arguments. */
export interface RestartableProcess {
  isRunning(): boolean;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRestartable(
  name: string,
  command: string,
  args: string[],
  ready: () => Promise<boolean>,
): Promise<RestartableProcess> {
  let current: LocalProcess | undefined;
  const start = async () => {
    const process = startLocalProcess(command, args);
    current = process;
    await waitUntilReady(name, process, ready);
  };
  await start();
  return {
    isRunning: () => current !== undefined,
    stop: async () => {
      await current?.stop();
      current = undefined;
    },
    restart: start,
  };
}
