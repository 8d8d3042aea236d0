import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { gridCasesV1, httpCatalogue } from "@civic/contracts";
import { CallerTokenVerifier, inProcessCallerTokens } from "@civic/service-kit";
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData, status } from "@grpc/grpc-js";
import express from "express";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { problemErrors } from "../error-problem.js";
import { grpcCaller } from "../grpc-call.js";
import { closeUpstreams, upstreamClients, upstreamNameOf } from "../upstreams.js";
import { transcodedRoutes, transcodedUpstreamPrefixes } from "./transcoded-routes.js";

// A real gRPC server stands in for grid-cases: it records what the transcoder sent and
// answers what each test sets, so both directions of the transcoding are observed.
const received: { method: string; request: unknown; caller: unknown }[] = [];
let answer: (method: string) => unknown = () => ({});
const server = new Server();
const tokens = inProcessCallerTokens();
const handler =
  (method: string) => (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
    void tokens
      .then(({ publicKey }) => CallerTokenVerifier.fromPublicKeys(publicKey))
      .then((verifier) => verifier.fromMetadata(call.metadata))
      .then((caller) => {
        received.push({ method, request: call.request, caller });
        const answered = answer(method);
        if (answered instanceof Error) callback(Object.assign(answered, { code: status.NOT_FOUND }));
        else callback(null, answered);
      });
  };
server.addService(gridCasesV1.CaseServiceService, {
  getCase: handler("getCase"),
  listCases: handler("listCases"),
  submitCase: handler("submitCase"),
  transitionCase: handler("transitionCase"),
});
server.addService(gridCasesV1.AreaServiceService, {
  assignGridStaff: handler("assignGridStaff"),
  registerDepartment: handler("registerDepartment"),
});

let url = "";
beforeAll(async () => {
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const address = `127.0.0.1:${port}`;
  const app = express();
  app.use(express.json());
  app.use(
    transcodedRoutes(
      httpCatalogue(),
      upstreamClients({ "grid-cases": address }),
      grpcCaller({ deadlineMs: 2_000, callerTokens: (await tokens).issuer }),
    ),
  );
  app.use(problemErrors(pino({ level: "silent" })));
  const listener = app.listen(0);
  await once(listener, "listening");
  url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  return () => {
    listener.close();
    server.forceShutdown();
  };
});
beforeEach(() => {
  received.length = 0;
});
afterAll(() => server.forceShutdown());

const storedCase: gridCasesV1.Case = {
  ...gridCasesV1.Case.fromPartial({}),
  caseId: "case-1",
  status: gridCasesV1.CaseStatus.CASE_STATUS_DISPATCHED,
  channel: gridCasesV1.Channel.CHANNEL_HOTLINE_12345,
  submittedAt: new Date("2026-03-15T08:00:00.000Z"),
  version: 7,
  timeline: [
    { type: "case.submitted", by: "resident-1", at: new Date("2026-03-15T08:00:00.000Z"), note: "" },
  ],
};

const send = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  const json: any = await response.json();
  return { status: response.status, location: response.headers.get("location"), body: json };
};

