import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { type HttpCatalogue, shortEnumName } from "@civic/contracts";

export type JsonSchema = Record<string, unknown>;

/**
 * JSON Schemas of proto messages in the JSON form the gateway transcodes to and from
 * (rest-json.ts converts to and from it): lowerCamelCase field names, enums as
 * their lowercase value names without the enum's prefix, timestamps as RFC 3339 strings,
 * 64-bit integers as numbers. Each message becomes one named component.
 */
export class MessageSchemas {
  readonly components: Record<string, JsonSchema> = {};

  constructor(private readonly catalogue: HttpCatalogue) {}

  /** A `$ref` to `message`'s component, adding it (and what it refers to) when new. */
  refTo(message: DescMessage): JsonSchema {
    if (message.typeName === "google.protobuf.Timestamp") return { type: "string", format: "date-time" };
    const name = message.typeName;
    if (!(name in this.components)) {
      this.components[name] = {}; // reserved first: messages may refer to themselves
      this.components[name] = this.objectOf(message, []);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  /** `message`'s fields as an inline object schema, leaving out `omitted` (path fields). */
  objectOf(message: DescMessage, omitted: string[]): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const field of message.fields) {
      if (omitted.includes(field.localName)) continue;
      properties[field.jsonName] = this.fieldSchema(field);
    }
    // No other keys: the transcoder refuses them in requests and never answers them.
    return withDescription(
      { type: "object", properties, additionalProperties: false },
      this.catalogue.commentOf(message),
    );
  }

  fieldSchema(field: DescField): JsonSchema {
    const described = (schema: JsonSchema) => withDescription(schema, this.catalogue.commentOf(field));
    switch (field.fieldKind) {
      case "list":
        return described({ type: "array", items: this.valueSchema(field.listKind, field) });
      case "map":
        return described({ type: "object", additionalProperties: this.valueSchema(field.mapKind, field) });
      default:
        return described(this.valueSchema(field.fieldKind, field));
    }
  }

  /** One value of a field: the field itself, or an element of its list or map. */
  private valueSchema(
    kind: "scalar" | "enum" | "message",
    value: {
      scalar?: ScalarType | undefined;
      enum?: DescEnum | undefined;
      message?: DescMessage | undefined;
    },
  ): JsonSchema {
    if (kind === "scalar") return scalarSchema(value.scalar as ScalarType);
    if (kind === "enum") return this.enumSchema(value.enum as DescEnum);
    return this.refTo(value.message as DescMessage);
  }

  enumSchema(descEnum: DescEnum): JsonSchema {
    const names = descEnum.values
      .filter((value) => value.number > 0)
      .map((value) => shortEnumName(descEnum, value.name));
    return withDescription({ type: "string", enum: names }, this.catalogue.commentOf(descEnum));
  }
}

function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.BYTES:
      return { type: "string", contentEncoding: "base64" };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: "number" };
    default:
      return { type: "integer" };
  }
}

function withDescription(schema: JsonSchema, description: string): JsonSchema {
  return description ? { ...schema, description } : schema;
}
