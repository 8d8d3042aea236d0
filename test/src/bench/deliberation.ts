/**
 * deliberation benchmarks:
 *   1. e-vote submission: BENCH_VOTERS electors (default 3,000) cast their ballots over gRPC,
 *      BENCH_CONCURRENCY (default 30) at a time, into one ballot box;
 *   2. the tally: closing a vote whose box holds BENCH_TALLY_BALLOTS ballots (default 10,000):
 *      seal, read, check the chain, count and publish; then the verification call;
 *   3. allocations under contention: BENCH_CONCURRENCY allocations at a time on one fund for
 *      BENCH_SECONDS (default 10); the balance is checked against the count at the end.
 *
 *   pnpm bench:deliberation      (FERRETDB_POSTGRESQL_URL / MONGODB_URI / NATS_URL as for pnpm bench)
 */
import { randomUUID } from "node:crypto";
import { deliberationV1 } from "@civic/contracts";
import { decideCast, evolveBallotBox, initialBallotBoxState, startDeliberation } from "@civic/deliberation";
import { type Caller, inProcessCallerTokens } from "@civic/service-kit";
import { startInfrastructure, uniqueDatabaseName } from "@civic/testing";
import * as grpc from "@grpc/grpc-js";
import { MongoClient } from "mongodb";
import { quietLogger } from "../support/platform.js";
import { deliberationTestAreas, publishAreas } from "../support/published-areas.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 30);
const voters = Number(process.env.BENCH_VOTERS ?? 3_000);
const tallyBallots = Number(process.env.BENCH_TALLY_BALLOTS ?? 10_000);
const area = "440402001002003";

const infrastructure = await startInfrastructure();
console.log(`infrastructure: ${infrastructure.describe}`);
const databaseName = uniqueDatabaseName("bench_deliberation");
const service = await startDeliberation(
  {
    MONGODB_URI: infrastructure.mongoUri,
    MONGODB_DATABASE: databaseName,
    NATS_URL: infrastructure.natsUrl,
    EVENT_NAMESPACE: `bench_${databaseName.slice(-8)}`,
    GRPC_PORT: 0,
    SHUTDOWN_GRACE_MS: 5_000,
  },
  quietLogger,
);
await publishAreas(
  infrastructure.natsUrl,
  `bench_${databaseName.slice(-8)}`,
  deliberationTestAreas,
  service.areas,
);
const address = `127.0.0.1:${service.grpcPort}`;
const insecure = grpc.credentials.createInsecure();
const options = {
  "grpc.max_receive_message_length": 64 * 1024 * 1024,
  "grpc.max_send_message_length": 64 * 1024 * 1024,
};
const councils = new deliberationV1.CouncilServiceClient(address, insecure, options);
const votes = new deliberationV1.VoteServiceClient(address, insecure, options);
const funds = new deliberationV1.FundServiceClient(address, insecure, options);
const resolutions = new deliberationV1.ResolutionServiceClient(address, insecure, options);

const callerTokens = (await inProcessCallerTokens()).issuer;
const as = (subject: string, roles: string[] = [], areas: string[] = []): Caller => ({
  subject,
  roles,
  areas,
});
const staff = as("bench-staff", ["community_staff"], [area]);
const call = <Request, Response>(
  method: (
    request: Request,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: Response) => void,
  ) => unknown,
  request: Request,
  caller: Caller,
) =>
  callerTokens
    .toMetadata(caller, new grpc.Metadata())
    .then(
      (metadata) =>
        new Promise<Response>((resolve, reject) =>
          method(request, metadata, { deadline: Date.now() + 600_000 }, (error, response) =>
            error ? reject(error) : resolve(response),
          ),
        ),
    );

const council = (
  await call(
    councils.createCouncil.bind(councils),
    {
      kind: deliberationV1.CouncilKind.COUNCIL_KIND_OWNERS_ASSEMBLY,
      areaId: area,
      name: "bench owners' assembly",
      seatCount: 3,
      termStart: "2026-01-01",
      termEnd: "2030-12-31",
    },
    staff,
  )
).council as deliberationV1.Council;

const electorsOf = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    voterId: `owner-${index}`,
    unitId: `unit-${index}`,
    floorAreaCentiM2: 8_000 + (index % 50) * 100,
  }));
const openVote = async (title: string, count: number) =>
  (
    await call(
      votes.openVote.bind(votes),
      {
        councilId: council.councilId,
        title,
        method: deliberationV1.VoteMethod.VOTE_METHOD_E_VOTE,
        rule: deliberationV1.ThresholdRule.THRESHOLD_RULE_OWNERS_ORDINARY,
        candidates: [],
        seats: 0,
        building: "",
        electors: electorsOf(count),
        closesAt: new Date(Date.now() + 3_600_000),
        subjectReference: "",
      },
      staff,
    )
  ).vote as deliberationV1.Vote;

