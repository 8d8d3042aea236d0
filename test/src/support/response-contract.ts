import { openApiDocument } from "@civic/openapi";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * The gateway's answers checked against its OpenAPI document: each response of a documented
 * operation must have a status the operation lists and a body its schema accepts (JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1, with ajv). A disagreement names the operation
 * and the field.
 */

interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, Operation["responses"][string]> };
};

const documentId = "urn:civic:openapi";
const document = openApiDocument() as Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: documentId, components: { schemas: document.components.schemas } });

/** Local `#/components/…` references made absolute, so they resolve from any schema. */
const absoluteRefs = (schema: unknown): unknown =>
  JSON.parse(
    JSON.stringify(schema).replaceAll('"$ref":"#/components/', `"$ref":"${documentId}#/components/`),
  );

const templates = Object.entries(document.paths)
  .map(([path, item]) => ({
    path,
    pattern: new RegExp(`^${path.replace(/\{\w+\}/g, "[^/]+")}$`),
    parameters: (path.match(/\{/g) ?? []).length,
    item,
  }))
  // A literal segment wins over a parameter: `/votes/{voteId}/close` before `/votes/{voteId}/{x}`.
  .sort((a, b) => a.parameters - b.parameters);

const validators = new Map<string, ValidateFunction>();

function validatorFor(operation: Operation, status: number): ValidateFunction | "undocumented" | undefined {
  const declared =
    operation.responses[String(status)] ??
    operation.responses[`${String(status)[0]}XX`] ??
    (status >= 400 ? operation.responses.default : undefined);
  if (!declared) return "undocumented";
  const response = declared.$ref
    ? document.components.responses[declared.$ref.split("/").at(-1) as string]
    : declared;
  const content = response?.content ?? {};
  const schema = (content["application/json"] ?? content["application/problem+json"])?.schema;
  if (!schema) return undefined;
  const key = `${operation.operationId} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(absoluteRefs(schema) as object);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Why the gateway's answer to `method path` disagrees with the document, or undefined when it
 * agrees (or the route is not the document's to judge: hand-written services, non-JSON).
 */
export function contractViolation(
  method: string,
  path: string,
  status: number,
  body: unknown,
): string | undefined {
  const pathOnly = path.split("?")[0] as string;
  const template = templates.find(
    (candidate) => candidate.pattern.test(pathOnly) && candidate.item[method.toLowerCase()],
  );
  const operation = template?.item[method.toLowerCase()];
  if (!operation) return undefined;
  const validate = validatorFor(operation, status);
  if (validate === "undocumented")
    return `${operation.operationId} answered ${status}, which the document does not list`;
  if (!validate || body === undefined || validate(body)) return undefined;
  const problems = (validate.errors ?? []).map((error) => {
    const extra = (error.params as { additionalProperty?: string }).additionalProperty;
    return `${error.instancePath || "(body)"}${extra ? `/${extra}` : ""} ${error.message}`;
  });
  return `${operation.operationId} answered ${status} disagreeing with the document: ${problems.join("; ")}`;
}
