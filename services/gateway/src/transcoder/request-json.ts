import { type DescField, ScalarType } from "@bufbuild/protobuf";
import type { HttpOperation } from "@civic/contracts";
import { fieldByJsonKey } from "@civic/openapi";
import type { FieldProblem } from "@civic/service-kit";
import type { Request } from "express";

/**
 * The request message of `operation` in the gateway's JSON form, gathered as the
 * `google.api.http` rule binds it: path parameters, then the body (`*`: the whole message;
 * a field name: that field), then the query for every field the path and body leave. A
 * repeated field takes its query key repeated (`statuses=a&statuses=b`).
 */
export function requestJson(
  operation: HttpOperation,
  request: Request,
  problems: FieldProblem[],
): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (operation.body === "*") {
    const body: unknown = request.body ?? {};
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      problems.push({ field: "(body)", detail: "must be a JSON object" });
    } else {
      Object.assign(json, body);
    }
  } else if (operation.body) {
    json[operation.body] = request.body ?? {};
  }
  if (operation.body !== "*") Object.assign(json, queryJson(operation, request.query, problems));
  for (const name of operation.pathFields) {
    const text = request.params[name];
    const field = fieldByJsonKey(operation.input, name);
    if (typeof text !== "string" || !field) continue;
    if (name in json && json[name] !== textValue(field, text)) {
      problems.push({ field: name, detail: "differs from the path's value" });
    }
    json[name] = textValue(field, text);
  }
  return json;
}

function queryJson(
  operation: HttpOperation,
  query: Request["query"],
  problems: FieldProblem[],
): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    const field = fieldByJsonKey(operation.input, key);
    if (!field || operation.pathFields.includes(field.jsonName) || field.name === operation.body) {
      problems.push({ field: key, detail: "is not a known query parameter" });
      continue;
    }
    const texts = Array.isArray(raw) ? raw : [raw];
    if (!texts.every((text) => typeof text === "string")) {
      problems.push({ field: key, detail: "must be a plain value" });
    } else if (field.fieldKind === "list") {
      json[field.jsonName] = texts.map((text) => textValue(field, text));
    } else if (texts.length > 1) {
      problems.push({ field: key, detail: "may be given once" });
    } else if (field.fieldKind === "map" || isPlainMessage(field)) {
      problems.push({ field: key, detail: "cannot be given in the query" });
    } else {
      json[field.jsonName] = textValue(field, texts[0] as string);
    }
  }
  return json;
}

const isPlainMessage = (field: DescField) =>
  field.message !== undefined && field.message.typeName !== "google.protobuf.Timestamp";

/** A path or query text as the JSON value its field takes; left as text when it is not one. */
function textValue(field: DescField, text: string): unknown {
  const scalar = field.scalar;
  if (scalar === undefined || scalar === ScalarType.STRING || scalar === ScalarType.BYTES) return text;
  if (scalar === ScalarType.BOOL) return text === "true" ? true : text === "false" ? false : text;
  const number = Number(text);
  return text.trim() !== "" && Number.isFinite(number) ? number : text;
}
