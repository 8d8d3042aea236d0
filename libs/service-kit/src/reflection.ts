import { readFileSync } from "node:fs";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { descriptorSetPath, errorDetailsDescriptorSetPath } from "@civic/contracts";
import type * as grpc from "@grpc/grpc-js";
import type { PackageDefinition } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { healthFileDescriptorProto } from "./health-descriptor.js";

// The files are the same for every server in the process: read them once.
let reflectedFiles: Buffer[] | undefined;

/**
 * The contracts' files as `buf build` wrote them (each FileDescriptorProto encoded alone),
 * imports included: google/protobuf/timestamp.proto, google/api/annotations.proto and the
 * rest; google.rpc's error details, which errors carry; and grpc.health.v1's file. A file in
 * both sets (google/protobuf/any.proto, say) is served once.
 */
function reflectedFileDescriptorProtos(): Buffer[] {
  if (!reflectedFiles) {
    const files = new Map<string, FileDescriptorProto>();
    for (const path of [descriptorSetPath, errorDetailsDescriptorSetPath]) {
      for (const file of fromBinary(FileDescriptorSetSchema, readFileSync(path)).file)
        files.set(file.name, file);
    }
    const health = healthFileDescriptorProto();
    files.set(health.name, health);
    reflectedFiles = [...files.values()].map((file) =>
      Buffer.from(toBinary(FileDescriptorProtoSchema, file)),
    );
  }
  return reflectedFiles;
}

/**
 * Adds gRPC server reflection (grpc.reflection.v1 and v1alpha) listing `serviceNames`, the
 * services this server hosts, and answering for every file of the contracts, google.rpc's error
 * details and health.
 *
 * ReflectionService reads only the `fileDescriptorProtos` of each entry of the package
 * definition it is given. Those of @grpc/proto-loader's definitions are files rebuilt per
 * package with empty import lists (grpc/grpc-node#2595), so a client such as
 * `grpcurl describe` cannot resolve google.protobuf.Timestamp; it is given the compiled
 * files themselves instead, with their own names and imports.
 */
export function addReflectionService(server: Pick<grpc.Server, "addService">, serviceNames: string[]): void {
  const definition = Object.fromEntries(
    reflectedFileDescriptorProtos().map((file, index) => [`file${index}`, { fileDescriptorProtos: [file] }]),
  );
  new ReflectionService(definition as unknown as PackageDefinition, { services: serviceNames }).addToServer(
    server,
  );
}
