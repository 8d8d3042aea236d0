/**
 * A case-statistics query with 10 thousand and with 1 million cases behind the projection.
 *
 * The projection's documents are what the projector would have left after the history:
 * each key's newest step, plus every step of the last 24 hours (older steps are pruned).
 * They are computed with the service's own counting rules (countCaseEvent, statisticsKeysOf)
 * and written straight into a fresh database, because replaying a million cases through the
 * service would take hours on FerretDB; the query is the service's own CaseStatisticsDesk.
 * Both histories have the same daily intake; the larger one is just longer.
 *
 *   pnpm bench:case-statistics   (BENCH_CASES_PER_DAY, default 900; BENCH_ROUNDS, default 10; FERRETDB_POSTGRESQL_URL as for pnpm bench)
 */
import type { ProjectionStep } from "@civic/event-log";
import { ensureProjectionIndexes, projectionReader, projectionSteps } from "@civic/event-log";
import {
  type CaseCounters,
  type CaseEvent,
  CaseStatisticsDesk,
  caseStatisticsProjection,
  countCaseEvent,
  defaultCaseCategories,
  statisticsKeysOf,
} from "@civic/grid-cases";
import { startInfrastructure, uniqueDatabaseName } from "@civic/testing";
import { type Db, MongoClient } from "mongodb";

const casesPerDay = Number(process.env.BENCH_CASES_PER_DAY ?? 900);
const projection = caseStatisticsProjection("CIVIC_GRID_CASES", "civic.grid-cases");
const dayMs = 86_400_000;
const historyEnd = Date.parse("2026-11-23T00:00:00+08:00");
/** 10 streets × 10 communities × 4 grids of one district. */
const grids = Array.from(
  { length: 400 },
  (_, index) =>
    `440402${String(1 + Math.floor(index / 40)).padStart(3, "0")}${String(1 + (Math.floor(index / 4) % 10)).padStart(3, "0")}${String(1 + (index % 4)).padStart(3, "0")}`,
);

/** A case's counted life: submitted, resolved two days later, closed the day after (9 in 10 on time). */
function lifeOf(index: number, submittedAt: number): [CaseEvent, number][] {
  const category = defaultCaseCategories[index % defaultCaseCategories.length];
  const facts = {
    areaId: grids[index % grids.length],
    categoryCode: category?.code,
    departmentId: category?.defaultDepartmentId,
  };
  return [
    [
      { type: "case.submitted", data: { ...facts, departmentId: undefined } } as unknown as CaseEvent,
      submittedAt,
    ],
    [
      { type: "case.resolved", data: { ...facts, firstResolution: true } } as unknown as CaseEvent,
      submittedAt + 2 * dayMs,
    ],
    [
      {
        type: "case.closed",
        data: { ...facts, resolvedOnTime: index % 10 !== 0, wasOverdue: false },
      } as unknown as CaseEvent,
      submittedAt + 3 * dayMs,
    ],
  ];
}

/** Builds what the projector leaves after `caseCount` cases and writes it; returns the document count. */
async function writeHistory(db: Db, caseCount: number): Promise<number> {
  const heads = new Map<string, { state: CaseCounters; step: number; eventId: string; at: number }>();
  const retained: ProjectionStep<CaseCounters>[] = [];
  const firstDay = historyEnd - Math.ceil(caseCount / casesPerDay) * dayMs;
  let eventNumber = 0;
  for (let index = 0; index < caseCount; index++) {
    const submittedAt =
      firstDay + Math.floor(index / casesPerDay) * dayMs + (index % casesPerDay) * (dayMs / casesPerDay);
    for (const [event, at] of lifeOf(index, submittedAt)) {
      // The newest cases are still open when the history ends.
      if (at > historyEnd) break;
      const eventId = `e${eventNumber++}`;
      for (const key of statisticsKeysOf(event, new Date(at))) {
        const head = heads.get(key) ?? { state: projection.initialState(), step: 0, eventId: "", at: 0 };
        const next = { state: countCaseEvent(head.state, event, key), step: head.step + 1, eventId, at };
        heads.set(key, next);
        if (at > historyEnd - dayMs) retained.push(stepDocument(key, next));
      }
    }
  }
  const retainedIds = new Set(retained.map((step) => step._id));
  const documents = [
    ...retained,
    ...[...heads].map(([key, head]) => stepDocument(key, head)).filter((step) => !retainedIds.has(step._id)),
  ];
  for (let start = 0; start < documents.length; start += 1_000) {
    await projectionSteps<CaseCounters>(db).insertMany(documents.slice(start, start + 1_000));
  }
  return documents.length;
}

function stepDocument(
  key: string,
  head: { state: CaseCounters; step: number; eventId: string; at: number },
): ProjectionStep<CaseCounters> {
  return {
    _id: `${projection.name}/${key}:${head.eventId}`,
    projection: projection.name,
    key,
    step: head.step,
    eventId: head.eventId,
    state: head.state,
    appliedAt: new Date(head.at),
  };
}

const queries: [string, string][] = [
  ["all", ""],
  ["area", "440402"],
  ["area", grids[123] as string],
  ["category", "sewage-discharge"],
  ["department", "water-affairs"],
  ["month", "2026-10"],
];

const infrastructure = await startInfrastructure();
console.log(`infrastructure: ${infrastructure.describe}`);
const commandCounts = new Map<string, number>();
const mongo = await MongoClient.connect(infrastructure.mongoUri, { monitorCommands: true });
mongo.on("commandStarted", (event) =>
  commandCounts.set(event.commandName, (commandCounts.get(event.commandName) ?? 0) + 1),
);
const caller = { subject: "bench", roles: ["command_centre"], areas: ["440402"] };

for (const caseCount of [10_000, 1_000_000]) {
  const db = mongo.db(uniqueDatabaseName("bench_stats"));
  await ensureProjectionIndexes(db);
  const built = performance.now();
  const documents = await writeHistory(db, caseCount);
  const buildSeconds = (performance.now() - built) / 1000;
  const query = new CaseStatisticsDesk(projectionReader(db, projection));
  const all = await query.get("all", "", caller);
  if (all.collected !== caseCount)
    throw new Error(`expected ${caseCount} collected, the projection says ${all.collected}`);
  commandCounts.clear();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
  const timings: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [scope, value] of queries) {
      const started = performance.now();
      await query.get(scope, value, caller);
      timings.push(performance.now() - started);
    }
  }
  timings.sort((a, b) => a - b);
  const queryCount = rounds * queries.length;
  const commands = [...commandCounts.values()].reduce((sum, count) => sum + count, 0);
  console.log(
    `${caseCount.toLocaleString().padStart(9)} cases: ${documents.toLocaleString()} projection documents (built in ${buildSeconds.toFixed(1)} s); ` +
      `query p50 ${timings[Math.floor(queryCount / 2)]?.toFixed(2)} ms, p95 ${timings[Math.floor(queryCount * 0.95)]?.toFixed(2)} ms, ` +
      `${(commands / queryCount).toFixed(2)} database commands per query; resolution rate ${all.resolutionRate}%, on-time ${all.onTimeRate}%`,
  );
  await db.dropDatabase();
}
await mongo.close();
await infrastructure.stop();
