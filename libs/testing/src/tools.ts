import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

const installScript = resolve(import.meta.dirname, "../scripts/install-tools.sh");

export const toolsDir = () => process.env.CIVIC_TOOLS_DIR ?? join(homedir(), ".cache/civic-platform/tools");

/**
 * Path of an infrastructure binary (nats-server, ferretdb) at its pinned version, running
 * the install script first when it is missing.
 */
export function toolPath(name: "nats-server" | "ferretdb"): string {
  const path = join(toolsDir(), name);
  if (!existsSync(path)) {
    const result = spawnSync("bash", [installScript], { stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0 || !existsSync(path)) {
      throw new Error(`${name} is not installed and ${installScript} could not install it`);
    }
  }
  return path;
}
