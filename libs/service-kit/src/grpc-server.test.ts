import { Writable } from "node:stream";
import { gridCasesV1 } from "@civic/contracts";
import { type Caller, ConflictError, InvalidArgumentError, UnavailableError } from "@civic/domain-kit";
import {
  createLogger,
  createSpanRecorder,
  currentTraceparent,
  initTelemetry,
  registry,
  SpanKind,
  SpanStatusCode,
  traceIdOf,
  withSpan,
} from "@civic/telemetry";
import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallerTokenIssuer, generateCallerTokenKeys } from "./caller-token.js";
import { callUnary, clientInterceptors, createClientOptions, deadlineIn } from "./grpc-client.js";
import { type RunningGrpcServer, startGrpcServer } from "./grpc-server.js";
import { inProcessCallerTokens } from "./grpc-serving.js";
import { parseGrpcError } from "./grpc-status.js";
import { inFlightCalls } from "./in-flight.js";
import { DeadlineExceededError, type RpcContext, unaryHandler } from "./unary.js";

const caseServiceName = "civic.grid_cases.v1.CaseService";
const getCaseMethod = `${caseServiceName}/GetCase`;
const someCase = gridCasesV1.Case.fromPartial({
  caseId: "c-1",
  status: gridCasesV1.CaseStatus.CASE_STATUS_SUBMITTED,
  title: "t",
  areaId: "a",
  submittedAt: new Date("2026-01-05T00:00:00Z"),
  version: 1,
});

/** What GetCase does in the current test; it sees the call's context. */
type Behaviour = (request: gridCasesV1.GetCaseRequest, context: RpcContext) => Promise<void>;

const resident: Caller = { subject: "resident-1", roles: ["resident"], areas: ["440402"] };

