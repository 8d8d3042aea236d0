import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export type Tool = "nats-server" | "ferretdb";

const installScript = resolve(import.meta.dirname, "../scripts/install-tools.sh");

let installation: Promise<void> | undefined;

/** Where install-tools.sh puts the pinned binaries. */
export function toolsDir(): string {
  return process.env.CIVIC_TOOLS_DIR ?? join(homedir(), ".cache/civic-platform/tools");
}

/**
 * Path of a pinned infrastructure binary, running install-tools.sh (once per process) for
 * both infrastructure tools when it is missing.
 */
export async function toolPath(tool: Tool): Promise<string> {
  const path = join(toolsDir(), tool);
  if (existsSync(path)) return path;
  installation ??= runInstallScript();
  await installation;
  if (!existsSync(path)) throw new Error(`${installScript} finished but ${path} is still missing`);
  return path;
}

function runInstallScript(): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", [installScript, "nats-server", "ferretdb"], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolvePromise();
      else
        reject(new Error(`${installScript} failed (${signal ?? `exit code ${code}`}); its output is above`));
    });
  });
}
