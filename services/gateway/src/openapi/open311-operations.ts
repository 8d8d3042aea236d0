import { z } from "zod";
import { jurisdictionQuery, listQuery, open311Base, postedRequest } from "../routes/open311.js";
import type { JsonSchema } from "./json-schema.js";

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

const errors = {
  description: "GeoReport errors: `[{code, description}]` (400, 403, 404).",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Open311Errors" } } },
};
const answer = (description: string) => ({ description, content: { "application/json": {} } });
const operation = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({
  operationId: `open311.${operationId}`,
  tags: ["Open311"],
  summary,
  ...extra,
});

/** The GeoReport v2 routes (docs/api.md, "Open311 GeoReport v2"): a spec of their own, not RPCs. */
export function open311Operations(): Record<string, Record<string, unknown>> {
  const jurisdiction = queryParameters(jurisdictionQuery);
  return {
    [`${open311Base}/discovery.json`]: {
      get: operation("Discovery", "Where this endpoint's GeoReport v2 interface is and whom to ask.", {
        security: [],
        parameters: jurisdiction,
        responses: { "200": answer("The discovery document."), "4XX": errors },
      }),
    },
    [`${open311Base}/services.json`]: {
      get: operation("ListServices", "The case categories as GeoReport services.", {
        security: [],
        parameters: jurisdiction,
        responses: { "200": answer("The services."), "4XX": errors },
      }),
    },
    [`${open311Base}/services/{serviceCode}.json`]: {
      get: operation("GetServiceDefinition", "One service's attributes (area_id, request_type, anonymous).", {
        security: [],
        parameters: [pathParameter("serviceCode", "A case category code."), ...jurisdiction],
        responses: { "200": answer("The service definition."), "4XX": errors },
      }),
    },
    [`${open311Base}/requests.json`]: {
      post: operation("CreateRequest", "Reports a problem: becomes a grid case (channel open311).", {
        security: [{ bearer: [] }, {}],
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": { schema: schemaOf(postedRequest) },
            "application/json": { schema: schemaOf(postedRequest) },
          },
        },
        responses: { "200": answer("`[{service_request_id, service_notice, account_id}]`"), "4XX": errors },
      }),
      get: operation("ListRequests", "Requests the caller may see, newest first, with the spec's filters.", {
        parameters: queryParameters(listQuery),
        responses: {
          "200": answer("The requests, with `extended_attributes` and `notes[]`."),
          "4XX": errors,
        },
      }),
    },
    [`${open311Base}/requests/{serviceRequestId}.json`]: {
      get: operation("GetRequest", "One request with its full state and timeline.", {
        parameters: [pathParameter("serviceRequestId", "The case id."), ...jurisdiction],
        responses: { "200": answer("A list holding the request."), "4XX": errors },
      }),
    },
    [`${open311Base}/tokens/{token}.json`]: {
      get: operation("GetToken", "The request id behind a token (a case id is its own token).", {
        parameters: [pathParameter("token", "The token create returned."), ...jurisdiction],
        responses: { "200": answer("`[{token, service_request_id}]`"), "4XX": errors },
      }),
    },
  };
}

export const open311ErrorsSchema: JsonSchema = {
  type: "array",
  items: {
    type: "object",
    required: ["code", "description"],
    properties: { code: { type: "integer" }, description: { type: "string" } },
  },
};
