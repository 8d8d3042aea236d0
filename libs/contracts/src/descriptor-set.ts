import { fileURLToPath } from "node:url";

/**
 * Path of the binary FileDescriptorSet of every contract (with imports), written by
 * `pnpm generate`. Servers load it for gRPC server reflection.
 */
export const descriptorSetPath = fileURLToPath(new URL("../descriptors/civic.binpb", import.meta.url));
