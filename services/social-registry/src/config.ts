import { loadConfig, port, serviceConfigShape } from "@civic/service-kit";
import { z } from "zod";

export const socialRegistryConfigSchema = z.object({
  ...serviceConfigShape,
  GRPC_PORT: port().default(50054),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default("social_registry"),
});

export type SocialRegistryConfig = Pick<
  z.infer<typeof socialRegistryConfigSchema>,
  "MONGODB_URI" | "MONGODB_DATABASE" | "NATS_URL" | "EVENT_NAMESPACE" | "GRPC_PORT" | "SHUTDOWN_GRACE_MS"
>;

export const loadSocialRegistryConfig = () => loadConfig(socialRegistryConfigSchema);
