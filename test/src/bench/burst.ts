/**
 * Bursts of creating calls from another process against the whole platform (every service
 * and the production gateway wiring, rate limits raised): BENCH_BURST_CASES (default 500)
 * case submissions at once, then BENCH_BURST_SIGN_UPS (default 1,000) volunteers signing up
 * at once for one shift of BENCH_BURST_PLACES (default 50) places. Prints the answers by
 * status with their latency, and what was stored, to show whether any request timed out
 * (504) after its work was done.
 * Services admit GRPC_MAX_IN_FLIGHT calls at once (BENCH_MAX_IN_FLIGHT, default that of the
 * service kit) and refuse the rest with 503.
 *
 * The services and the gateway run as OS processes of their own (their production bundles),
 * so an answer is not queued behind work in a shared event loop; BENCH_IN_PROCESS=1 runs them
 * all in this process as before. The gateway admits UPSTREAM_MAX_IN_FLIGHT requests per
 * service (BENCH_UPSTREAM_MAX_IN_FLIGHT) from their arrival, before rate limits, JWT and
 * Idempotency-Key, and refuses the excess at once (services/gateway/src/upstream-admission.ts).
 *
 *   pnpm bench:burst      (MONGODB_URI, NATS_URL, FERRETDB_POSTGRESQL_URL as for pnpm bench)
 *
 * BENCH_BURST_ROUNDS (default 3) rounds, each a case burst and a sign-up burst (a new shift):
 * the first meets a gateway whose code has not yet been optimised, as after a deploy; later
 * rounds show a gateway that has been serving.
 *
 * Measured 2026-12-07 on the 2-core machine, nothing else running (the bench client, five
 * services, the gateway, NATS and FerretDB share the cores): 500 cases → 64 × 201 (p50 0.5–0.8
 * s), 436 × 503 (round 1: p50 59 ms, p99 115 ms; round 3: p50 48 ms, p99 78 ms), 0 × 504, none
 * stored without a 201, 31–46 × 2xx/s; 1,000 sign-ups → 64 × 201, 936 × 503 (round 1: p50 145
 * ms, p99 213 ms; round 3: p50 68 ms, p99 106 ms), 0 × 504, 50 confirmed, 30–39 × 2xx/s.
 * How it got there: the door moved first in the gateway; the gateway listens with a backlog of
 * 4,096 (with Node's default, 511, a burst of new connections had SYNs dropped and resent a
 * second later: `nstat` TcpExtListenDrops); the burst client keeps every warmed connection and
 * writes HTTP itself (Node's HTTP client added about 100 ms to what it reported; with it the
 * refusals' p99 read 322 and 248 ms). The issue's "before" (87 × 201 and 413 × 504 in 5 s; 70 ×
 * 201 and 930 × 504) was 17 and 14 × 2xx/s. A refusal costs the gateway about 0.1–0.15 ms of
 * one event loop in Node's HTTP (`pnpm bench:door`), so a burst of 500–1,000 takes 50–150 ms to
 * refuse even when the gateway has a core to itself: the 50 ms p99 of the issue needs more
 * gateway replicas, on cores of their own, than this machine has.
 */
import { configureGrpcServing } from "@civic/service-kit";
import { startInfrastructure } from "@civic/testing";
import { MongoClient } from "mongodb";
import { burst } from "../support/burst.js";
import type { BurstAnswer } from "../support/burst-client.js";
import { seedGeography } from "../support/geography.js";
import { startProcessPlatform } from "../support/process-platform.js";
import { bearer } from "../support/tokens.js";
import { openShifts, registeredVolunteers } from "../support/volunteer-shifts.js";
import { startWholePlatform } from "../support/whole-platform.js";
import { noiseComplaint, percentile } from "./bench-inputs.js";

const cases = Number(process.env.BENCH_BURST_CASES ?? 500);
const signUps = Number(process.env.BENCH_BURST_SIGN_UPS ?? 1_000);
const places = Number(process.env.BENCH_BURST_PLACES ?? 50);
const rounds = Number(process.env.BENCH_BURST_ROUNDS ?? 3);
const community = "440402001002";
const maxInFlight = process.env.BENCH_MAX_IN_FLIGHT;
const upstreamMaxInFlight = process.env.BENCH_UPSTREAM_MAX_IN_FLIGHT;
const inProcess = process.env.BENCH_IN_PROCESS === "1";

