import { fromBinary, fromJson, type JsonValue, toBinary, toJson } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import { type RequestHandler, Router } from "express";
import type { GrpcCall } from "../grpc-call.js";
import {
  addsToListedCollection,
  createdEntityReader,
  type HttpOperation,
  type ProtoCatalogue,
} from "../openapi/proto-catalogue.js";
import { type FieldProblem, invalidRequest, sendProblem } from "../problem.js";
import { type UpstreamRoute, upstreamOf } from "../upstream-admission.js";
import { fieldByJsonKey, gatewayJsonOf, protoJsonOf } from "./gateway-json.js";
import { requestJson } from "./request-json.js";

/** The service a generated client calls: ts-proto clients carry it as `serviceName`. */
export const serviceNameOf = (client: Client) =>
  String((client.constructor as { serviceName?: unknown }).serviceName);

const passBytes = (bytes: Buffer) => bytes;

/**
 * One Express route per RPC of `clients`' services that has a `google.api.http` rule,
 * transcoding JSON to the RPC and its answer back (see docs/api.md, "How routes answer").
 */
export function transcodedRoutes(catalogue: ProtoCatalogue, clients: Client[], call: GrpcCall): Router {
  const router = Router();
  for (const { operation, client } of servedOperations(catalogue, clients)) {
    const reader = createdEntityReader(operation, catalogue.operations);
    const creates = reader !== undefined || addsToListedCollection(operation, catalogue.operations);
    router[operation.method](
      expressPath(operation.path),
      transcode(operation, client, call, { creates, reader }),
    );
  }
  return router;
}

/** The routes `transcodedRoutes` serves, in its order, each with the service it calls. */
export function transcodedUpstreamRoutes(catalogue: ProtoCatalogue, clients: Client[]): UpstreamRoute[] {
  return servedOperations(catalogue, clients).map(({ operation }) => ({
    method: operation.method,
    path: expressPath(operation.path),
    upstream: upstreamOf(operation.rpcPath),
  }));
}

/** The operations of `clients`' services, each with the client that calls it. */
function servedOperations(catalogue: ProtoCatalogue, clients: Client[]) {
  const byService = new Map(clients.map((client) => [serviceNameOf(client), client]));
  return catalogue.operations.flatMap((operation) => {
    const client = byService.get(operation.rpcPath.split("/")[1] ?? "");
    return client ? [{ operation, client }] : [];
  });
}

/** `/api/v1/cases/{caseId}` → `/api/v1/cases/:caseId`. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

function transcode(
  operation: HttpOperation,
  client: Client,
  call: GrpcCall,
  { creates, reader }: { creates: boolean; reader: HttpOperation | undefined },
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
    // 201 when the POST made something new: an entity with its own URL or an item of a listed
    // collection (unless the answer says it existed already), or what the answer's
    // created/recorded flag says was new.
    const flag = answer.created ?? answer.recorded;
    const created = creates ? flag !== false : flag === true;
    const location =
      reader && created
        ? reader.path === operation.path
          ? request.path
          : filledPath(reader.path, body)
        : undefined;
    if (location) response.location(location);
    response.status(created ? 201 : 200).json(body);
  };
}

/** `path` with each `{field}` replaced by that field of `entity`; undefined when one is empty. */
function filledPath(path: string, entity: JsonValue): string | undefined {
  const values = entity as Record<string, JsonValue>;
  let complete = true;
  const filled = path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (typeof value !== "string" || value === "") complete = false;
    return encodeURIComponent(String(value));
  });
  return complete ? filled : undefined;
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
