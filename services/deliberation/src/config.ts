import { loadConfig, port, serviceConfigShape } from "@civic/service-kit";
import { z } from "zod";

export const deliberationConfigSchema = z.object({
  ...serviceConfigShape,
  GRPC_PORT: port().default(50053),
  /** A JSON file with the "five discussed, five not" list, replacing the default. */
  TOPIC_ADMISSIBILITY_FILE: z.string().optional(),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default("deliberation"),
});

export type DeliberationConfig = Pick<
  z.infer<typeof deliberationConfigSchema>,
  | "MONGODB_URI"
  | "MONGODB_DATABASE"
  | "NATS_URL"
  | "EVENT_NAMESPACE"
  | "GRPC_PORT"
  | "SHUTDOWN_GRACE_MS"
  | "TOPIC_ADMISSIBILITY_FILE"
>;

export const loadDeliberationConfig = () => loadConfig(deliberationConfigSchema);
