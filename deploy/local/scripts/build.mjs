/**
 * `pnpm build` (tsc -b) for `pnpm start`, naming each package as it compiles it: the first
 * build of a fresh clone takes minutes, later ones seconds. tsc's other messages (errors
 * above all) pass through unchanged; its verbose report of what is up to date does not.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const say = (line) => console.log(`[civic] ${line}`);
const started = Date.now();
// "9:08:03 PM - Building project '/…/libs/contracts/tsconfig.json'...", the time in any locale.
const report = /^\[?[\d:.]+(?:\s?[AP]M)?\]? - (.*)$/;
const building = /^Building project '(.*)\/tsconfig\.json'/;

say("compiling TypeScript (tsc -b)");
const tsc = spawn("pnpm", ["exec", "tsc", "-b", "tsconfig.build.json", "--verbose"], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
let compiled = 0;
for await (const line of createInterface({ input: tsc.stdout })) {
  const message = report.exec(line)?.[1];
  const project = message && building.exec(message)?.[1];
  if (project) {
    compiled += 1;
    say(`compiling ${project.replace(root, "")}`);
  } else if (message === undefined && line.trim() !== "" && !/^\s+\* /.test(line)) {
    console.log(line);
  }
}
const code = await new Promise((done) => tsc.once("close", done));
if (code !== 0) {
  say(`compiling failed (tsc exit code ${code})`);
  process.exit(1);
}
const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
const packages = `${compiled} package${compiled === 1 ? "" : "s"}`;
say(compiled === 0 ? `compiled code is up to date (${took})` : `compiled ${packages} in ${took}`);
