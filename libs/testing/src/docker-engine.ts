import { existsSync } from "node:fs";

const confirmTimeoutMs = 3_000;

/**
 * Whether testcontainers can use a Docker engine. Without DOCKER_HOST or the default
 * socket this answers at once, so machines with only the Docker CLI fall through quickly;
 * otherwise testcontainers' own runtime check confirms it, with a time limit.
 */
export async function dockerEngineReachable(log: (line: string) => void): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync("/var/run/docker.sock")) return false;
  let testcontainers: typeof import("testcontainers");
  try {
    testcontainers = await import("testcontainers");
  } catch (error) {
    log(`Docker may be there, but testcontainers does not load on Node ${process.version}: ${error}`);
    return false;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${confirmTimeoutMs} ms`), confirmTimeoutMs);
  });
  const check = testcontainers.getContainerRuntimeClient().then(
    () => undefined,
    (error: unknown) => String(error),
  );
  const problem = await Promise.race([check, timeout]).finally(() => clearTimeout(timer));
  if (problem) log(`no usable Docker engine (${problem})`);
  return problem === undefined;
}
