import { type HttpCatalogue, type HttpOperation, type PostOutcome, postOutcome } from "@civic/contracts";
import { open311ErrorsSchema, open311Operations } from "@civic/open311";
import { type JsonSchema, MessageSchemas } from "./message-schemas.js";

/** Where the document and its docs page are served. */
export const openApiPath = "/openapi.json";
export const docsPagePath = "/docs";
/** The operations dashboard page (the gateway's `dashboard-routes.ts`). */
export const dashboardPagePath = "/dashboard";

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/** Sent on every answer when the gateway limits rates (docs/api.md, "Limits and headers"). */
const rateLimitHeaders = {
  RateLimit: { $ref: "#/components/headers/RateLimit" },
  "RateLimit-Policy": { $ref: "#/components/headers/RateLimitPolicy" },
};

/** Errors any API operation may answer, as ARCHITECTURE.md maps gRPC codes onto HTTP. */
const errorResponses = {
  "400": { $ref: "#/components/responses/InvalidRequest" },
  "401": { $ref: "#/components/responses/Unauthenticated" },
  "403": { $ref: "#/components/responses/Forbidden" },
  "404": { $ref: "#/components/responses/NotFound" },
  "409": { $ref: "#/components/responses/Conflict" },
  "429": { $ref: "#/components/responses/TooManyRequests" },
  "5XX": { $ref: "#/components/responses/Unavailable" },
};

const problemSchema: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details; never a stack trace.",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string", format: "uri-reference" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    grpcCode: { type: "string", description: "The gRPC status name the service answered (`NOT_FOUND`)." },
    reason: { type: "string", description: "The google.rpc.ErrorInfo reason, when the service gave one." },
    traceId: { type: "string", description: "The trace of the request, for operators." },
    errors: {
      type: "array",
      description: "The fields at fault, one entry per violation.",
      items: {
        type: "object",
        required: ["field", "detail"],
        properties: { field: { type: "string" }, detail: { type: "string" } },
      },
    },
  },
};

/** The gateway's own routes, which no RPC stands behind. */
const gatewayOperations = {
  "/healthz": {
    get: {
      operationId: "Gateway.Healthz",
      tags: ["Gateway"],
      summary: "Liveness and readiness probe.",
      security: [],
      responses: { "200": { description: "The gateway is up." } },
    },
  },
  [openApiPath]: {
    get: {
      operationId: "Gateway.OpenApi",
      tags: ["Gateway"],
      summary: "This document.",
      security: [],
      responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": {} } } },
    },
  },
  [docsPagePath]: {
    get: {
      operationId: "Gateway.DocsPage",
      tags: ["Gateway"],
      summary: "A page to read and try this document in a browser.",
      security: [],
      responses: { "200": { description: "HTML", content: { "text/html": {} } } },
    },
  },
  [dashboardPagePath]: {
    get: {
      operationId: "Gateway.DashboardPage",
      tags: ["Gateway"],
      summary:
        "The operations dashboard for command-centre staff (docs/dashboard.md); its figures need a bearer token.",
      security: [],
      responses: { "200": { description: "HTML", content: { "text/html": {} } } },
    },
  },
  "/api/v1/event-stream": {
    get: {
      operationId: "Gateway.EventStream",
      tags: ["Gateway"],
      summary: "Server-sent domain events for dashboards, only those of the caller's areas.",
      description:
        "Each message is an SSE event named after the domain event type (`case.submitted`) whose data is the event's JSON envelope. See docs/api.md.",
      parameters: [
        {
          name: "types",
          in: "query",
          description: "Comma-separated event types or `prefix.*` patterns; all when absent.",
          schema: { type: "string" },
        },
        {
          name: "areaId",
          in: "query",
          description: "Only events of this area and below.",
          schema: { type: "string" },
        },
      ],
      responses: {
        "200": { description: "An endless event stream.", content: { "text/event-stream": {} } },
        ...errorResponses,
      },
    },
  },
};

export interface DocumentInfo {
  version: string;
}

