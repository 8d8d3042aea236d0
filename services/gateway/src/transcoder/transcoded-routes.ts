import { fromBinary, fromJson, type JsonValue, toBinary, toJson } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import { type RequestHandler, Router } from "express";
import type { GrpcCall } from "../grpc-call.js";
import type { HttpOperation, ProtoCatalogue } from "../openapi/proto-catalogue.js";
import { type FieldProblem, invalidRequest, sendProblem } from "../problem.js";
import { fieldByJsonKey, gatewayJsonOf, protoJsonOf } from "./gateway-json.js";
import { requestJson } from "./request-json.js";

/** The service a generated client calls: ts-proto clients carry it as `serviceName`. */
const serviceNameOf = (client: Client) => (client.constructor as { serviceName?: unknown }).serviceName;

const passBytes = (bytes: Buffer) => bytes;

/**
 * One Express route per RPC of `clients`' services that has a `google.api.http` rule,
 * transcoding JSON to the RPC and its answer back (see docs/api.md, "How routes answer").
 */
export function transcodedRoutes(catalogue: ProtoCatalogue, clients: Client[], call: GrpcCall): Router {
  const byService = new Map(clients.map((client) => [serviceNameOf(client), client]));
  const router = Router();
  for (const operation of catalogue.operations) {
    const client = byService.get(operation.rpcPath.split("/")[1]);
    if (!client) continue;
    const idField = createdIdField(operation, catalogue.operations);
    router[operation.method](expressPath(operation.path), transcode(operation, client, call, idField));
  }
  return router;
}

/** `/api/v1/cases/{caseId}` → `/api/v1/cases/:caseId`. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

function transcode(
  operation: HttpOperation,
  client: Client,
  call: GrpcCall,
  idField: string | undefined,
): RequestHandler {
  const responseField = operation.responseBody
    ? fieldByJsonKey(operation.output, operation.responseBody)?.jsonName
    : undefined;
  return async (request, response) => {
    const problems: FieldProblem[] = [];
    const protoJson = protoJsonOf(operation.input, requestJson(operation, request, problems), problems);
    const input = problems.length === 0 && protoJson ? parsed(operation, protoJson, problems) : undefined;
    if (!input) return sendProblem(response, invalidRequest(request.originalUrl, problems));
    const answerBytes = await call<Buffer | undefined>(request, (metadata, options, callback) =>
      client.makeUnaryRequest(operation.rpcPath, passBytes, passBytes, input, metadata, options, callback),
    );
    const answer = gatewayJsonOf(
      operation.output,
      toJson(operation.output, fromBinary(operation.output, answerBytes ?? new Uint8Array()), {
        alwaysEmitImplicit: true,
      }),
    );
    if (answer.nextPageToken === "") delete answer.nextPageToken;
    const body = responseField ? (answer[responseField] ?? {}) : answer;
    if (operation.method !== "post") return void response.json(body);
    const created = answer.created !== false && answer.recorded !== false;
    const id = idField && created ? (body as Record<string, JsonValue>)[idField] : undefined;
    if (typeof id === "string" && id) response.location(`${request.path}/${encodeURIComponent(id)}`);
    response.status(created ? 201 : 200).json(body);
  };
}

/** The request in the wire format, or undefined after noting why protobuf-es refused it. */
function parsed(
  operation: HttpOperation,
  protoJson: JsonValue,
  problems: FieldProblem[],
): Buffer | undefined {
  try {
    return Buffer.from(toBinary(operation.input, fromJson(operation.input, protoJson)));
  } catch (error) {
    problems.push({ field: "(body)", detail: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/**
 * The field naming what a POST creates, when the entity can be read at `{post path}/{field}`
 * by a GET: the answer's Location header points there.
 */
function createdIdField(operation: HttpOperation, operations: HttpOperation[]): string | undefined {
  if (operation.method !== "post") return undefined;
  const depth = operation.path.split("/").length + 1;
  const reader = operations.find(
    (candidate) =>
      candidate.method === "get" &&
      candidate.path.startsWith(`${operation.path}/{`) &&
      candidate.path.endsWith("}") &&
      candidate.path.split("/").length === depth,
  );
  return reader?.pathFields.at(-1);
}
