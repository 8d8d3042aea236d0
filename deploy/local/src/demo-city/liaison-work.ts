import type { DevCaller } from "../dev-token.js";
import { type CaseActors, casesIn, type DemoCaseCategory, type ListedCase, walkCase } from "./case-walker.js";
import { type CaseProgress, caseProgress, type DemoArea, type DemoCase, spread } from "./city-plan.js";
import type { GatewayClient } from "./gateway-client.js";
import type { Phase } from "./phase.js";
import { pick, seededRandom } from "./random.js";
import { liaisonCounts } from "./seed-figures.js";

/**
 * Liaison work (双挂点, 驻点): cadres stationed in communities receive residents and visit
 * households, collecting problems that grid-cases opens as cases; a problem is solved when its
 * case is resolved.
 */
export interface DemoLiaisonVisit {
  kind: "reception" | "household_visit";
  households: number;
  /** Collected on this visit; each becomes a case the demo walks like a hotline case. */
  problems: DemoCase[];
}

/** One cadre stationed in one community, with the year's receptions and visits there. */
export interface DemoLiaisonCadre {
  cadreId: string;
  name: string;
  communityId: string;
  visits: DemoLiaisonVisit[];
}

/** Households at a reception and on a household visit, on average (the seed gives only totals). */
const householdsPerReception = 5;
const householdsPerVisit = 12;
/**
 * The year's liaison work: the seed's stationed cadres, one per community (in code order), and
 * its receptions, household visits and problems shared among them, the first problems solved
 * (taken to resolved or beyond) and the rest still open at an earlier step.
 */
export function demoLiaisonPlan(areas: DemoArea[], scale: number): DemoLiaisonCadre[] {
  const random = seededRandom(20_180_511);
  const counts = liaisonCounts(scale);
  const communities = areas.filter((area) => area.level === "community");
  const gridsOf = (communityId: string) =>
    areas.filter((area) => area.level === "grid" && area.areaId.startsWith(communityId));
  const cadreCount = Math.min(counts.cadres, communities.length);
  const receptions = spread(
    counts.householdsReceived,
    Math.max(cadreCount, Math.round(counts.householdsReceived / householdsPerReception)),
  );
  const householdVisits = spread(
    counts.householdsVisited,
    Math.max(cadreCount, Math.round(counts.householdsVisited / householdsPerVisit)),
  );
  const cadres: DemoLiaisonCadre[] = communities.slice(0, cadreCount).map((community, index) => ({
    cadreId: `demo-cadre-${index + 1}`,
    name: `驻点干部${index + 1}号`,
    communityId: community.areaId,
    visits: [],
  }));
  receptions.forEach((households, index) => {
    cadres[index % cadreCount]?.visits.push({ kind: "reception", households, problems: [] });
  });
  householdVisits.forEach((households, index) => {
    cadres[index % cadreCount]?.visits.push({ kind: "household_visit", households, problems: [] });
  });
  const open: CaseProgress[] = ["submitted", "accepted", "dispatched", "in_progress"];
  for (let serial = 1; serial <= counts.problems; serial++) {
    const cadre = cadres[(serial - 1) % cadreCount] as DemoLiaisonCadre;
    const visits = cadre.visits.filter((visit) => visit.kind === "household_visit");
    const visit = visits[Math.floor((serial - 1) / cadreCount) % visits.length] as DemoLiaisonVisit;
    const closedDraw = random();
    visit.problems.push({
      serial,
      gridId: pick(random, gridsOf(cadre.communityId)).areaId,
      categoryPick: random(),
      target:
        serial <= counts.solved
          ? closedDraw < 0.9
            ? "closed"
            : closedDraw < 0.95
              ? "visited"
              : "resolved"
          : pick(random, open),
      satisfaction: random() < 0.9 ? "satisfied" : "basically_satisfied",
    });
  }
  return cadres;
}

/** The stationed cadre as the caller of their visits. */
const cadreCaller = (cadre: DemoLiaisonCadre): DevCaller => ({
  subject: cadre.cadreId,
  roles: ["party_cadre"],
});

const problemTitle = (problem: DemoCase, category: DemoCaseCategory) =>
  `【走访 ${String(problem.serial).padStart(6, "0")}】${category.name.split(" ")[0]}`;
const liaisonSerial = /^【走访 (\d{6})】/;

interface LiaisonStatistics {
  householdsReceived: number;
  householdsVisited: number;
  problemsCollected: number;
}

/** One visit of a cadre's year, as the phase loads it. */
export interface DemoLiaisonVisitOf {
  cadre: DemoLiaisonCadre;
  /** Its place among the cadre's visits (its Idempotency-Key names it). */
  index: number;
  visit: DemoLiaisonVisit;
  /** Households of the cadre's visits of this kind up to and including this one. */
  householdsUpTo: number;
}

/** Each cadre's visits in order, with the running count of households of each kind. */
export function liaisonVisits(cadres: DemoLiaisonCadre[]): DemoLiaisonVisitOf[] {
  return cadres.flatMap((cadre) => {
    const householdsSoFar = { reception: 0, household_visit: 0 };
    return cadre.visits.map((visit, index) => {
      householdsSoFar[visit.kind] += visit.households;
      return { cadre, index, visit, householdsUpTo: householdsSoFar[visit.kind] };
    });
  });
}

/**
 * Assigns each cadre to their community, logs their receptions and visits as the cadre, collects
 * the problems, and walks each problem's case (opened by grid-cases from the collected problem)
 * to its target. A visit the community's liaison statistics already counted when the phase
 * began, whose problems all have their cases, is not logged again; anything else is posted with
 * the Idempotency-Key of the first try, which the gateway answers from memory for a day.
 */
