/**
 * The gateway's door alone: a burst of case submissions to a gateway whose every service is at
 * capacity (UPSTREAM_MAX_IN_FLIGHT 0), so every request is refused with 503. No service,
 * database or NATS runs beside it, so what it prints is the cost of a refusal itself: the
 * gateway's CPU per refusal, and the refusals' latency as the burst client (its own process)
 * sees it. A refusal's end-to-end latency in a burst is about the burst's size times that cost,
 * plus whatever else the gateway's event loop and the machine's cores are doing
 * (`pnpm bench:burst` measures it with the whole platform).
 *
 *   pnpm bench:door        BENCH_DOOR_REQUESTS (default 1,000), BENCH_DOOR_ROUNDS (default 5)
 *
 * Measured 2026-12-07 on the 2-core machine, nothing else running, rounds 1 to 5: 1,000 at once
 * → p99 266, 187, 140, 159, 170 ms (p50 70–170 ms); 500 at once (BENCH_DOOR_REQUESTS=500,
 * six rounds) → p99 145, 112, 85, 74, 83, 47 ms; gateway CPU ≤ 0.28–0.58 ms a request with the
 * warm-up's GET /healthz (through all of the gateway's middleware). The first rounds run code
 * V8 has not optimised yet. A CPU profile puts a refusal at about 0.1–0.15 ms: Node's HTTP
 * parsing, the socket write (writev alone about 0.05 ms) and GC; the door itself is a map
 * lookup. Two gateway processes (node:cluster) on these two cores did no better: the client
 * needs a core too.
 */
import { burst } from "../support/burst.js";
import { serveTestGateway } from "../support/platform.js";
import { bearer } from "../support/tokens.js";
import { noiseComplaint, percentile } from "./bench-inputs.js";

const requests = Number(process.env.BENCH_DOOR_REQUESTS ?? 1_000);
const rounds = Number(process.env.BENCH_DOOR_ROUNDS ?? 5);

// Nothing listens there: no request gets that far.
const gateway = await serveTestGateway(
  { "grid-cases": "127.0.0.1:9" },
  { deadlineMs: 5_000, upstreamMaxInFlight: 0 },
);
const token = bearer("bench-resident", { roles: ["resident"] });
try {
  for (let round = 1; round <= rounds; round += 1) {
    const cpuBefore = process.cpuUsage();
    const answers = await burst({
      url: gateway.url,
      method: "POST",
      path: "/api/v1/cases",
      headers: { "content-type": "application/json", authorization: token },
      body: noiseComplaint,
      copies: requests,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const refused = answers.filter((answer) => answer.status === 503);
    const latencies = refused.map((answer) => answer.ms).sort((a, b) => a - b);
    // The gateway's CPU in this round includes answering the client's connection warm-up (one
    // GET /healthz per connection), so it is an upper bound on a refusal's cost.
    const cpuPerRequestMs = (cpu.user + cpu.system) / 1000 / (2 * requests);
    console.log(
      `round ${round}: ${refused.length} × 503 of ${answers.length}; latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms; gateway CPU ≤ ${cpuPerRequestMs.toFixed(3)} ms a request`,
    );
  }
} finally {
  await gateway.close();
}
