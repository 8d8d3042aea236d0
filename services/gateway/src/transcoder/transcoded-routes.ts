import { fromBinary, fromJson, type JsonValue, toBinary, toJson } from "@bufbuild/protobuf";
import { type HttpCatalogue, type HttpOperation, type PostOutcome, postOutcome } from "@civic/contracts";
import { fieldByJsonKey, gatewayJsonOf, protoJsonOf } from "@civic/openapi";
import type { FieldProblem } from "@civic/service-kit";
import type { Client } from "@grpc/grpc-js";
import { type RequestHandler, Router } from "express";
import type { GrpcCall, UnaryRpc } from "../grpc-call.js";
import { invalidRequest, sendProblem } from "../problem.js";
import type { UpstreamPrefix } from "../upstream-admission.js";
import { type Upstreams, upstreamNameOf } from "../upstreams.js";
import { requestJson } from "./request-json.js";

const passBytes = (bytes: Buffer) => bytes;

/**
 * One Express route per RPC with a `google.api.http` rule whose service is among
 * `upstreams`, transcoding JSON to the RPC and its answer back (see docs/api.md, "How
 * routes answer").
 */
export function transcodedRoutes(catalogue: HttpCatalogue, upstreams: Upstreams, call: GrpcCall): Router {
  const router = Router();
  for (const operation of catalogue.operations) {
    const client = upstreams[upstreamNameOf(operation.rpcPath)];
    if (!client) continue;
    router[operation.method](
      expressPath(operation.path),
      transcode(operation, client, call, postOutcome(operation, catalogue.operations)),
    );
  }
  return router;
}

/**
 * The collections (`/api/v1/cases`) whose routes `transcodedRoutes` serves, each with the one
 * service they call; a collection served by two services is refused as a wiring error.
 */
export function transcodedUpstreamPrefixes(catalogue: HttpCatalogue, upstreams: Upstreams): UpstreamPrefix[] {
  const byPrefix = new Map<string, string>();
  for (const operation of catalogue.operations) {
    const upstream = upstreamNameOf(operation.rpcPath);
    if (!upstreams[upstream]) continue;
    const prefix = operation.path.split("/", 4).join("/");
    const other = byPrefix.get(prefix);
    if (other && other !== upstream) throw new Error(`${prefix} is served by both ${other} and ${upstream}`);
    byPrefix.set(prefix, upstream);
  }
  return [...byPrefix].map(([prefix, upstream]) => ({ prefix, upstream }));
}

/** `/api/v1/cases/{caseId}` → `/api/v1/cases/:caseId`. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

function transcode(
  operation: HttpOperation,
  client: Client,
  call: GrpcCall,
  { reader, creates, flag }: PostOutcome,
): RequestHandler {
  const rpc: UnaryRpc<Buffer, Buffer> = {
    path: operation.rpcPath,
    requestSerialize: passBytes,
    responseDeserialize: passBytes,
  };
  const responseField = operation.responseBody
    ? fieldByJsonKey(operation.output, operation.responseBody)?.jsonName
    : undefined;
  return async (request, response) => {
    const problems: FieldProblem[] = [];
    const protoJson = protoJsonOf(operation.input, requestJson(operation, request, problems), problems);
    const input = problems.length === 0 && protoJson ? parsed(operation, protoJson, problems) : undefined;
    if (!input) return sendProblem(response, invalidRequest(request.originalUrl, problems));
    const answerBytes = await call(request, client, rpc, input);
    const answer = gatewayJsonOf(
      operation.output,
      toJson(operation.output, fromBinary(operation.output, answerBytes), {
        alwaysEmitImplicit: true,
      }),
    );
    if (answer.nextPageToken === "") delete answer.nextPageToken;
    const body = responseField ? (answer[responseField] ?? {}) : answer;
    if (operation.method !== "post") return void response.json(body);
    const created = flag ? answer[flag] === true : creates;
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