describe("the REST↔gRPC transcoder", () => {
  it("binds path parameters and answers the message in the gateway's JSON form", async () => {
    answer = () => ({ case: storedCase });
    const found = await send("GET", "/api/v1/cases/case-1");
    expect(found.status).toBe(200);
    expect(received).toEqual([
      {
        method: "getCase",
        request: { caseId: "case-1" },
        caller: expect.objectContaining({ subject: "anonymous", roles: ["public"] }),
      },
    ]);
    // The case itself (response_body), enums by short name, 64-bit integers as numbers, timestamps with milliseconds,
    // implicit fields written out, the unspecified enum (satisfaction) left out.
    expect(found.body).toMatchObject({
      caseId: "case-1",
      status: "dispatched",
      channel: "hotline_12345",
      version: 7,
      submittedAt: "2026-03-15T08:00:00.000Z",
      reopenCount: 0,
      breachedDeadlines: [],
      timeline: [{ type: "case.submitted", by: "resident-1", at: "2026-03-15T08:00:00.000Z", note: "" }],
    });
    expect(found.body).not.toHaveProperty("satisfaction");
  });

  it("types query parameters by the request's fields, a repeated field from repeated keys", async () => {
    answer = () => ({ cases: [storedCase], nextPageToken: "" });
    const found = await send(
      "GET",
      "/api/v1/cases?statuses=submitted&statuses=dispatched&submittedFrom=2026-03-01T00:00:00%2B08:00&pageSize=20&caseIds=case-1",
    );
    expect(found.status).toBe(200);
    expect(received[0]?.request).toMatchObject({
      statuses: [gridCasesV1.CaseStatus.CASE_STATUS_SUBMITTED, gridCasesV1.CaseStatus.CASE_STATUS_DISPATCHED],
      submittedFrom: new Date("2026-02-28T16:00:00.000Z"),
      pageSize: 20,
      caseIds: ["case-1"],
    });
    expect(found.body.cases).toHaveLength(1);
    // The last page has no nextPageToken rather than an empty one.
    expect(found.body).not.toHaveProperty("nextPageToken");
  });

  it("answers 400 naming every field at fault and calls no service", async () => {
    const refused = await send("POST", "/api/v1/cases", {
      channel: "carrier_pigeon",
      title: 12,
      location: { latitude: "north" },
      colour: "red",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: "channel", detail: expect.stringMatching(/^must be one of .*hotline_12345/) },
      { field: "title", detail: "must be a string" },
      { field: "location.latitude", detail: "must be a number" },
      { field: "colour", detail: "is not a known field" },
    ]);
    const badQuery = await send(
      "GET",
      "/api/v1/cases?pageSize=ten&statuses=lost&colour=red&pageToken=a&pageToken=b",
    );
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors).toEqual([
      { field: "colour", detail: "is not a known query parameter" },
      { field: "pageToken", detail: "may be given once" },
      { field: "pageSize", detail: "must be a whole number" },
      { field: "statuses.0", detail: expect.stringMatching(/^must be one of /) },
    ]);
    expect(received).toEqual([]);
  });

  it("answers a POST that created an entity 201 with its Location", async () => {
    answer = () => ({ case: { ...storedCase, status: gridCasesV1.CaseStatus.CASE_STATUS_SUBMITTED } });
    const submitted = await send("POST", "/api/v1/cases", {
      channel: "app",
      requestType: "complaint",
      title: "井盖缺失",
      location: { latitude: 22.27, longitude: 113.57 },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.location).toBe("/api/v1/cases/case-1");
    expect(received[0]?.request).toMatchObject({
      channel: gridCasesV1.Channel.CHANNEL_APP,
      requestType: gridCasesV1.RequestType.REQUEST_TYPE_COMPLAINT,
      location: { latitude: 22.27, longitude: 113.57 },
    });
  });

  it("takes a oneof member as the step of a transition, refuses two, and answers the changed case 200", async () => {
    answer = () => ({ case: storedCase });
    const moved = await send("POST", "/api/v1/cases/case-1/transitions", {
      expectedVersion: 6,
      returnCase: { reason: "不属本部门职责", basis: "三定方案" },
    });
    expect(moved).toMatchObject({ status: 200, location: null, body: { caseId: "case-1", version: 7 } });
    expect(received[0]?.request).toEqual({
      caseId: "case-1",
      expectedVersion: 6,
      action: { $case: "returnCase", value: { reason: "不属本部门职责", basis: "三定方案" } },
    });
    const twoSteps = await send("POST", "/api/v1/cases/case-1/transitions", {
      accept: {},
      reject: { reason: "重复" },
    });
    expect(twoSteps.status).toBe(400);
    expect(twoSteps.body.errors).toEqual([
      {
        field: "action",
        detail: expect.stringMatching(/^takes one of accept, reject, .*; got accept and reject$/),
      },
    ]);
    expect(received).toHaveLength(1);
  });

  it("takes a rule's body field as the whole body; a POST that changes its parent answers 200", async () => {
    answer = () => ({ area: gridCasesV1.Area.fromPartial({ areaId: "440402001002001" }) });
    const assigned = await send("POST", "/api/v1/areas/440402001002001/staff", {
      personId: "p-1",
      name: "李网格长",
      role: "chief",
    });
    expect(assigned.status).toBe(200);
    expect(assigned.location).toBeNull();
    expect(received[0]?.request).toEqual({
      areaId: "440402001002001",
      member: { personId: "p-1", name: "李网格长", role: gridCasesV1.GridStaffRole.GRID_STAFF_ROLE_CHIEF },
    });
    const wrapped = await send("POST", "/api/v1/areas/440402001002001/staff", {
      member: { personId: "p-2" },
    });
    expect(wrapped.body.errors).toEqual([{ field: "member.member", detail: "is not a known field" }]);
  });

  it("answers 201 without Location for a POST adding to a collection a GET of its path lists", async () => {
    answer = () => ({ department: { departmentId: "water-affairs", name: "水务局" } });
    const registered = await send("POST", "/api/v1/departments", {
      departmentId: "water-affairs",
      name: "水务局",
    });
    expect(registered).toMatchObject({
      status: 201,
      location: null,
      body: { departmentId: "water-affairs", name: "水务局" },
    });
  });

  it("maps the service's error to problem+json", async () => {
    answer = () => new Error("no case case-9");
    const missing = await send("GET", "/api/v1/cases/case-9");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, grpcCode: "NOT_FOUND", detail: "no case case-9" });
  });
});

describe("the collections each service serves, for the gateway's door", () => {
  const addresses = {
    "grid-cases": "127.0.0.1:1",
    deliberation: "127.0.0.1:1",
    "volunteer-stations": "127.0.0.1:1",
  };
  const upstreams = upstreamClients(addresses);
  afterAll(() => closeUpstreams(upstreams));

  it("names one service per collection, and only the services the gateway calls", () => {
    const prefixes = transcodedUpstreamPrefixes(httpCatalogue(), upstreams);
    const byPrefix = new Map(prefixes.map(({ prefix, upstream }) => [prefix, upstream]));
    expect(byPrefix.size).toBe(prefixes.length);
    expect(byPrefix.get("/api/v1/cases")).toBe("grid-cases");
    expect(byPrefix.get("/api/v1/volunteer-stations")).toBe("volunteer-stations");
    expect(new Set(byPrefix.values())).toEqual(new Set(Object.keys(addresses)));
    // Every route of those services falls under its service's collection.
    for (const operation of httpCatalogue().operations) {
      const upstream = upstreamNameOf(operation.rpcPath);
      if (!(upstream in addresses)) continue;
      expect(byPrefix.get(operation.path.split("/", 4).join("/")), operation.path).toBe(upstream);
    }
  });
});
