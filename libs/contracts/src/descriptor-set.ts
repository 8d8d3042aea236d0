import { fileURLToPath } from "node:url";

/**
 * Path of the binary FileDescriptorSet of every contract (with imports), written by
 * `pnpm generate`. Servers load it for gRPC server reflection.
 */
export const descriptorSetPath = fileURLToPath(new URL("../descriptors/civic.binpb", import.meta.url));

/**
 * Path of the binary FileDescriptorSet of google/rpc/status.proto and error_details.proto
 * (with imports): the types of the error details services send (BadRequest, ErrorInfo).
 * Servers serve it through reflection so clients such as grpcurl can decode the details.
 */
export const errorDetailsDescriptorSetPath = fileURLToPath(
  new URL("../descriptors/google-rpc.binpb", import.meta.url),
);
