/**
 * grid-cases benchmarks, each next to its baseline in the same run:
 *   1. case submission straight over gRPC, next to a bare gRPC echo;
 *   2. one SLA-watcher pass over BENCH_OPEN_CASES open cases (default 100,000) of which
 *      BENCH_DUE_CASES (default 1,000) are past their resolve deadline.
 *
 *   pnpm bench:grid-cases      (BENCH_SECONDS, BENCH_CONCURRENCY, FERRETDB_POSTGRESQL_URL as for pnpm bench)
 */
import { randomBytes } from "node:crypto";
import { gridCasesV1 } from "@civic/contracts";
import { EventLog, type Snapshot } from "@civic/event-log";
import {
  type CaseState,
  caseAggregate,
  evolveCase,
  initialCaseState,
  type OpenCase,
  SlaWatcher,
} from "@civic/grid-cases";
import { inProcessCallerTokens } from "@civic/service-kit";
import { startInfrastructure, uniqueDatabaseName } from "@civic/testing";
import * as grpc from "@grpc/grpc-js";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { seedGeography, testGrid } from "../support/geography.js";
import { quietLogger, startTestPlatform } from "../support/platform.js";
import { startEchoPair } from "./echo-server.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const openCases = Number(process.env.BENCH_OPEN_CASES ?? 100_000);
const dueCases = Number(process.env.BENCH_DUE_CASES ?? 1_000);

/** Keeps `concurrency` calls in flight for `seconds`; returns completed calls per second. */
async function closedLoop(call: () => Promise<unknown>): Promise<{ rate: number; errors: number }> {
  const until = Date.now() + seconds * 1_000;
  let completed = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        try {
          await call();
          completed++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { rate: completed / seconds, errors };
}

const infrastructure = await startInfrastructure();
console.log(`infrastructure: ${infrastructure.describe}`);

// 1. Submission over gRPC next to an echo RPC.
const platform = await startTestPlatform(infrastructure.mongoUri, infrastructure.natsUrl, 5_000);
await seedGeography(platform.gatewayUrl);
const echo = await startEchoPair();
const cases = new gridCasesV1.CaseServiceClient(
  `127.0.0.1:${platform.gridCases.grpcPort}`,
  grpc.credentials.createInsecure(),
);
const callerTokens = (await inProcessCallerTokens()).issuer;
const benchCaller = { subject: "bench", roles: ["public"], areas: [] };
const request = gridCasesV1.SubmitCaseRequest.fromPartial({
  channel: gridCasesV1.Channel.CHANNEL_HOTLINE_12345,
  requestType: gridCasesV1.RequestType.REQUEST_TYPE_COMPLAINT,
  categoryCode: "noise-nuisance",
  title: "Construction noise after 22:00",
  description: "Pile driving next to building 3 every night",
  areaId: testGrid,
});
// Each call signs its caller token, as the gateway does for each request.
const submit = async () => {
  const metadata = await callerTokens.toMetadata(benchCaller, new grpc.Metadata());
  return new Promise((resolve, reject) =>
    cases.submitCase(request, metadata, (error, response) => (error ? reject(error) : resolve(response))),
  );
};
const echoResult = await closedLoop(() => echo.callEcho({ hello: "world" }));
const submitResult = await closedLoop(submit);
console.log(
  `gRPC echo (baseline)           ${echoResult.rate.toFixed(0).padStart(7)}/s  errors ${echoResult.errors}`,
);
console.log(
  `SubmitCase over gRPC           ${submitResult.rate.toFixed(0).padStart(7)}/s  errors ${submitResult.errors}`,
);
console.log(`submission / echo ratio: ${(submitResult.rate / echoResult.rate).toFixed(3)}`);
cases.close();
await echo.stop();
await platform.stop();

// 2. One SLA-watcher pass over many open cases, few of them due.
const mongo = await MongoClient.connect(infrastructure.mongoUri);
const db = mongo.db(uniqueDatabaseName("bench_sla"));
const nats = await connect({ servers: infrastructure.natsUrl });
const now = new Date("2026-06-01T02:00:00Z");
const eventLog = await EventLog.open({
  db,
  nats,
  domain: "grid-cases",
  namespace: `bench${randomBytes(3).toString("hex")}`,
  logger: quietLogger,
  now: () => now,
});
const repository = await eventLog.repository(caseAggregate);
const snapshots = repository.snapshots;

const template = evolveCase(initialCaseState(), {
  type: "case.submitted",
  data: {
    caseId: "",
    channel: "app",
    requestType: "complaint",
    categoryCode: "property-management",
    title: "t",
    description: "d",
    areaId: testGrid,
    address: "",
    reporterName: "",
    anonymous: true,
    reporterPhoneMasked: "",
    reporterPhoneSealed: "",
    submittedBy: "bench",
    submittedAt: "2026-05-01T00:00:00.000Z",
  },
}) as OpenCase;
const loadStarted = Date.now();
for (let start = 0; start < openCases; start += 2_000) {
  const batch: Snapshot<CaseState>[] = [];
  for (let index = start; index < Math.min(start + 2_000, openCases); index++) {
    const due = index % Math.ceil(openCases / dueCases) === 0;
    const resolve = due ? "2026-05-20T16:00:00.000Z" : "2026-07-01T16:00:00.000Z";
    const caseId = `bench-${index.toString().padStart(7, "0")}`;
    batch.push({
      _id: caseId,
      version: 1,
      updatedAt: now,
      state: {
        ...template,
        caseId,
        status: "in_progress",
        deadlines: { policy: "standard", resolve },
        nextDueAt: resolve,
      },
    });
  }
  await snapshots.insertMany(batch as never[]);
}
const loadSeconds = (Date.now() - loadStarted) / 1000;
const passStarted = performance.now();
const pass = await new SlaWatcher(repository, quietLogger, () => now, 5_000).passOnce();
const passMs = performance.now() - passStarted;
console.log(`loaded ${openCases.toLocaleString()} open case snapshots in ${loadSeconds.toFixed(1)} s`);
console.log(
  `SLA watcher pass: ${pass.dueCases.toLocaleString()} due cases found, ${pass.breaches.toLocaleString()} breaches recorded in ${passMs.toFixed(0)} ms (${(passMs / Math.max(pass.breaches, 1)).toFixed(2)} ms per breach)`,
);
await eventLog.close();
await nats.drain();
await db.dropDatabase();
await mongo.close();
await infrastructure.stop();
