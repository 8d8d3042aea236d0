/**
 * Bursts of creating calls from another process against the whole platform (every service
 * and the production gateway wiring, rate limits raised): BENCH_BURST_CASES (default 500)
 * case submissions at once. Prints the answers by status with their latency, and how many
 * cases were stored, to show whether any request timed out (504) after its work was done.
 * Services admit GRPC_MAX_IN_FLIGHT calls at once (BENCH_MAX_IN_FLIGHT, default that of the
 * service kit) and refuse the rest with 503.
 *
 *   pnpm bench:burst      (MONGODB_URI, NATS_URL, FERRETDB_POSTGRESQL_URL as for pnpm bench)
 */
import { configureGrpcServing } from "@civic/service-kit";
import { startInfrastructure } from "@civic/testing";
import { burst } from "../support/burst.js";
import type { BurstAnswer } from "../support/burst-client.js";
import { seedGeography, testGrid } from "../support/geography.js";
import { startWholePlatform } from "../support/whole-platform.js";

const cases = Number(process.env.BENCH_BURST_CASES ?? 500);
const maxInFlight = process.env.BENCH_MAX_IN_FLIGHT;

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/** One line per status: how many, and their latency p50 / p99 / max in ms. */
function report(what: string, answers: BurstAnswer[], tookMs: number): void {
  console.log(`${what}: ${answers.length} requests, all answered in ${tookMs.toFixed(0)} ms`);
  const byStatus = new Map<number, number[]>();
  for (const answer of answers)
    byStatus.set(answer.status, [...(byStatus.get(answer.status) ?? []), answer.ms]);
  for (const [status, latencies] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `  ${status} × ${String(sorted.length).padStart(4)}   p50 ${percentile(sorted, 0.5).toFixed(0).padStart(5)} ms   p99 ${percentile(sorted, 0.99).toFixed(0).padStart(5)} ms   max ${(sorted.at(-1) ?? 0).toFixed(0).padStart(5)} ms`,
    );
  }
}

const infrastructure = await startInfrastructure({ log: (line) => console.log(`[infrastructure] ${line}`) });
console.log(`infrastructure: ${infrastructure.describe}`);
const platform = await startWholePlatform(infrastructure.mongoUri, infrastructure.natsUrl);
if (maxInFlight) configureGrpcServing({ maxCallsInFlight: Number(maxInFlight) });
try {
  await seedGeography(platform.gatewayUrl);
  const storedCases = async () =>
    Object.entries(await platform.storedDocuments({ settled: true }))
      .filter(([collection]) => collection.endsWith("_gc.cases"))
      .reduce((sum, [, count]) => sum + count, 0);
  const before = await storedCases();
  const started = performance.now();
  const answers = await burst({
    url: platform.gatewayUrl,
    method: "POST",
    path: "/api/v1/cases",
    headers: { "content-type": "application/json" },
    body: {
      channel: "hotline_12345",
      requestType: "complaint",
      categoryCode: "noise-nuisance",
      title: "Construction noise after 22:00",
      description: "Pile driving at the site next to building 3 every night this week.",
      areaId: testGrid,
      address: "Building 3, Lianhua Road",
    },
    copies: cases,
  });
  report(`${cases} case submissions at once`, answers, performance.now() - started);
  const stored = (await storedCases()) - before;
  const created = answers.filter((answer) => answer.status === 201).length;
  const timedOut = answers.filter((answer) => answer.status === 504).length;
  console.log(
    `  stored ${stored} cases for ${created} × 201: ${stored - created} done without a 201 (${timedOut} × 504 in all)`,
  );
  const refusals = answers.filter((answer) => answer.status === 503);
  if (refusals.length > 0) {
    console.log(`  every 503 with Retry-After: ${refusals.every((answer) => answer.retryAfter === "1")}`);
  }
} finally {
  await platform.stop();
  await infrastructure.stop();
}
