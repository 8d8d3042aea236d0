import { randomUUID } from "node:crypto";
import { openApiDocument } from "@civic/openapi";
import { creditCodeProblem, withCreditCodeCheck } from "@civic/social-registry";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/domain-events.js";
import { seedGeography } from "../support/geography.js";
import { bearer } from "../support/tokens.js";
import { startWholePlatform, type WholePlatform } from "../support/whole-platform.js";

// Role × endpoint: for one resource of each service in community B, who may read and who
// may change it. Officers of community A are refused exactly like strangers, and a refused
// call changes no document anywhere.
const communityA = "440402001002";
const communityB = "440402001003";
const gridB = "440402001003001";

type Caller = "anonymous" | "resident" | "officerOfA" | "officerOfB" | "platformAdmin";
const callers: Caller[] = ["anonymous", "resident", "officerOfA", "officerOfB", "platformAdmin"];

interface Ids {
  caseId: string;
  /** A case of B much like the first, so that hints about the first would name it. */
  similarCaseId: string;
  councilId: string;
  fundId: string;
  centreId: string;
  compoundId: string;
  stationId: string;
  creditCode: string;
}

interface Row {
  name: string;
  /** The role of the area's officer for this endpoint. */
  officer: "community_staff" | "civil_affairs";
  /** Reads must answer 200 to those allowed; writes must not be refused for lack of rights. */
  kind: "read" | "write";
  /** Deliberation is the community's own business: a platform admin does not constitute councils. */
  adminMayAct?: false;
  /** For reads that answer everyone: whether the answer shows what only the allowed may see. */
  revealed?: (body: Record<string, unknown>) => boolean;
  request(ids: Ids): { method: string; path: string; body?: unknown };
}

const unique = () => randomUUID().slice(0, 8);
let annualReportYear = 0;
const rows: Row[] = [
  {
    name: "read a case in full",
    officer: "community_staff",
    kind: "read",
    // Anyone holding a case's id follows where it stands, without what the resident wrote.
    revealed: (body) => body.description !== "",
    request: ({ caseId }) => ({ method: "GET", path: `/api/v1/cases/${caseId}` }),
  },
  {
    name: "accept a case",
    officer: "community_staff",
    kind: "write",
    request: ({ caseId }) => ({
      method: "POST",
      path: `/api/v1/cases/${caseId}/transitions`,
      body: { accept: {} },
    }),
  },
  {
    name: "read the community's case statistics",
    officer: "community_staff",
    kind: "read",
    request: () => ({ method: "GET", path: `/api/v1/case-statistics?scope=area&value=${communityB}` }),
  },
  {
    name: "form a council",
    officer: "community_staff",
    kind: "write",
    adminMayAct: false,
    request: () => ({ method: "POST", path: "/api/v1/councils", body: councilIn(communityB) }),
  },
  {
    name: "seat a council member",
    officer: "community_staff",
    kind: "write",
    adminMayAct: false,
    request: ({ councilId }) => ({
      method: "POST",
      path: `/api/v1/councils/${councilId}/members`,
      body: { memberId: `m-${unique()}`, name: "委员", role: "member" },
    }),
  },
  {
    name: "credit a happiness fund",
    officer: "community_staff",
    kind: "write",
    adminMayAct: false,
    request: ({ fundId }) => ({
      method: "POST",
      path: `/api/v1/funds/${fundId}/credits`,
      body: { amountFen: 10_000, note: "街道下拨" },
    }),
  },
  {
    name: "put someone on a service centre's duty roster",
    officer: "community_staff",
    kind: "write",
    request: ({ centreId }) => ({
      method: "POST",
      path: `/api/v1/party-service-centres/${centreId}/duties`,
      body: { date: "2027-01-04", period: "morning", personId: `p-${unique()}`, name: "值班员" },
    }),
  },
  {
    name: "read a residential compound and its owners' committee",
    officer: "community_staff",
    kind: "read",
    request: ({ compoundId }) => ({ method: "GET", path: `/api/v1/residential-compounds/${compoundId}` }),
  },
  {
    name: "read a community's red owners' committee coverage",
    officer: "community_staff",
    kind: "read",
    request: () => ({ method: "GET", path: `/api/v1/red-owners-committee-coverage?areaId=${communityB}` }),
  },
  {
    name: "seat a member on a compound's owners' committee",
    officer: "community_staff",
    kind: "write",
    request: ({ compoundId }) => ({
      method: "POST",
      path: `/api/v1/residential-compounds/${compoundId}/owners-committee/members`,
      body: { personId: `owner-${unique()}`, name: "业主", post: "member" },
    }),
  },
  {
    name: "seat a unit on a community's joint meeting",
    officer: "community_staff",
    kind: "write",
    request: () => ({
      method: "POST",
      path: `/api/v1/joint-meetings/${communityB}/units`,
      body: { unitId: `unit-${unique()}`, name: "北岭小学", kind: "school" },
    }),
  },
  {
    name: "add a volunteer station manager",
    officer: "community_staff",
    kind: "write",
    request: ({ stationId }) => ({
      method: "POST",
      path: `/api/v1/volunteer-stations/${stationId}/managers`,
      body: { managerId: `manager-${unique()}` },
    }),
  },
  {
    name: "file a social organisation",
    officer: "civil_affairs",
    kind: "write",
    request: () => ({ method: "POST", path: "/api/v1/organisations", body: organisationIn(communityB) }),
  },
  {
    name: "record an organisation's annual report",
    officer: "civil_affairs",
    kind: "write",
    request: ({ creditCode }) => ({
      method: "POST",
      path: `/api/v1/organisations/${creditCode}/annual-reports`,
      body: { year: 2025 - (annualReportYear++ % 25), result: "qualified" },
    }),
  },
];

