import {
  type DescEnum,
  type DescField,
  type DescMessage,
  type JsonValue,
  ScalarType,
} from "@bufbuild/protobuf";
import { shortEnumName } from "@civic/contracts";
import type { FieldProblem } from "@civic/service-kit";

/**
 * The REST JSON form of proto messages, which the OpenAPI document describes (its message
 * schemas, message-schemas.ts) and the gateway's transcoder speaks: proto3 JSON with lowerCamelCase names, except that enum values
 * are their lowercase names without the enum's prefix and 64-bit integers are numbers.
 * Here both directions: a client's JSON checked and turned into proto3 JSON, and a
 * service's proto3 JSON turned into the gateway's form.
 */

type JsonObject = { [key: string]: JsonValue };
type ValueKind = "scalar" | "enum" | "message";
interface ValueType {
  scalar?: ScalarType | undefined;
  enum?: DescEnum | undefined;
  message?: DescMessage | undefined;
}

const timestampName = "google.protobuf.Timestamp";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const joinPath = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** The field a JSON key names: its lowerCamelCase name, or its proto name as proto3 JSON allows. */
export const fieldByJsonKey = (message: DescMessage, key: string): DescField | undefined =>
  message.fields.find((field) => field.jsonName === key || field.name === key);

/**
 * A client's JSON for `message` in proto3 JSON, or the problems that keep it from being one,
 * each naming the field by its path (`donation.amountFen`, `departmentIds.0`). `null` stands
 * for an absent field.
 */
export function protoJsonOf(
  message: DescMessage,
  value: unknown,
  problems: FieldProblem[],
  path = "",
): JsonObject | undefined {
  if (!isObject(value)) {
    problems.push({ field: path || "(body)", detail: "must be an object" });
    return undefined;
  }
  const converted: JsonObject = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = fieldByJsonKey(message, key);
    const fieldPath = joinPath(path, key);
    if (!field) {
      problems.push({ field: fieldPath, detail: "is not a known field" });
      continue;
    }
    if (fieldValue === null || fieldValue === undefined) continue;
    const protoValue = fieldProtoJson(field, fieldValue, problems, fieldPath);
    if (protoValue !== undefined) converted[field.jsonName] = protoValue;
  }
  for (const oneof of message.oneofs) {
    const given = oneof.fields.filter((field) => field.jsonName in converted).map((field) => field.jsonName);
    if (given.length > 1) {
      problems.push({
        field: joinPath(path, oneof.localName),
        detail: `takes one of ${oneof.fields.map((field) => field.jsonName).join(", ")}; got ${given.join(" and ")}`,
      });
    }
  }
  return converted;
}

function fieldProtoJson(
  field: DescField,
  value: unknown,
  problems: FieldProblem[],
  path: string,
): JsonValue | undefined {
  switch (field.fieldKind) {
    case "list": {
      if (!Array.isArray(value)) {
        problems.push({ field: path, detail: "must be an array" });
        return undefined;
      }
      const items = value.map((item, index) =>
        valueProtoJson(field.listKind, field, item, problems, joinPath(path, index)),
      );
      return items.every((item) => item !== undefined) ? items : undefined;
    }
    case "map": {
      if (!isObject(value)) {
        problems.push({ field: path, detail: "must be an object" });
        return undefined;
      }
      const entries: JsonObject = {};
      for (const [key, item] of Object.entries(value)) {
        const converted = valueProtoJson(field.mapKind, field, item, problems, joinPath(path, key));
        if (converted !== undefined) entries[key] = converted;
      }
      return entries;
    }
    default:
      return valueProtoJson(field.fieldKind, field, value, problems, path);
  }
}

function valueProtoJson(
  kind: ValueKind,
  type: ValueType,
  value: unknown,
  problems: FieldProblem[],
  path: string,
): JsonValue | undefined {
  const refuse = (detail: string) => {
    problems.push({ field: path, detail });
    return undefined;
  };
  if (kind === "enum") {
    const descEnum = type.enum as DescEnum;
    const known = descEnum.values.filter((item) => item.number > 0);
    const match = known.find((item) => shortEnumName(descEnum, item.name) === value);
    if (match) return match.name;
    return refuse(`must be one of ${known.map((item) => shortEnumName(descEnum, item.name)).join(", ")}`);
  }
  if (kind === "message") {
    const message = type.message as DescMessage;
    if (message.typeName === timestampName) {
      return typeof value === "string" && isRfc3339(value)
        ? value
        : refuse("must be an RFC 3339 instant with its offset (2026-03-15T08:00:00+08:00)");
    }
    return protoJsonOf(message, value, problems, path);
  }
  switch (type.scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return typeof value === "string" ? value : refuse("must be a string");
    case ScalarType.BOOL:
      return typeof value === "boolean" ? value : refuse("must be true or false");
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return typeof value === "number" && Number.isFinite(value) ? value : refuse("must be a number");
    default:
      return typeof value === "number" && Number.isSafeInteger(value)
        ? value
        : refuse("must be a whole number");
  }
}

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const isRfc3339 = (text: string) => rfc3339.test(text) && !Number.isNaN(Date.parse(text));

/**
 * A service's answer in proto3 JSON (written with every implicit field) in the gateway's
 * form: enum names shortened, an unspecified enum left out, 64-bit integers as numbers,
 * timestamps with milliseconds (`2026-03-15T00:00:00.000Z`).
 */
export function gatewayJsonOf(message: DescMessage, json: JsonValue): JsonObject {
  const converted: JsonObject = {};
  if (!isObject(json)) return converted;
  for (const field of message.fields) {
    const value = json[field.jsonName] as JsonValue | undefined;
    if (value === undefined) continue;
    const gatewayValue = fieldGatewayJson(field, value);
    if (gatewayValue !== undefined) converted[field.jsonName] = gatewayValue;
  }
  return converted;
}

function fieldGatewayJson(field: DescField, value: JsonValue): JsonValue | undefined {
  switch (field.fieldKind) {
    case "list":
      return (value as JsonValue[])
        .map((item) => valueGatewayJson(field.listKind, field, item))
        .filter((item) => item !== undefined);
    case "map":
      return Object.fromEntries(
        Object.entries(value as JsonObject).map(([key, item]) => [
          key,
          valueGatewayJson(field.mapKind, field, item) ?? null,
        ]),
      );
    default:
      return valueGatewayJson(field.fieldKind, field, value);
  }
}

function valueGatewayJson(kind: ValueKind, type: ValueType, value: JsonValue): JsonValue | undefined {
  if (kind === "enum") {
    const descEnum = type.enum as DescEnum;
    const known = descEnum.values.find((item) => item.name === value && item.number > 0);
    return known ? shortEnumName(descEnum, known.name) : undefined;
  }
  if (kind === "message") {
    const message = type.message as DescMessage;
    if (message.typeName === timestampName) return new Date(value as string).toISOString();
    return gatewayJsonOf(message, value);
  }
  return typeof value === "string" && isInteger64(type.scalar) ? Number(value) : value;
}

const isInteger64 = (scalar: ScalarType | undefined) =>
  scalar === ScalarType.INT64 ||
  scalar === ScalarType.UINT64 ||
  scalar === ScalarType.SINT64 ||
  scalar === ScalarType.FIXED64 ||
  scalar === ScalarType.SFIXED64;