describe("gRPC server and client kit", () => {
  const spans = createSpanRecorder();
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger(
    "service-kit-test",
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split("\n")) if (line) logLines.push(JSON.parse(line));
        done();
      },
    }),
  );
  let server: RunningGrpcServer | undefined;
  let client: gridCasesV1.CaseServiceClient | undefined;
  let behaviour: Behaviour = async () => undefined;
  let seen: RpcContext & { traceId?: string | undefined };

  beforeAll(() => {
    initTelemetry({ serviceName: "service-kit-test", spanProcessors: [spans.processor] });
  });
  beforeEach(() => {
    behaviour = async () => undefined;
    spans.reset();
    logLines.length = 0;
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.shutdown(1_000);
    server = undefined;
  });

  async function start() {
    // Every CaseService method answers {}; GetCase runs the test's behaviour.
    const implementation = Object.fromEntries(
      Object.keys(gridCasesV1.CaseServiceService).map((name) => [
        name,
        unaryHandler(`${caseServiceName}/${name}`, async () => ({})),
      ]),
    ) as gridCasesV1.CaseServiceServer;
    implementation.getCase = unaryHandler(
      getCaseMethod,
      async (request: gridCasesV1.GetCaseRequest, context) => {
        seen = { ...context, traceId: traceIdOf(currentTraceparent() ?? "") };
        await behaviour(request, context);
        return { case: someCase };
      },
    );
    const running = await startGrpcServer({
      port: 0,
      host: "127.0.0.1",
      logger,
      services: [{ name: caseServiceName, definition: gridCasesV1.CaseServiceService, implementation }],
    });
    server = running;
    client = new gridCasesV1.CaseServiceClient(
      `127.0.0.1:${running.port}`,
      grpc.credentials.createInsecure(),
      createClientOptions(),
    );
    return { server: running, client };
  }

  const getCase = async (
    client: gridCasesV1.CaseServiceClient,
    options: { caller?: Caller; metadata?: grpc.Metadata; deadline?: Date; signal?: AbortSignal } = {
      caller: resident,
    },
  ) => {
    const { caller, ...rest } = options;
    const callerTokens = (await inProcessCallerTokens()).issuer;
    return callUnary(
      client.getCase.bind(client),
      { caseId: "c-1" },
      caller ? { ...rest, caller, callerTokens } : rest,
    );
  };

  const failure = async (call: Promise<unknown>) => {
    const error = await call.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!error) throw new Error("expected the call to fail");
    return error as grpc.ServiceError;
  };

  it("passes the caller's identity, and any characters in it, to the handler", async () => {
    const { client } = await start();
    const caller: Caller = {
      subject: "grid-worker-9",
      roles: ["grid_worker", "community_staff"],
      areas: ["440402001", "440402002"],
      department: "城管局, Zhuhai",
    };
    await expect(getCase(client, { caller })).resolves.toMatchObject({ case: { caseId: "c-1" } });
    expect(seen.caller).toEqual(caller);
  });

  it("refuses a call without a caller token as UNAUTHENTICATED", async () => {
    const { client } = await start();
    const parsed = parseGrpcError(await failure(getCase(client, {})));
    expect(parsed.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(parsed.reason).toBe("UNAUTHENTICATED");
  });

  it("refuses forged identities before the handler runs: plain caller metadata, a token signed by another key", async () => {
    let ran = false;
    behaviour = async () => {
      ran = true;
    };
    const { client } = await start();
    const plain = new grpc.Metadata();
    plain.set("x-caller-subject", "intruder");
    plain.set("x-caller-role", "platform_admin");
    plain.set("x-caller-roles", "platform_admin");
    const forger = await CallerTokenIssuer.fromPrivateKey(generateCallerTokenKeys().privateKey);
    const forged = await forger.toMetadata(
      { subject: "intruder", roles: ["platform_admin"], areas: [] },
      new grpc.Metadata(),
    );
    for (const metadata of [plain, forged]) {
      const error = await failure(getCase(client, { metadata }));
      expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    }
    expect(ran).toBe(false);
  });

  it("continues the client's trace: one trace, the server span a child of the client span", async () => {
    const { client } = await start();
    let clientTraceId: string | undefined;
    await withSpan("gateway request", { kind: SpanKind.SERVER }, async () => {
      clientTraceId = traceIdOf(currentTraceparent() ?? "");
      await getCase(client);
    });
    expect(clientTraceId).toMatch(/^[\da-f]{32}$/);
    expect(seen.traceId).toBe(clientTraceId);
    const finished = spans.finishedSpans();
    const clientSpan = finished.find((span) => span.kind === SpanKind.CLIENT);
    const serverSpan = finished.find((span) => span.kind === SpanKind.SERVER && span.name === getCaseMethod);
    expect(clientSpan?.name).toBe(getCaseMethod);
    expect(serverSpan?.spanContext().traceId).toBe(clientTraceId);
    expect(serverSpan?.parentSpanContext?.spanId).toBe(clientSpan?.spanContext().spanId);
    expect(serverSpan?.attributes).toMatchObject({
      "rpc.system": "grpc",
      "rpc.service": caseServiceName,
      "rpc.method": "GetCase",
      "rpc.grpc.status_code": grpc.status.OK,
    });
  });

  it("starts a trace of its own for a call that carries none", async () => {
    const { server } = await start();
    const plain = new gridCasesV1.CaseServiceClient(
      `127.0.0.1:${server.port}`,
      grpc.credentials.createInsecure(),
    );
    try {
      await getCase(plain);
      expect(seen.traceId).toMatch(/^[\da-f]{32}$/);
    } finally {
      plain.close();
    }
  });

  it("sends field violations as INVALID_ARGUMENT with google.rpc.BadRequest details", async () => {
    behaviour = async () => {
      throw new InvalidArgumentError([
        { field: "title", description: "must not be empty" },
        { field: "areaId", description: "must not be empty" },
      ]);
    };
    const { client } = await start();
    const parsed = parseGrpcError(await failure(getCase(client)));
    expect(parsed).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      message: "title must not be empty; areaId must not be empty",
      reason: "INVALID_ARGUMENT",
      violations: [
        { field: "title", description: "must not be empty" },
        { field: "areaId", description: "must not be empty" },
      ],
      metadata: {},
    });
    // A client error is not a server fault: the server span stays unset.
    const serverSpan = spans.finishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(serverSpan?.status.code).toBe(SpanStatusCode.UNSET);
    expect(await registry.getSingleMetricAsString("rpc_server_requests_total")).toContain(
      `rpc_server_requests_total{method="${getCaseMethod}",code="INVALID_ARGUMENT"} 1`,
    );
  });

  it("sends a conflict as ABORTED naming the current version", async () => {
    behaviour = async () => {
      throw new ConflictError("case c-1 changed", { currentVersion: 7 });
    };
    const { client } = await start();
    const parsed = parseGrpcError(await failure(getCase(client)));
    expect(parsed.code).toBe(grpc.status.ABORTED);
    expect(parsed.message).toBe("case c-1 changed");
    expect(parsed.reason).toBe("VERSION_CONFLICT");
    expect(parsed.metadata).toEqual({ currentVersion: "7" });
  });

  it("sends an unavailable dependency as UNAVAILABLE", async () => {
    behaviour = async () => {
      throw new UnavailableError("the registry is not answering");
    };
    const { client } = await start();
    const parsed = parseGrpcError(await failure(getCase(client)));
    expect(parsed.code).toBe(grpc.status.UNAVAILABLE);
    expect(parsed.reason).toBe("UNAVAILABLE");
  });

  it("turns an unexpected error into INTERNAL without leaking it, and logs it with its stack", async () => {
    behaviour = async () => {
      throw new Error("password=hunter2 at db-7");
    };
    const { client } = await start();
    const error = await failure(getCase(client));
    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.details).toBe("internal error");
    const parsed = parseGrpcError(error);
    expect(JSON.stringify(parsed)).not.toContain("hunter2");
    expect(parsed.reason).toBe("INTERNAL");
    const logged = logLines.find((line) => line.msg === "call failed");
    expect(logged).toMatchObject({ level: "error", method: getCaseMethod, code: "INTERNAL" });
    expect((logged?.err as { stack?: string } | undefined)?.stack).toContain("hunter2");
    expect(logged?.trace_id).toBe(seen.traceId);
    const serverSpan = spans.finishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(serverSpan?.status.code).toBe(SpanStatusCode.ERROR);
    expect(serverSpan?.events.map((event) => event.name)).toContain("exception");
  });

  it("aborts the handler's signal when the deadline passes, and the client gets DEADLINE_EXCEEDED", async () => {
    let reason: unknown;
    behaviour = async (_request, { signal, deadline }) => {
      expect(deadline).toBeInstanceOf(Date);
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      reason = signal.reason;
    };
    const { client } = await start();
    // Long enough for the call to reach the handler before it expires on a loaded machine.
    const error = await failure(getCase(client, { caller: resident, deadline: deadlineIn(1_500) }));
    expect(error.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await expect.poll(() => reason).toBeInstanceOf(DeadlineExceededError);
    await expect.poll(() => inFlightCalls.count).toBe(0);
    expect(await registry.getSingleMetricAsString("rpc_server_requests_total")).toContain(
      `rpc_server_requests_total{method="${getCaseMethod}",code="DEADLINE_EXCEEDED"} 1`,
    );
  });

  it("aborts the handler's signal when the client cancels", async () => {
    let aborted = false;
    let started: () => void = () => undefined;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    behaviour = async (_request, { signal }) => {
      started();
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      aborted = true;
    };
    const { client } = await start();
    const controller = new AbortController();
    const call = failure(getCase(client, { caller: resident, signal: controller.signal }));
    await handlerStarted;
    controller.abort();
    expect((await call).code).toBe(grpc.status.CANCELLED);
    await expect.poll(() => aborted).toBe(true);
  });

  it("answers health checks: SERVING, then NOT_SERVING to a watcher once shutdown begins", async () => {
    const { server } = await start();
    const Health = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, "Health");
    const health = new Health(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as unknown as {
      Check: (
        request: { service: string },
        callback: (error: grpc.ServiceError | null, response: { status: string }) => void,
      ) => void;
      Watch: (request: { service: string }) => grpc.ClientReadableStream<{ status: string }>;
      close: () => void;
    };
    try {
      const check = (service: string) =>
        new Promise<string>((resolve, reject) =>
          health.Check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))),
        );
      expect(await check("")).toBe("SERVING");
      expect(await check(caseServiceName)).toBe("SERVING");

      const statuses: string[] = [];
      const watch = health.Watch({ service: caseServiceName });
      const ended = new Promise<void>((resolve) => {
        watch.on("data", (response) => statuses.push(response.status));
        watch.on("end", resolve);
        watch.on("error", () => resolve());
      });
      await expect.poll(() => statuses).toEqual(["SERVING"]);
      const startedAt = Date.now();
      await server.shutdown(5_000);
      await ended;
      expect(statuses).toEqual(["SERVING", "NOT_SERVING"]);
      // The open watch stream did not hold shutdown until the grace period ran out.
      expect(Date.now() - startedAt).toBeLessThan(2_000);
    } finally {
      health.close();
    }
  });

  it("lets an in-flight call finish during shutdown while refusing new ones", async () => {
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    behaviour = () =>
      new Promise<void>((resolve) => {
        release = resolve;
        started();
      });
    const { server: running, client } = await start();
    const inFlight = getCase(client);
    await handlerStarted;
    expect(inFlightCalls.count).toBe(1);
    const shutdown = running.shutdown(5_000);
    const late = new gridCasesV1.CaseServiceClient(
      `127.0.0.1:${running.port}`,
      grpc.credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    );
    try {
      const refused = await failure(getCase(late, { caller: resident, deadline: deadlineIn(1_000) }));
      expect(refused.code).toBeOneOf([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);
      release();
      await expect(inFlight).resolves.toMatchObject({ case: { caseId: "c-1" } });
      await shutdown;
      expect(inFlightCalls.count).toBe(0);
    } finally {
      late.close();
    }
  });

  it("cancels calls still running when the grace period ends", async () => {
    // Ignores the deadline-free call's signal until well after the grace period.
    behaviour = (_request, { signal }) =>
      new Promise<void>((resolve) => signal.addEventListener("abort", () => setTimeout(resolve, 50)));
    const { server: running, client } = await start();
    const stuck = failure(getCase(client));
    await expect.poll(() => inFlightCalls.count).toBe(1);
    await running.shutdown(200);
    expect((await stuck).code).toBeOneOf([grpc.status.CANCELLED, grpc.status.UNAVAILABLE]);
    expect(logLines.some((line) => line.msg === "gRPC calls did not finish in time; cancelling them")).toBe(
      true,
    );
    await expect.poll(() => inFlightCalls.count).toBe(0);
  });
});
