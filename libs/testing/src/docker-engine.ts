import { existsSync } from "node:fs";
import { request } from "node:http";

/**
 * Whether a Docker engine answers, decided in well under a second: a machine with the
 * Docker CLI but no engine must fall through to local processes quickly.
 */
export async function dockerEngineReachable(): Promise<boolean> {
  if (process.env.DOCKER_HOST) return true;
  const socketPath = "/var/run/docker.sock";
  if (!existsSync(socketPath)) return false;
  return new Promise((resolve) => {
    const ping = request({ socketPath, path: "/_ping", timeout: 500 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ping.once("error", () => resolve(false));
    ping.once("timeout", () => {
      ping.destroy();
      resolve(false);
    });
    ping.end();
  });
}
