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
 * Measured 2026-12-07 on the 2-core machine, nothing else running: 1,000 at once → p50 174–219
 * ms, p99 284–364 ms, gateway CPU ≤ 0.30–0.49 ms a request (with the warm-up's GET /healthz);
 * 500 at once → p99 about 300 ms. Node's HTTP parsing and socket writes are most of a refusal
 * (a CPU profile shows writev, the HTTP server and GC; the door itself is a map lookup).
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