/** The OpenAPI 3.1 document of the gateway: every annotated RPC plus the gateway's own routes. */
export function buildOpenApiDocument(catalogue: HttpCatalogue, info: DocumentInfo): JsonSchema {
  const schemas = new MessageSchemas(catalogue);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of catalogue.operations) {
    const item = paths[operation.path] ?? {};
    item[operation.method] = operationObject(operation, catalogue.operations, schemas);
    paths[operation.path] = item;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Civic co-governance platform API",
      version: info.version,
      description:
        "REST/JSON over the platform's gRPC services, one operation per RPC following its `google.api.http` annotation. Bodies use the proto messages' lowerCamelCase field names; enum values are lowercase names without the enum's prefix; timestamps are RFC 3339. Callers authenticate with a JWT bearer token whose roles and areas decide what they may read and change. POSTs accept an `Idempotency-Key` header.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    tags: [
      ...catalogue.services.map((service) => ({ name: service.name, description: service.comment })),
      { name: "Gateway", description: "The gateway's own routes." },
      {
        name: "Open311",
        description:
          "Open311 GeoReport v2 over grid cases (http://wiki.open311.org/GeoReport_v2), with the spec's own errors and field names.",
      },
    ],
    paths: { ...paths, ...gatewayOperations, ...open311Operations() },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          description:
            "1–255 visible ASCII characters (a UUID): a retry with the same key, caller, path and body gets the first answer back and runs nothing again. See docs/api.md.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        RateLimit: {
          description: "What is left of the caller's limit (IETF draft 8).",
          schema: { type: "string" },
        },
        RateLimitPolicy: { description: "The limits that apply (IETF draft 8).", schema: { type: "string" } },
        RetryAfter: { description: "Seconds to wait before trying again.", schema: { type: "integer" } },
        IdempotentReplayed: {
          description:
            "`true` when this is the remembered answer of an earlier request with the same Idempotency-Key.",
          schema: { type: "string", enum: ["true"] },
        },
      },
      schemas: { ...schemas.components, Problem: problemSchema, Open311Errors: open311ErrorsSchema },
      responses: {
        InvalidRequest: problemResponse("The request is invalid; `errors` names the fields."),
        Unauthenticated: problemResponse("No valid bearer token."),
        Forbidden: problemResponse("The caller's roles or areas do not allow this."),
        NotFound: problemResponse("No such resource (or not visible to the caller)."),
        Conflict: problemResponse("A conflicting state, version or duplicate."),
        PayloadTooLarge: problemResponse("The body is larger than the gateway's limit."),
        TooManyRequests: {
          ...problemResponse("Rate limited; see Retry-After."),
          headers: { ...rateLimitHeaders, "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
        },
        Unavailable: problemResponse("A service failed or did not answer in time."),
      },
    },
  };
}

function operationObject(
  operation: HttpOperation,
  operations: HttpOperation[],
  schemas: MessageSchemas,
): JsonSchema {
  const [summary, ...rest] = operation.comment.split("\n");
  const pathParameters = operation.pathFields.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const answer = { "application/json": { schema: answerSchema(operation, schemas) } };
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: summary || operation.operationId,
    ...(rest.length ? { description: rest.join("\n").trim() } : {}),
    parameters: [
      ...pathParameters,
      ...(operation.body === "*" ? [] : queryParameters(operation, schemas)),
      ...(operation.method === "post" ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
    ],
    ...(operation.body
      ? { requestBody: { required: true, content: requestContent(operation, schemas) } }
      : {}),
    responses: {
      ...successResponses(operation, answer, postOutcome(operation, operations)),
      ...errorResponses,
      ...(operation.body ? { "413": { $ref: "#/components/responses/PayloadTooLarge" } } : {}),
    },
  };
}

/** What the transcoder answers on success (docs/api.md, "How routes answer"). */
function successResponses(
  operation: HttpOperation,
  content: JsonSchema,
  { reader, creates, flag }: PostOutcome,
) {
  if (operation.method !== "post")
    return { "200": { description: "OK", headers: rateLimitHeaders, content } };
  const readable = reader !== undefined;
  const flagged = flag !== undefined;
  const headers = {
    ...rateLimitHeaders,
    "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" },
  };
  const created = {
    description: readable ? "Created; Location names the new entity." : "Created or recorded as new.",
    headers: readable ? { ...headers, Location: { schema: { type: "string" } } } : headers,
    content,
  };
  const done = {
    description: flagged ? "Nothing new: the same was done before." : "Done.",
    headers,
    content,
  };
  if (creates && !flagged) return { "201": created };
  if (!creates && !flagged) return { "200": done };
  return { "201": created, "200": done };
}

/** The output, or its `response_body` field when the rule names one. */
function answerSchema(operation: HttpOperation, schemas: MessageSchemas): JsonSchema {
  const field = operation.output.fields.find((candidate) => candidate.name === operation.responseBody);
  return field ? schemas.fieldSchema(field) : schemas.refTo(operation.output);
}

/** The body: the request's fields but the path's (`*`), or the one field the rule names. */
function requestContent(operation: HttpOperation, schemas: MessageSchemas) {
  const field = operation.input.fields.find((candidate) => candidate.name === operation.body);
  const schema = field ? schemas.fieldSchema(field) : schemas.objectOf(operation.input, operation.pathFields);
  return { "application/json": { schema } };
}

/** Request fields outside the path and body become query parameters; a repeated one is repeated. */
function queryParameters(operation: HttpOperation, schemas: MessageSchemas) {
  return operation.input.fields
    .filter(
      (field) =>
        !operation.pathFields.includes(field.localName) &&
        field.name !== operation.body &&
        field.fieldKind !== "map" &&
        (field.message === undefined || field.message.typeName === "google.protobuf.Timestamp"),
    )
    .map((field) => ({ name: field.jsonName, in: "query", schema: schemas.fieldSchema(field) }));
}
