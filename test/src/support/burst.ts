import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BurstAnswer, BurstPlan } from "./burst-client.js";

const client = fileURLToPath(new URL("../../dist/support/burst-client.js", import.meta.url));

/** Sends `plan.copies` copies of a request at the same moment from another process (see burst-client.ts). */
export async function burst(plan: BurstPlan): Promise<BurstAnswer[]> {
  if (!existsSync(client)) throw new Error(`${client} is missing: run \`pnpm build\` first`);
  // The plan goes in on stdin: with a token per copy it outgrows a command line.
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [client], { maxBuffer: 64 * 1024 * 1024 }, (error, output) =>
      error ? reject(error) : resolve(output),
    );
    child.stdin?.end(JSON.stringify(plan));
  });
  return JSON.parse(stdout) as BurstAnswer[];
}
