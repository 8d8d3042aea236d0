/**
 * Case intake through the gateway, next to a bare Express → gRPC echo in the same run.
 * Prints both rates, their ratio, and the database commands sent per intake (counted by
 * the MongoDB driver's command monitoring).
 *
 *   pnpm bench                      # local FerretDB (SQLite) and NATS, 10 s per scenario
 *   BENCH_SECONDS=30 BENCH_CONNECTIONS=50 FERRETDB_POSTGRESQL_URL=postgres://... pnpm bench
 */
import { startInfrastructure } from "@civic/testing";
import autocannon from "autocannon";
import { seedGeography } from "../support/geography.js";
import { startTestPlatform } from "../support/platform.js";
import { noiseComplaint } from "./bench-inputs.js";
import { startEchoPair } from "./echo-server.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

const intakeBody = JSON.stringify({ ...noiseComplaint, reporterName: "Mr Li" });

async function load(url: string): Promise<{ rate: number; completed: number; errors: number; p99: number }> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: intakeBody,
    connections,
    duration: seconds,
  });
  const completed = result["2xx"];
  return {
    rate: completed / seconds,
    completed,
    errors: result.non2xx + result.errors + result.timeouts,
    p99: result.latency.p99,
  };
}

const infrastructure = await startInfrastructure();
const commands = new Map<string, number>();
const platform = await startTestPlatform(infrastructure.mongoUri, infrastructure.natsUrl, 5_000, (event) =>
  commands.set(event.commandName, (commands.get(event.commandName) ?? 0) + 1),
);
await seedGeography(platform.gatewayUrl);
const echo = await startEchoPair();
try {
  console.log(`infrastructure: ${infrastructure.describe}; ${connections} connections, ${seconds} s each`);
  await load(`${echo.url}/echo`); // warm-up of the process, not measured
  const echoResult = await load(`${echo.url}/echo`);
  commands.clear();
  const intakeResult = await load(`${platform.gatewayUrl}/api/v1/cases`);
  const totalCommands = [...commands.values()].reduce((sum, count) => sum + count, 0);
  const row = (name: string, r: typeof echoResult) =>
    `${name.padEnd(28)} ${r.rate.toFixed(0).padStart(8)}/s  p99 ${String(r.p99).padStart(5)} ms  errors ${r.errors}`;
  console.log(row("bare Express → gRPC echo", echoResult));
  console.log(row("case intake via gateway", intakeResult));
  console.log(`intake / echo ratio: ${(intakeResult.rate / echoResult.rate).toFixed(3)}`);
  console.log(
    `database commands per intake: ${(totalCommands / Math.max(intakeResult.completed, 1)).toFixed(2)} (${[
      ...commands,
    ]
      .map(([name, count]) => `${name} ${count}`)
      .join(", ")})`,
  );
} finally {
  await echo.stop();
  await platform.stop();
  await infrastructure.stop();
}
