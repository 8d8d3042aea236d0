import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BurstAnswer, BurstPlan } from "./burst-client.js";

const client = fileURLToPath(new URL("../../dist/support/burst-client.js", import.meta.url));

/** Sends `plan.copies` copies of a request at the same moment from another process (see burst-client.ts). */
export async function burst(plan: BurstPlan): Promise<BurstAnswer[]> {
  if (!existsSync(client)) throw new Error(`${client} is missing: run \`pnpm build\` first`);
  const { stdout } = await promisify(execFile)(process.execPath, [client, JSON.stringify(plan)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as BurstAnswer[];
}
