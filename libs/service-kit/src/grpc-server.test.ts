import { createRequire } from "node:module";
import { gridCasesV1 } from "@civic/contracts";
import { currentTraceparent, initTelemetry, SpanKind, traceIdOf, withSpan } from "@civic/telemetry";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { service as healthService } from "grpc-health-check";
import pino from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { callerToMetadata } from "./caller.js";
import { ConflictError, InvalidArgumentError } from "./errors.js";
import { clientInterceptors } from "./grpc-client.js";
import { type RunningGrpcServer, startGrpcServer } from "./grpc-server.js";
import { parseGrpcError } from "./grpc-status.js";
import { unaryHandler } from "./unary.js";

const require = createRequire(import.meta.url);
const quiet = pino({ level: "silent" });
const someCase = gridCasesV1.Case.fromPartial({
  caseId: "c-1",
  status: gridCasesV1.CaseStatus.CASE_STATUS_SUBMITTED,
  channel: gridCasesV1.Channel.CHANNEL_APP,
  requestType: gridCasesV1.RequestType.REQUEST_TYPE_HELP,
  categoryCode: "noise",
  title: "t",
  description: "d",
  areaId: "a",
  address: "",
  reporterName: "",
  submittedBy: "resident-1",
  submittedAt: new Date("2026-01-05T00:00:00Z"),
  version: 1,
});

type Behaviour = (
  request: gridCasesV1.GetCaseRequest,
  seen: { subject: string; traceId?: string },
) => Promise<void>;