// 1. E-vote submission.
const submission = await openVote("bench: submission", voters);
const callers = Array.from({ length: voters }, (_, index) => as(`owner-${index}`));
let next = 0;
let failed = 0;
const submitStarted = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < voters) {
      const index = next++;
      try {
        await call(
          votes.castBallot.bind(votes),
          { voteId: submission.voteId, unitId: "", choices: [index % 3 === 0 ? "no" : "yes"] },
          callers[index] as Caller,
        );
      } catch {
        failed++;
      }
    }
  }),
);
const submitSeconds = (performance.now() - submitStarted) / 1000;
console.log(
  `e-vote submission: ${voters} ballots, ${concurrency} at a time: ${(voters / submitSeconds).toFixed(1)} ballots/s (${submitSeconds.toFixed(1)} s, ${failed} failed)`,
);

// 2. The tally of a box with `tallyBallots` ballots: the ballots are written straight into the
// event log (the chain computed as the service computes it), then the vote is closed over gRPC.
const tallied = await openVote("bench: tally", tallyBallots);

let box = initialBallotBoxState();
const mongo = await MongoClient.connect(infrastructure.mongoUri);
const events = mongo.db(databaseName).collection("events");
const batch: Record<string, unknown>[] = [];
for (let index = 0; index < tallyBallots; index++) {
  const ballotId = randomUUID();
  const event = decideCast(
    tallied.voteId,
    {
      ballotId,
      votingKey: `unit-${index}`,
      choices: [index % 4 === 0 ? "no" : "yes"],
      areaCentiM2: 8_000 + (index % 50) * 100,
      castAt: new Date().toISOString(),
    },
    box,
  );
  box = evolveBallotBox(box, event);
  batch.push({
    // A ballot's event id is its ballot id, as the service stores it.
    _id: ballotId,
    stream: `box-${tallied.voteId}`,
    version: index + 1,
    type: event.type,
    subject: `bench.deliberation.${event.type}`,
    source: "bench",
    data: event.data,
    time: new Date(),
  });
}
for (let start = 0; start < batch.length; start += 1_000)
  await events.insertMany(batch.slice(start, start + 1_000));
const closeStarted = performance.now();
const closed = (await call(votes.closeVote.bind(votes), { voteId: tallied.voteId }, staff))
  .vote as deliberationV1.Vote;
const closeSeconds = (performance.now() - closeStarted) / 1000;
const verifyStarted = performance.now();
const verification = (await call(votes.verifyVote.bind(votes), { voteId: tallied.voteId }, staff))
  .verification;
const verifySeconds = (performance.now() - verifyStarted) / 1000;
console.log(
  `tally: close (seal, chain check, count, publish) of ${closed.result?.votesCast} ballots in ${closeSeconds.toFixed(2)} s; verification ${verifySeconds.toFixed(2)} s (intact: ${verification?.intact})`,
);

// 3. Allocations under contention on one fund.
const resolution = await openVote("bench: resolution", 3);
for (const index of [0, 1, 2]) {
  await call(
    votes.castBallot.bind(votes),
    { voteId: resolution.voteId, unitId: "", choices: ["yes"] },
    as(`owner-${index}`),
  );
}
await call(votes.closeVote.bind(votes), { voteId: resolution.voteId }, staff);
// Allocations rest on a recorded resolution, not on the adopted vote alone.
await call(
  resolutions.adoptResolution.bind(resolutions),
  {
    voteId: resolution.voteId,
    title: "bench: resolution",
    text: "bench",
    reviewDate: new Date(Date.now() + 86_400_000 * 30).toISOString().slice(0, 10),
  },
  staff,
);
const fund = (
  await call(
    funds.openFund.bind(funds),
    { areaId: area, name: "bench fund", kind: "community_happiness_fund" },
    staff,
  )
).fund as deliberationV1.Fund;
const creditFen = 1_000_000_000;
await call(funds.creditFund.bind(funds), { fundId: fund.fundId, amountFen: creditFen, note: "bench" }, staff);
let allocations = 0;
let allocationErrors = 0;
const until = Date.now() + seconds * 1_000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      try {
        await call(
          funds.allocateFromFund.bind(funds),
          { fundId: fund.fundId, amountFen: 100, purpose: "bench", resolutionId: resolution.voteId },
          staff,
        );
        allocations++;
      } catch {
        allocationErrors++;
      }
    }
  }),
);
const after = (await call(funds.getFund.bind(funds), { fundId: fund.fundId }, staff))
  .fund as deliberationV1.Fund;
console.log(
  `allocations on one fund, ${concurrency} at a time: ${(allocations / seconds).toFixed(1)} allocations/s (${allocationErrors} failed); balance ${after.balanceFen} fen = ${creditFen} − ${allocations} × 100: ${after.balanceFen === creditFen - allocations * 100}`,
);

await mongo.db(databaseName).dropDatabase();
await mongo.close();
for (const client of [councils, votes, funds]) client.close();
for (const step of service.stops) await step.stop();
await infrastructure.stop();