const councilIn = (areaId: string) => ({
  kind: "resident_deliberation_council",
  areaId,
  name: `议事会 ${unique()}`,
  seatCount: 9,
  termStart: "2026-01-01",
  termEnd: "2028-12-31",
});

let organisationSerial = 100;

/** A valid unified social credit code of a Xiangzhou social group: both check characters right. */
function nextCreditCode(): string {
  organisationSerial += 1;
  const body = `51440402MJ${String(organisationSerial).padStart(6, "0")}`;
  for (const organisationCheck of "0123456789X") {
    const code = withCreditCodeCheck(`${body}${organisationCheck}`);
    if (creditCodeProblem(code) === undefined) return code;
  }
  throw new Error(`no organisation check character makes ${body} valid`);
}

const organisationIn = (areaId: string) => ({
  creditCode: nextCreditCode(),
  name: `社区社会组织 ${organisationSerial}`,
  legalForm: "social_group",
  category: "community_service",
  areaId,
  filedOn: "2026-03-01",
});

let platform: WholePlatform;
let admin: string;
let ids: Ids;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function send(
  method: string,
  path: string,
  authorization: string | undefined,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${platform.gatewayUrl}${path}`, {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function created(path: string, body: unknown, authorization = admin) {
  const answer = await send("POST", path, authorization, body);
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const tokenOf = (caller: Caller, officer: Row["officer"]) => {
  switch (caller) {
    case "anonymous":
      return undefined;
    case "resident":
      return bearer("resident-matrix", { roles: ["resident"] });
    case "officerOfA":
      return bearer(`${officer}-a`, { roles: [officer], areas: [communityA] });
    case "officerOfB":
      return bearer(`${officer}-b`, { roles: [officer], areas: [communityB] });
    case "platformAdmin":
      return admin;
  }
};

beforeAll(async () => {
  platform = await startWholePlatform(inject("mongoUri"), inject("natsUrl"));
  admin = bearer("admin-matrix", { roles: ["platform_admin"] });
  await seedGeography(platform.gatewayUrl);
  await created("/api/v1/areas", {
    areaId: communityB,
    level: "community",
    name: "北岭社区",
    gridSize: "medium",
  });
  await created("/api/v1/areas", {
    areaId: gridB,
    level: "grid",
    name: "第一网格",
    gridSize: "small",
    population: 2_000,
    households: 700,
  });
  const reporter = bearer("resident-of-b", { roles: ["resident"] });
  const submitted = await created(
    "/api/v1/cases",
    {
      channel: "app",
      requestType: "report",
      categoryCode: "manhole-cover-missing",
      title: "Manhole cover missing",
      description: "Outside the north gate",
      areaId: gridB,
    },
    reporter,
  );
  const similar = await created(
    "/api/v1/cases",
    {
      channel: "hotline_12345",
      requestType: "report",
      categoryCode: "manhole-cover-missing",
      title: "Manhole cover missing",
      description: "Outside the north gate, a second call",
      areaId: gridB,
    },
    reporter,
  );
  // The other services learn of community B from grid-cases' area events.
  const staffOfB = bearer("community_staff-b", { roles: ["community_staff"], areas: [communityB] });
  const council = await eventually(
    () => send("POST", "/api/v1/councils", staffOfB, councilIn(communityB)),
    (answer) => answer.status === 201,
  );
  expect(council.status, JSON.stringify(council.body)).toBe(201);
  const fund = await created(
    "/api/v1/funds",
    { areaId: communityB, name: "北岭幸福资金", kind: "community_happiness_fund" },
    staffOfB,
  );
  const centre = await eventually(
    () =>
      send("POST", "/api/v1/party-service-centres", admin, {
        centreId: "beiling-centre",
        level: "village",
        name: "北岭党群服务中心",
        areaId: communityB,
        floorAreaM2: 300,
        services: [{ code: "meeting-room", units: 1, slotMinutes: 30 }],
        openingHours: [{ weekday: "mon", opens: "08:00", closes: "18:00" }],
      }),
    (answer) => answer.status === 201,
  );
  expect(centre.status, JSON.stringify(centre.body)).toBe(201);
  const compound = await eventually(
    () =>
      send("POST", "/api/v1/residential-compounds", admin, {
        compoundId: "beiling-garden",
        name: "北岭花园",
        communityAreaId: communityB,
        households: 800,
      }),
    (answer) => answer.status === 201,
  );
  expect(compound.status, JSON.stringify(compound.body)).toBe(201);
  // Forming the committee changes the compound, which has the URL: 200.
  const formed = await send("POST", "/api/v1/residential-compounds/beiling-garden/owners-committee", admin, {
    termStart: "2026-01-01",
    termEnd: "2030-12-31",
    members: [{ personId: "owner-director", name: "北岭主任", post: "director" }],
  });
  expect(formed.status, JSON.stringify(formed.body)).toBe(200);
  const station = await eventually(
    () =>
      send("POST", "/api/v1/volunteer-stations", admin, {
        stationId: "beiling-blue-sky-hut",
        kind: "blue_sky_hut",
        name: "北岭蓝天小屋",
        areaId: communityB,
        address: "北岭路1号",
        managerIds: ["manager-zhou"],
      }),
    (answer) => answer.status === 201,
  );
  expect(station.status, JSON.stringify(station.body)).toBe(201);
  const organisation = await eventually(
    () => send("POST", "/api/v1/organisations", admin, organisationIn(communityB)),
    (answer) => answer.status === 201,
  );
  expect(organisation.status, JSON.stringify(organisation.body)).toBe(201);
  ids = {
    caseId: String(submitted.caseId),
    similarCaseId: String(similar.caseId),
    councilId: String(council.body.councilId),
    fundId: String(fund.fundId),
    centreId: "beiling-centre",
    compoundId: "beiling-garden",
    stationId: "beiling-blue-sky-hut",
    creditCode: String(organisation.body.creditCode),
  };
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

describe("who may read and change community B", () => {
  it.each(rows)("$name", async (row) => {
    const mayAct: Caller[] = row.adminMayAct === false ? ["officerOfB"] : ["officerOfB", "platformAdmin"];
    const outcomes: Partial<Record<Caller, Answer>> = {};
    const refusedCallers = callers.filter((caller) => !mayAct.includes(caller));
    const before = await platform.storedDocuments({ settled: true });
    for (const caller of refusedCallers) {
      const { method, path, body } = row.request(ids);
      outcomes[caller] = await send(method, path, tokenOf(caller, row.officer), body);
    }
    expect(await platform.storedDocuments()).toEqual(before);
    for (const caller of mayAct) {
      const { method, path, body } = row.request(ids);
      outcomes[caller] = await send(method, path, tokenOf(caller, row.officer), body);
    }
    const verdict = (caller: Caller) => {
      const { status, body } = outcomes[caller] ?? { status: 0, body: {} };
      const seen = status === 200 && (row.revealed?.(body) ?? true);
      const passedAuthorisation =
        row.kind === "read" ? seen : status < 300 || body.grpcCode === "FAILED_PRECONDITION";
      if (!mayAct.includes(caller)) {
        const refused = [401, 403, 404].includes(status) || (status === 200 && !seen);
        return refused ? "refused" : `let through (${status})`;
      }
      return passedAuthorisation ? "allowed" : `refused (${status} ${String(body.detail)})`;
    };
    expect(Object.fromEntries(callers.map((caller) => [caller, verdict(caller)]))).toEqual({
      anonymous: "refused",
      resident: "refused",
      officerOfA: "refused",
      officerOfB: "allowed",
      platformAdmin: row.adminMayAct === false ? "refused" : "allowed",
    });
  });
});

// Every read in the OpenAPI document, asked by someone outside community B with B's ids in
// the path and B's area in the filters: an answer may show the record asked for (its own
// rules decide, above), never another of B's records or what B's people wrote, unless the
// read is public by design.
interface ReadOperation {
  operationId: string;
  path: string;
  parameters: { name: string; in: "path" | "query" }[];
}

const reads: ReadOperation[] = Object.entries(
  (openApiDocument() as { paths: Record<string, Record<string, ReadOperation & { tags: string[] }>> }).paths,
).flatMap(([path, item]) => {
  const read = item.get;
  return read && !read.tags.includes("Gateway") && !path.startsWith("/open311")
    ? [{ operationId: read.operationId, path, parameters: read.parameters ?? [] }]
    : [];
});

/** What of community B an outsider must not learn, by what it is. */
const secretsOfB = (of: Ids) => ({
  case: of.caseId,
  "similar case": of.similarCaseId,
  "what the resident wrote": "Outside the north gate",
  "who reported": "resident-of-b",
  council: of.councilId,
  fund: of.fundId,
  "owners' committee member": "owner-director",
  "station manager": "manager-zhou",
});
type Secret = keyof ReturnType<typeof secretsOfB>;

/** Reads that show B's records to anyone, and why that is right. */
const publicReads: Record<string, { shows: Secret[]; why: string }> = {
  "deliberation.CouncilService.ListCouncils": {
    shows: ["council"],
    why: "councils are a community's public bodies: residents are told which exist, who sits on them and their terms",
  },
  "volunteer_stations.StationService.GetStation": {
    shows: ["station manager"],
    why: "a station says who runs it (account ids, no contact details) so that volunteers know whom to ask",
  },
};

const pathValues = (of: Ids): Record<string, string> => ({
  caseId: of.caseId,
  councilId: of.councilId,
  fundId: of.fundId,
  centreId: of.centreId,
  compoundId: of.compoundId,
  stationId: of.stationId,
  creditCode: of.creditCode,
  areaId: communityB,
  communityAreaId: communityB,
  districtId: "440402",
  period: "2026-11",
});
const queryValues: Record<string, string> = {
  areaId: communityB,
  communityAreaId: communityB,
  areaIdPrefix: communityB,
  parentId: "440402001",
  scope: "area",
  value: communityB,
};

function requestPath(read: ReadOperation, of: Ids): string {
  const values = pathValues(of);
  const path = read.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `unknown-${name}`);
  const query = new URLSearchParams(
    read.parameters.flatMap((parameter) => {
      const value = queryValues[parameter.name];
      return parameter.in === "query" && value !== undefined
        ? [[parameter.name, value] as [string, string]]
        : [];
    }),
  ).toString();
  return query ? `${path}?${query}` : path;
}

describe("what outsiders can read of community B", () => {
  it("no read answers an outsider with another of B's records or with what B's people wrote", async () => {
    const tokens: [string, string | undefined][] = [
      ["anonymous", undefined],
      ["a resident", bearer("resident-matrix", { roles: ["resident"] })],
    ];
    for (const role of ["community_staff", "civil_affairs", "grid_worker"]) {
      tokens.push([`${role} of A`, bearer(`${role}-a`, { roles: [role], areas: [communityA] })]);
    }
    expect(reads.length).toBeGreaterThan(80);
    const leaks: string[] = [];
    for (const read of reads) {
      const path = requestPath(read, ids);
      for (const [who, token] of tokens) {
        const response = await fetch(`${platform.gatewayUrl}${path}`, {
          headers: token ? { authorization: token } : {},
        });
        const text = await response.text();
        if (response.status >= 500) leaks.push(`${read.operationId} as ${who}: ${response.status} ${text}`);
        if (response.status !== 200) continue;
        const shown = Object.entries(secretsOfB(ids))
          .filter(([, secret]) => text.includes(secret) && !path.includes(secret))
          .map(([kind]) => kind as Secret)
          .filter((kind) => !publicReads[read.operationId]?.shows.includes(kind));
        if (shown.length > 0)
          leaks.push(`${read.operationId} as ${who} (${path}) shows: ${shown.join(", ")}`);
      }
    }
    expect(leaks).toEqual([]);
  }, 120_000); // about 400 reads one after another: seconds alone, longer on a busy machine
});