describe("gRPC server and client kit", () => {
  let server: RunningGrpcServer | undefined;
  let behaviour: Behaviour = async () => undefined;
  const seen: { subject: string; traceId?: string } = { subject: "" };

  beforeAll(() => {
    initTelemetry({ serviceName: "service-kit-test" });
  });
  afterEach(async () => {
    await server?.shutdown(1_000);
    server = undefined;
  });

  async function start() {
    const implementation: gridCasesV1.CaseServiceServer = {
      submitCase: unaryHandler("SubmitCase", async () => ({ case: someCase })),
      transitionCase: unaryHandler("TransitionCase", async () => ({ case: someCase })),
      getCaseStatistics: unaryHandler("GetCaseStatistics", async () => ({})),
      getCase: unaryHandler("GetCase", async (request: gridCasesV1.GetCaseRequest, { caller }) => {
        seen.subject = caller.subject;
        const traceparent = currentTraceparent();
        seen.traceId = traceparent ? traceIdOf(traceparent) : undefined;
        await behaviour(request, seen);
        return { case: someCase };
      }),
    };
    server = await startGrpcServer({
      port: 0,
      host: "127.0.0.1",
      logger: quiet,
      services: [
        {
          name: "civic.grid_cases.v1.CaseService",
          definition: gridCasesV1.CaseServiceService,
          implementation,
        },
      ],
    });
    const client = new gridCasesV1.CaseServiceClient(
      `127.0.0.1:${server.port}`,
      grpc.credentials.createInsecure(),
      {
        interceptors: clientInterceptors(),
      },
    );
    return { server, client };
  }

  const asCaller = (subject = "resident-1") => {
    const metadata = new grpc.Metadata();
    if (subject) callerToMetadata({ subject, roles: ["resident"], areas: ["440402"] }, metadata);
    return metadata;
  };

  const getCase = (client: gridCasesV1.CaseServiceClient, metadata: grpc.Metadata) =>
    new Promise<gridCasesV1.GetCaseResponse>((resolve, reject) =>
      client.getCase({ caseId: "c-1" }, metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );

  it("passes the caller's identity and continues the client's trace", async () => {
    const { client } = await start();
    let clientTraceId: string | undefined;
    await withSpan("client work", { kind: SpanKind.INTERNAL }, async () => {
      clientTraceId = traceIdOf(currentTraceparent() ?? "");
      await getCase(client, asCaller("grid-worker-9"));
    });
    expect(seen.subject).toBe("grid-worker-9");
    expect(seen.traceId).toBe(clientTraceId);
    expect(clientTraceId).toMatch(/^[\da-f]{32}$/);
    client.close();
  });

  it("refuses a call without a caller as UNAUTHENTICATED", async () => {
    const { client } = await start();
    const error = (await getCase(client, asCaller("")).catch((caught) => caught)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    client.close();
  });

  it("sends field violations as INVALID_ARGUMENT with google.rpc.BadRequest details", async () => {
    behaviour = async () => {
      throw new InvalidArgumentError([
        { field: "title", description: "must not be empty" },
        { field: "areaId", description: "must not be empty" },
      ]);
    };
    const { client } = await start();
    const error = (await getCase(client, asCaller()).catch((caught) => caught)) as grpc.ServiceError;
    const parsed = parseGrpcError(error);
    expect(parsed.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(parsed.reason).toBe("INVALID_ARGUMENT");
    expect(parsed.violations).toEqual([
      { field: "title", description: "must not be empty" },
      { field: "areaId", description: "must not be empty" },
    ]);
    client.close();
  });

  it("sends a conflict as ABORTED naming the current version", async () => {
    behaviour = async () => {
      throw new ConflictError("case c-1 changed", { currentVersion: 7 });
    };
    const { client } = await start();
    const parsed = parseGrpcError(
      (await getCase(client, asCaller()).catch((caught) => caught)) as grpc.ServiceError,
    );
    expect(parsed.code).toBe(grpc.status.ABORTED);
    expect(parsed.reason).toBe("VERSION_CONFLICT");
    expect(parsed.metadata).toEqual({ currentVersion: "7" });
    client.close();
  });

  it("turns an unexpected error into INTERNAL without leaking its message", async () => {
    behaviour = async () => {
      throw new Error("password=hunter2 at db-7");
    };
    const { client } = await start();
    const error = (await getCase(client, asCaller()).catch((caught) => caught)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.details).toBe("internal error");
    client.close();
  });

  it("answers health checks, and reports NOT_SERVING once shutdown begins", async () => {
    const { server } = await start();
    const Health = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, "Health");
    const health = new Health(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as unknown as {
      check: (
        request: { service: string },
        callback: (error: grpc.ServiceError | null, response: { status: string }) => void,
      ) => void;
      close: () => void;
    };
    const check = (service: string) =>
      new Promise<string>((resolve, reject) =>
        health.check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))),
      );
    expect(await check("")).toBe("SERVING");
    expect(await check("civic.grid_cases.v1.CaseService")).toBe("SERVING");
    server.setNotServing();
    expect(await check("civic.grid_cases.v1.CaseService")).toBe("NOT_SERVING");
    health.close();
  });

  it("lists the services through server reflection", async () => {
    const { server } = await start();
    const definition = grpc.loadPackageDefinition(
      loadSync(require.resolve("@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto"), {
        keepCase: true,
      }),
    ) as unknown as { grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } } };
    const reflection = new definition.grpc.reflection.v1.ServerReflection(
      `127.0.0.1:${server.port}`,
      grpc.credentials.createInsecure(),
    );
    type ReflectionResponse = { list_services_response?: { service: { name: string }[] } };
    const openStream = reflection.ServerReflectionInfo as () => grpc.ClientDuplexStream<
      unknown,
      ReflectionResponse
    >;
    const stream = openStream.call(reflection);
    const names = await new Promise<string[]>((resolve, reject) => {
      stream.once("data", (response: ReflectionResponse) =>
        resolve((response.list_services_response?.service ?? []).map((service) => service.name)),
      );
      stream.once("error", reject);
      stream.write({ list_services: "" });
    });
    stream.end();
    expect(names).toContain("civic.grid_cases.v1.CaseService");
    reflection.close();
  });

  it("lets an in-flight call finish during shutdown while refusing new ones", async () => {
    let release: () => void = () => undefined;
    behaviour = () => new Promise<void>((resolve) => (release = resolve));
    const { server: running, client } = await start();
    server = undefined;
    const inFlight = getCase(client, asCaller());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const shutdown = running.shutdown(5_000);
    const late = new gridCasesV1.CaseServiceClient(
      `127.0.0.1:${running.port}`,
      grpc.credentials.createInsecure(),
    );
    const refused = await new Promise<grpc.ServiceError | null>((resolve) =>
      late.getCase({ caseId: "c-1" }, asCaller(), { deadline: Date.now() + 1_000 }, (error) =>
        resolve(error),
      ),
    );
    expect(refused?.code).toBeOneOf([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);
    release();
    await expect(inFlight).resolves.toMatchObject({ case: { caseId: "c-1" } });
    await shutdown;
    client.close();
    late.close();
  });
});
