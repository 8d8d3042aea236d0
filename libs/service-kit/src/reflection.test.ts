import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import {
  createFileRegistry,
  type FileRegistry,
  fromBinary,
  fromJson,
  type JsonValue,
  type MessageShape,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import {
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { descriptorSetPath, gridCasesV1 } from "@civic/contracts";
import { createLogger } from "@civic/telemetry";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningGrpcServer, startGrpcServer } from "./grpc-server.js";
import { inProcessCallerTokens } from "./grpc-serving.js";
import { healthServiceName } from "./health-descriptor.js";
import { addReflectionService } from "./reflection.js";
import { unaryHandler } from "./unary.js";

const require = createRequire(import.meta.url);
const caseServiceName = "civic.grid_cases.v1.CaseService";

type ReflectionRequest =
  | { list_services: string }
  | { file_containing_symbol: string }
  | { file_by_filename: string };
interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

/**
 * A grpc.reflection.v1 client that asks what grpcurl asks: the services, then the file
 * declaring a symbol, then every import those files name, by file name, until none is
 * missing. The files make a registry only if every type they use was found.
 */
class ReflectionClient {
  private readonly client: grpc.Client;
  private readonly stream: grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse>;

  constructor(port: number) {
    const definition = grpc.loadPackageDefinition(
      loadSync(require.resolve("@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto"), {
        keepCase: true,
      }),
    ) as unknown as { grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } } };
    const client = new definition.grpc.reflection.v1.ServerReflection(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    this.client = client;
    // No metadata at all: reflection needs no caller token.
    this.stream = (client.ServerReflectionInfo as () => typeof this.stream).call(client);
  }

  async services(): Promise<string[]> {
    const response = await this.ask({ list_services: "" });
    return (response.list_services_response?.service ?? []).map((service) => service.name);
  }

  /** What `grpcurl describe <symbol>` fetches, as a registry of the files. */
  async describe(symbol: string): Promise<FileRegistry> {
    const files = new Map<string, FileDescriptorProto>();
    const keep = (response: ReflectionResponse) => {
      for (const bytes of response.file_descriptor_response?.file_descriptor_proto ?? []) {
        const file = fromBinary(FileDescriptorProtoSchema, bytes);
        files.set(file.name, file);
      }
    };
    const [declaring] =
      (await this.ask({ file_containing_symbol: symbol })).file_descriptor_response?.file_descriptor_proto ??
      [];
    if (!declaring) throw new Error(`no file declares ${symbol}`);
    const root = fromBinary(FileDescriptorProtoSchema, declaring);
    files.set(root.name, root);
    const missing = () =>
      [...files.values()].flatMap((file) => file.dependency).filter((name) => !files.has(name));
    for (let names = missing(); names.length > 0; names = missing()) {
      for (const name of new Set(names)) keep(await this.ask({ file_by_filename: name }));
    }
    return createFileRegistry(root, (name) => files.get(name));
  }

  close(): void {
    // Closing the client cancels the stream: expected, not a failure.
    this.stream.on("error", (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.CANCELLED) throw error;
    });
    this.stream.end();
    this.client.close();
  }

  private ask(request: ReflectionRequest): Promise<ReflectionResponse> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(error);
      this.stream.once("error", fail);
      this.stream.once("data", (response: ReflectionResponse) => {
        this.stream.off("error", fail);
        if (response.error_response) {
          reject(new Error(`${JSON.stringify(request)}: ${response.error_response.error_message}`));
        } else resolve(response);
      });
      this.stream.write(request);
    });
  }
}

