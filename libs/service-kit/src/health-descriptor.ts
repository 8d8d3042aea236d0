import { fromBinary } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import { service as healthService } from "grpc-health-check";

/** The health service every server adds (grpc-health-check's). */
export const healthServiceName = "grpc.health.v1.Health";

/**
 * grpc.health.v1's file as grpc-health-check loaded it, completed as protoc would write it:
 * protobufjs writes type references relative to their scope, which reflection clients such
 * as @bufbuild/protobuf refuse, and leaves out the fields' JSON names, which
 * @grpc/reflection then sends as "", and names a map's entry type after the field
 * ("Statuses"), which grpcurl refuses. Here references are fully qualified
 * (".grpc.health.v1.HealthCheckResponse"), JSON names lowerCamel and entries "StatusesEntry".
 */
export function healthFileDescriptorProto(): FileDescriptorProto {
  const [bytes] = healthService.Check?.requestType.fileDescriptorProtos ?? [];
  if (!bytes) throw new Error("grpc-health-check's service definition carries no file descriptor");
  const file = fromBinary(FileDescriptorProtoSchema, bytes);
  for (const message of file.messageType) nameMapEntries(message);
  const defined = new Set<string>();
  const collect = (scope: string, message: DescriptorProto) => {
    const name = `${scope}.${message.name}`;
    defined.add(name);
    for (const nested of message.enumType) defined.add(`${name}.${nested.name}`);
    for (const nested of message.nestedType) collect(name, nested);
  };
  const packageScope = `.${file.package}`;
  for (const message of file.messageType) collect(packageScope, message);
  for (const enumType of file.enumType) defined.add(`${packageScope}.${enumType.name}`);

  // Protobuf's rule: a relative name is looked up in the scope, then in each enclosing one.
  const qualify = (scope: string, typeName: string) => {
    if (typeName === "" || typeName.startsWith(".")) return typeName;
    for (let outer = scope; outer !== ""; outer = outer.slice(0, outer.lastIndexOf("."))) {
      if (defined.has(`${outer}.${typeName}`)) return `${outer}.${typeName}`;
    }
    throw new Error(`grpc.health.v1: cannot resolve ${typeName} from ${scope}`);
  };
  const qualifyFields = (scope: string, message: DescriptorProto) => {
    const name = `${scope}.${message.name}`;
    for (const field of message.field) {
      field.typeName = qualify(name, field.typeName);
      field.jsonName = lowerCamel(field.name);
    }
    for (const nested of message.nestedType) qualifyFields(name, nested);
  };
  for (const message of file.messageType) qualifyFields(packageScope, message);
  for (const service of file.service) {
    for (const method of service.method) {
      method.inputType = qualify(packageScope, method.inputType);
      method.outputType = qualify(packageScope, method.outputType);
    }
  }
  return file;
}

const lowerCamel = (name: string) =>
  name.replace(/_(.)/g, (_underscore, letter: string) => letter.toUpperCase());

/** A map field's entry type is named after the field in UpperCamel with "Entry" appended. */
function nameMapEntries(message: DescriptorProto): void {
  for (const nested of message.nestedType) {
    nameMapEntries(nested);
    if (!nested.options?.mapEntry) continue;
    const field = message.field.find((candidate) => candidate.typeName === nested.name);
    if (!field) continue;
    const camel = lowerCamel(field.name);
    nested.name = `${camel.charAt(0).toUpperCase()}${camel.slice(1)}Entry`;
    field.typeName = nested.name;
  }
}