/** One line per status: how many, and their latency p50 / p99 / max in ms. */
function report(what: string, answers: BurstAnswer[], tookMs: number): void {
  const succeeded = answers.filter((answer) => answer.status >= 200 && answer.status < 300).length;
  console.log(
    `${what}: ${answers.length} requests, all answered in ${tookMs.toFixed(0)} ms; ${(succeeded / (tookMs / 1000)).toFixed(0)} × 2xx/s`,
  );
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

/** A collection's document count once two readings a second apart agree (work set off has landed). */
async function settledCount(client: MongoClient, database: string, collection: string): Promise<number> {
  let last = -1;
  for (;;) {
    const count = await client.db(database).collection(collection).countDocuments();
    if (count === last) return count;
    last = count;
    await new Promise((done) => setTimeout(done, 1_000));
  }
}

const infrastructure = await startInfrastructure({ log: (line) => console.log(`[infrastructure] ${line}`) });
console.log(`infrastructure: ${infrastructure.describe}`);
const mongo = await MongoClient.connect(infrastructure.mongoUri);
const platform = inProcess
  ? await startWholePlatform(infrastructure.mongoUri, infrastructure.natsUrl, {
      ...(upstreamMaxInFlight ? { UPSTREAM_MAX_IN_FLIGHT: Number(upstreamMaxInFlight) } : {}),
    })
  : await startProcessPlatform({
      mongoUri: infrastructure.mongoUri,
      natsUrl: infrastructure.natsUrl,
      serviceEnv: { LOG_LEVEL: "info", ...(maxInFlight ? { GRPC_MAX_IN_FLIGHT: maxInFlight } : {}) },
      gatewayEnv: upstreamMaxInFlight ? { UPSTREAM_MAX_IN_FLIGHT: upstreamMaxInFlight } : {},
    });
if (inProcess && maxInFlight) configureGrpcServing({ maxCallsInFlight: Number(maxInFlight) });
console.log(`services: ${inProcess ? "all in this process" : "one OS process each"}`);
try {
  await seedGeography(platform.gatewayUrl);
  const storedCases = async () =>
    "storedDocuments" in platform
      ? Object.entries(await platform.storedDocuments({ settled: true }))
          .filter(([collection]) => collection.endsWith("_gc.cases"))
          .reduce((sum, [, count]) => sum + count, 0)
      : await settledCount(mongo, platform.databases["grid-cases"], "cases");
  /** The case burst: its answers, and whether anything was stored without a 201. */
  const caseBurst = async (round: number) => {
    const before = await storedCases();
    const started = performance.now();
    const answers = await burst({
      url: platform.gatewayUrl,
      method: "POST",
      path: "/api/v1/cases",
      headers: { "content-type": "application/json" },
      body: noiseComplaint,
      copies: cases,
    });
    report(`round ${round}: ${cases} case submissions at once`, answers, performance.now() - started);
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
  };

  // Sign-ups: volunteers registered beforehand, then all of them at once for one new shift a round.
  const staff = bearer("bench-staff", { roles: ["community_staff"], areas: [community] });
  const volunteers = await registeredVolunteers(platform.gatewayUrl, {
    prefix: "burst",
    count: signUps,
    areaId: community,
  });
  const signUpBurst = async (round: number) => {
    const [shiftId] = await openShifts(platform.gatewayUrl, staff, {
      stationId: `bench-burst-hut-${round}`,
      areaId: community,
      capacities: [places],
    });
    const started = performance.now();
    const answers = await burst({
      url: platform.gatewayUrl,
      method: "POST",
      path: `/api/v1/volunteer-shifts/${shiftId}/sign-ups`,
      headers: { "content-type": "application/json" },
      copies: signUps,
      variants: volunteers.map(({ volunteerId, authorization }) => ({
        headers: { authorization },
        body: { volunteerId },
      })),
    });
    report(
      `round ${round}: ${signUps} sign-ups at once for ${places} places`,
      answers,
      performance.now() - started,
    );
    const roster = (await (
      await fetch(`${platform.gatewayUrl}/api/v1/volunteer-shifts/${shiftId}/roster`, {
        headers: { authorization: staff },
      })
    ).json()) as { confirmed?: number; waitlisted?: number };
    const accepted = answers.filter((answer) => answer.status === 201).length;
    const recorded = (roster.confirmed ?? 0) + (roster.waitlisted ?? 0);
    console.log(
      `  roster: ${roster.confirmed} confirmed, ${roster.waitlisted} waitlisted: ${recorded - accepted} recorded without a 201 (${answers.filter((answer) => answer.status === 504).length} × 504 in all)`,
    );
  };

  for (let round = 1; round <= rounds; round += 1) {
    await caseBurst(round);
    await signUpBurst(round);
  }
} finally {
  await ("stop" in platform ? platform.stop() : platform.kill());
  await mongo.close();
  await infrastructure.stop();
}
