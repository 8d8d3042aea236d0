import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { portIsFree } from "./free-port.js";

/** A child process whose recent output is kept for error messages. */
interface LocalProcess {
  running(): boolean;
  output(): string;
  stop(): Promise<void>;
}

const outputKept = 8_000;
const readyTimeoutMs = 30_000;

/**
 * Starts `command` in its own process group, so a Ctrl-C in the terminal reaches only
 * the parent, which stops its children in order. They are killed when the parent exits
 * normally, but outlive a parent killed by a signal.
 */
function startLocalProcess(command: string, args: string[], logFile: string | undefined): LocalProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  let exited = false;
  const keep = (text: string) => {
    output = (output + text).slice(-outputKept);
  };
  let log: NodeJS.WritableStream | undefined;
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    log = createWriteStream(logFile, { flags: "a" }).on("error", (error) =>
      keep(`\n[cannot write ${logFile}: ${error.message}]\n`),
    );
  }
  const onOutput = (chunk: Buffer) => {
    keep(chunk.toString());
    log?.write(chunk);
  };
  child.stdout?.on("data", onOutput);
  child.stderr?.on("data", onOutput);
  const killWithParent = () => child.kill("SIGKILL");
  process.once("exit", killWithParent);
  const onGone = () => {
    exited = true;
    process.off("exit", killWithParent);
  };
  child.once("exit", onGone);
  child.once("error", (error) => {
    keep(`\n[${error.message}]\n`);
    onGone();
  });
  child.once("close", () => log?.end());
  return {
    running: () => !exited,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Polls `ready` until it resolves true; fails with the process's output when it exits or times out. */
async function waitUntilReady(
  name: string,
  local: LocalProcess,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (!local.running()) throw new Error(`${name} exited while starting. Its output:\n${local.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await local.stop();
  throw new Error(`${name} was not ready after ${readyTimeoutMs} ms. Its output:\n${local.output()}`);
}

/** A local server that tests can stop and start again with the same arguments. */
export interface RestartableProcess {
  isRunning(): boolean;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again (stopping it first when it runs) and waits until it is ready. */
  restart(): Promise<void>;
}

export interface RestartableSpec {
  /** For error messages. */
  name: string;
  command: string;
  args: string[];
  /** The port it listens on on 127.0.0.1. */
  port: number;
  /** Resolves true (or rejects) once the server serves requests. */
  ready: () => Promise<boolean>;
  /** Appends the process's output here, across restarts. */
  logFile?: string;
}

export async function startRestartable(spec: RestartableSpec): Promise<RestartableProcess> {
  let current: LocalProcess | undefined;
  const start = async () => {
    // Otherwise the readiness check would pass against whatever already listens there.
    if (!(await portIsFree(spec.port))) {
      throw new Error(
        `${spec.name} cannot start: the port is in use (a server left over from an earlier run?)`,
      );
    }
    current = startLocalProcess(spec.command, spec.args, spec.logFile);
    await waitUntilReady(spec.name, current, spec.ready);
  };
  const stop = async () => {
    await current?.stop();
    current = undefined;
  };
  await start();
  return {
    isRunning: () => current?.running() ?? false,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