describe("gRPC server reflection", () => {
  const logger = createLogger(
    "reflection-test",
    new Writable({
      write: (_chunk, _encoding, done) => done(),
    }),
  );
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startCaseService(): Promise<RunningGrpcServer> {
    const implementation = Object.fromEntries(
      Object.keys(gridCasesV1.CaseServiceService).map((name) => [
        name,
        unaryHandler(`${caseServiceName}/${name}`, async () => ({})),
      ]),
    ) as gridCasesV1.CaseServiceServer;
    implementation.getCase = unaryHandler(`${caseServiceName}/GetCase`, async () => ({
      case: gridCasesV1.Case.fromPartial({
        caseId: "c-1",
        title: "Broken lamp",
        submittedAt: new Date("2026-01-05T00:00:00Z"),
      }),
    }));
    const server = await startGrpcServer({
      port: 0,
      host: "127.0.0.1",
      logger,
      services: [{ name: caseServiceName, definition: gridCasesV1.CaseServiceService, implementation }],
    });
    cleanups.push(() => server.shutdown(1_000));
    return server;
  }

  function reflectionOn(port: number): ReflectionClient {
    const reflection = new ReflectionClient(port);
    cleanups.push(() => reflection.close());
    return reflection;
  }

  it("lists the server's own services and describes them down to google.protobuf.Timestamp, without a caller token", async () => {
    const server = await startCaseService();
    const reflection = reflectionOn(server.port);

    expect((await reflection.services()).sort()).toEqual([caseServiceName, healthServiceName]);
    const registry = await reflection.describe(caseServiceName);
    const getCase = registry.getService(caseServiceName)?.methods.find((method) => method.name === "GetCase");
    expect(getCase?.output.typeName).toBe("civic.grid_cases.v1.GetCaseResponse");
    const submittedAtField = registry.getMessage("civic.grid_cases.v1.Case")?.field.submittedAt;
    expect(submittedAtField?.message?.typeName).toBe("google.protobuf.Timestamp");
    // The HTTP rules travel too: the files keep their options.
    expect(registry.getFile("google/api/annotations.proto")).toBeDefined();
    // The details an error carries can be decoded too.
    const errorDetails = await reflection.describe("google.rpc.ErrorInfo");
    expect(errorDetails.getMessage("google.rpc.BadRequest")?.field.fieldViolations).toBeDefined();
  });

  /** Calls `service/method` with messages made from the reflected descriptors, as grpcurl does; answers its JSON. */
  async function callThroughReflection(
    port: number,
    method: string,
    requestJson: JsonValue,
    metadata = new grpc.Metadata(),
  ): Promise<JsonValue> {
    const [serviceName = "", methodName] = method.split("/");
    const registry = await reflectionOn(port).describe(serviceName);
    const described = registry
      .getService(serviceName)
      ?.methods.find((candidate) => candidate.name === methodName);
    if (described?.methodKind !== "unary") throw new Error(`${method} was not described as a unary method`);
    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    cleanups.push(() => client.close());
    type Request = MessageShape<typeof described.input>;
    type Response = MessageShape<typeof described.output>;
    const response = await new Promise<Response>((resolve, reject) =>
      client.makeUnaryRequest(
        `/${method}`,
        (request: Request) => Buffer.from(toBinary(described.input, request)),
        (bytes: Buffer) => fromBinary(described.output, bytes),
        fromJson(described.input, requestJson, { registry }),
        metadata,
        (error, answer) => (error || !answer ? reject(error) : resolve(answer)),
      ),
    );
    return toJson(described.output, response, { registry });
  }

  it("calls methods with messages built from the reflected descriptors: health without a caller token, the service with one", async () => {
    const server = await startCaseService();

    expect(
      await callThroughReflection(server.port, `${healthServiceName}/Check`, { service: caseServiceName }),
    ).toEqual({ status: "SERVING" });
    expect(await callThroughReflection(server.port, `${healthServiceName}/List`, {})).toEqual({
      statuses: { "": { status: "SERVING" }, [caseServiceName]: { status: "SERVING" } },
    });
    await expect(
      callThroughReflection(server.port, `${caseServiceName}/GetCase`, { caseId: "c-1" }),
    ).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    const { issuer } = await inProcessCallerTokens();
    const signed = await issuer.toMetadata(
      { subject: "resident-1", roles: ["resident"], areas: ["440402"] },
      new grpc.Metadata(),
    );
    expect(
      await callThroughReflection(server.port, `${caseServiceName}/GetCase`, { caseId: "c-1" }, signed),
    ).toMatchObject({
      case: { caseId: "c-1", title: "Broken lamp", submittedAt: "2026-01-05T00:00:00Z" },
    });
  });

  it("describes every service of the contracts (every server shares this setup)", async () => {
    const server = new grpc.Server();
    const everyService = createFileRegistry(
      fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath)),
    );
    const serviceNames = [...everyService].flatMap((type) =>
      type.kind === "service" ? [type.typeName] : [],
    );
    expect(serviceNames.length).toBeGreaterThan(20);
    addReflectionService(server, serviceNames);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    cleanups.push(() => server.forceShutdown());
    const reflection = reflectionOn(port);

    expect((await reflection.services()).sort()).toEqual([...serviceNames].sort());
    for (const name of serviceNames) {
      const registry = await reflection.describe(name);
      const service = registry.getService(name);
      expect(service?.methods.length, name).toBeGreaterThan(0);
    }
  });
});
