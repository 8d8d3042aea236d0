import { z } from "zod";
import { open311Base } from "./geo-report.js";
import { jurisdictionQuery, listQuery, postedRequest } from "./parameters.js";

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
};

const queryParameters = (query: z.ZodObject) =>
  Object.entries(query.shape).map(([name, schema]) => ({
    name,
    in: "query",
    schema: schemaOf(schema as z.ZodType),
  }));

const pathParameter = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string" },
});

type Format = "json" | "xml";
const mediaTypes: Record<Format, string> = { json: "application/json", xml: "text/xml" };

const errorsIn = (format: Format) =>
  format === "json"
    ? {
        description: "GeoReport errors: `[{code, description}]` (400, 403, 404).",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Open311Errors" } } },
      }
    : {
        description:
          "GeoReport errors: `<errors><error><code/><description/></error></errors>` (400, 403, 404).",
        content: { "text/xml": {} },
      };
const answerIn = (format: Format) => (description: string) => ({
  description,
  content: { [mediaTypes[format]]: {} },
});

/** The GeoReport v2 routes of one format: each resource ends in `.json` or `.xml`. */
function operationsIn(format: Format): Record<string, Record<string, unknown>> {
  const jurisdiction = queryParameters(jurisdictionQuery);
  const errors = errorsIn(format);
  const answer = answerIn(format);
  const operation = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({
    operationId: `open311.${operationId}${format === "xml" ? "Xml" : ""}`,
    tags: ["Open311"],
    summary: `${summary} (${format === "xml" ? "XML" : "JSON"})`,
    ...extra,
  });
  const shapes =
    format === "json"
      ? {
          services: "The services.",
          definition: "The service definition.",
          created: "`[{service_request_id, service_notice, account_id}]`",
          requests: "The requests, with `extended_attributes` and `notes[]`.",
          request: "A list holding the request.",
          token: "`[{token, service_request_id}]`",
        }
      : {
          services: "`<services><service>…</service></services>`",
          definition: "`<service_definition><service_code/><attributes><attribute>…`",
          created:
            "`<service_requests><request><service_request_id/><service_notice/><account_id/></request></service_requests>`",
          requests:
            "`<service_requests><request>…</request></service_requests>`, with `extended_attributes` and `notes`.",
          request: "`<service_requests>` holding the request.",
          token: "`<service_requests><request><service_request_id/><token/></request></service_requests>`",
        };
  return {
    [`${open311Base}/discovery.${format}`]: {
      get: operation("Discovery", "Where this endpoint's GeoReport v2 interface is and whom to ask.", {
        security: [],
        parameters: jurisdiction,
        responses: { "200": answer("The discovery document."), "4XX": errors },
      }),
    },
    [`${open311Base}/services.${format}`]: {
      get: operation("ListServices", "The case categories as GeoReport services.", {
        security: [],
        parameters: jurisdiction,
        responses: { "200": answer(shapes.services), "4XX": errors },
      }),
    },
    [`${open311Base}/services/{serviceCode}.${format}`]: {
      get: operation("GetServiceDefinition", "One service's attributes (area_id, request_type, anonymous).", {
        security: [],
        parameters: [pathParameter("serviceCode", "A case category code."), ...jurisdiction],
        responses: { "200": answer(shapes.definition), "4XX": errors },
      }),
    },
    [`${open311Base}/requests.${format}`]: {
      post: operation("CreateRequest", "Reports a problem: becomes a grid case (channel open311).", {
        security: [{ bearer: [] }, {}],
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": { schema: schemaOf(postedRequest) },
            "application/json": { schema: schemaOf(postedRequest) },
          },
        },
        responses: { "201": answer(shapes.created), "4XX": errors },
      }),
      get: operation("ListRequests", "Requests the caller may see, newest first, with the spec's filters.", {
        parameters: queryParameters(listQuery),
        responses: { "200": answer(shapes.requests), "4XX": errors },
      }),
    },
    [`${open311Base}/requests/{serviceRequestId}.${format}`]: {
      get: operation("GetRequest", "One request with its full state and timeline.", {
        parameters: [pathParameter("serviceRequestId", "The case id."), ...jurisdiction],
        responses: { "200": answer(shapes.request), "4XX": errors },
      }),
    },
    [`${open311Base}/tokens/{token}.${format}`]: {
      get: operation("GetToken", "The request id behind a token (a case id is its own token).", {
        parameters: [pathParameter("token", "The token create returned."), ...jurisdiction],
        responses: { "200": answer(shapes.token), "4XX": errors },
      }),
    },
  };
}

/**
 * The GeoReport v2 routes (docs/api.md, "Open311 GeoReport v2"): a spec of their own, not RPCs.
 * Every resource comes as `.xml` (the spec's required format) and as `.json`.
 */
export function open311Operations(): Record<string, Record<string, unknown>> {
  return { ...operationsIn("xml"), ...operationsIn("json") };
}

export const open311ErrorsSchema: JsonSchema = {
  type: "array",
  items: {
    type: "object",
    required: ["code", "description"],
    properties: { code: { type: "integer" }, description: { type: "string" } },
  },
};