export function liaisonPhase(
  cadres: DemoLiaisonCadre[],
  actors: CaseActors,
  categories: DemoCaseCategory[],
  clientOf: (caller: DevCaller) => Promise<GatewayClient>,
): Phase<DemoLiaisonVisitOf> {
  const categoryOf = (problem: DemoCase) =>
    categories[Math.floor(problem.categoryPick * categories.length)] as DemoCaseCategory;
  /** The liaison problems' cases in an area (a community or a grid), by serial. */
  const casesOf = async (client: GatewayClient, areaId: string) => {
    const found = new Map<number, ListedCase>();
    for (const listed of await casesIn(client, areaId)) {
      const serial = liaisonSerial.exec(listed.title)?.[1];
      if (serial) found.set(Number(serial), listed);
    }
    return found;
  };
  const statisticsOf = (client: GatewayClient, cadre: DemoLiaisonCadre) =>
    client.get<LiaisonStatistics>(`/api/v1/liaison-statistics?areaId=${cadre.communityId}`);
  const isCounted = (counted: LiaisonStatistics | undefined, { visit, householdsUpTo }: DemoLiaisonVisitOf) =>
    ((visit.kind === "reception" ? counted?.householdsReceived : counted?.householdsVisited) ?? 0) >=
    householdsUpTo;
  // Per cadre, once a run: the assignment, and what was there before this run logged anything.
  const before = new Map<
    string,
    Promise<{ counted?: LiaisonStatistics; cases: Map<number, ListedCase>; asCadre: GatewayClient }>
  >();
  const beforeThisRun = (client: GatewayClient, cadre: DemoLiaisonCadre) => {
    let found = before.get(cadre.cadreId);
    if (!found) {
      found = (async () => {
        await client.post(
          "/api/v1/liaison-assignments",
          { cadreId: cadre.cadreId, name: cadre.name, targetKind: "community", targetId: cadre.communityId },
          `demo-liaison-assignment-${cadre.cadreId}`,
        );
        return {
          counted: await statisticsOf(client, cadre),
          cases: await casesOf(client, cadre.communityId),
          asCadre: await clientOf(cadreCaller(cadre)),
        };
      })();
      before.set(cadre.cadreId, found);
    }
    return found;
  };
  return {
    name: "liaison",
    items: liaisonVisits(cadres),
    finished: async (client, last) => {
      if (!isCounted(await statisticsOf(client, last.cadre), last)) return false;
      const cases = await casesOf(client, last.cadre.communityId);
      return last.visit.problems.every((problem) => {
        const status = cases.get(problem.serial)?.status;
        return status !== undefined && progressOf(status) >= progressOf(problem.target);
      });
    },
    load: async (client, visitOf) => {
      const { cadre, visit } = visitOf;
      const { counted, cases: existing, asCadre } = await beforeThisRun(client, cadre);
      const logged = isCounted(counted, visitOf);
      if (!logged || !visit.problems.every((problem) => existing.has(problem.serial)))
        await logVisit(asCadre, visitOf, categoryOf);
      if (visit.problems.length === 0) return;
      const cases = await untilCasesOpened(client, visitOf, casesOf);
      for (const problem of visit.problems) {
        await walkCase(
          actors,
          problem,
          categoryOf(problem),
          cases.get(problem.serial),
          `demo-liaison-case-${problem.serial}`,
        );
      }
    },
  };
}

const progressOf = (status: string) => caseProgress.indexOf(status as CaseProgress);

async function logVisit(
  asCadre: GatewayClient,
  { cadre, index, visit }: DemoLiaisonVisitOf,
  categoryOf: (problem: DemoCase) => DemoCaseCategory,
): Promise<void> {
  const key = `demo-liaison-${cadre.cadreId}-visit-${index + 1}`;
  const { visitId } = await asCadre.postForJson<{ visitId: string }>(
    "/api/v1/party-visits",
    {
      kind: visit.kind,
      areaId: cadre.communityId,
      households: visit.households,
      note: visit.kind === "reception" ? "党群服务中心接待群众" : "入户走访",
    },
    key,
  );
  for (const problem of visit.problems) {
    const category = categoryOf(problem);
    await asCadre.postForJson(
      `/api/v1/party-visits/${visitId}/problems`,
      {
        categoryCode: category.code,
        title: problemTitle(problem, category),
        description: `走访中居民反映：${category.name.split(" ")[0]}。`,
        address: `网格 ${problem.gridId}`,
        areaId: problem.gridId,
      },
      `${key}-problem-${problem.serial}`,
    );
  }
}

/**
 * grid-cases opens a case for each collected problem from its event: wait until the visit's are
 * there, looking in the problems' grids every two seconds.
 */
async function untilCasesOpened(
  client: GatewayClient,
  { cadre, visit }: DemoLiaisonVisitOf,
  casesOf: (client: GatewayClient, areaId: string) => Promise<Map<number, ListedCase>>,
): Promise<Map<number, ListedCase>> {
  const grids = [...new Set(visit.problems.map((problem) => problem.gridId))];
  for (let attempt = 1; ; attempt++) {
    const cases = new Map<number, ListedCase>();
    for (const gridId of grids)
      for (const [serial, found] of await casesOf(client, gridId)) cases.set(serial, found);
    if (visit.problems.every((problem) => cases.has(problem.serial))) return cases;
    if (attempt === 90)
      throw new Error(
        `demo city: grid-cases opened no case for some of ${cadre.cadreId}'s problems in 3 minutes`,
      );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
