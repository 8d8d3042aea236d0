import type { StreamLimitsConfig } from "@civic/event-log";
import {
  durationMs,
  loadConfig,
  type NatsConnectionConfig,
  port,
  serviceConfigShape,
} from "@civic/service-kit";
import { z } from "zod";

export const gridCasesConfigSchema = z.object({
  ...serviceConfigShape,
  GRPC_PORT: port().default(50051),
  SLA_WATCH_INTERVAL_MS: durationMs().default(30_000),
  SAFETY_INDEX_INDICATORS: z.enum(["three", "four"]).default("three"),
  PERSONAL_DATA_KEY: z
    .string({ error: "required: 32 random bytes, base64 (openssl rand -base64 32)" })
    .refine((key) => Buffer.from(key, "base64").length === 32, "must be 32 bytes, base64-encoded"),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default("grid_cases"),
});

export type GridCasesConfig = Pick<
  z.infer<typeof gridCasesConfigSchema>,
  | "MONGODB_URI"
  | "MONGODB_DATABASE"
  | "NATS_URL"
  | "EVENT_NAMESPACE"
  | "PERSONAL_DATA_KEY"
  | "SAFETY_INDEX_INDICATORS"
  | "GRPC_PORT"
  | "SHUTDOWN_GRACE_MS"
  | "SLA_WATCH_INTERVAL_MS"
> &
  // Replicas and retention of the service's event stream (defaults in serviceConfigShape),
  // and the NATS user and password where the server asks for them.
  StreamLimitsConfig &
  Pick<NatsConnectionConfig, "NATS_USER" | "NATS_PASSWORD">;

export const loadGridCasesConfig = () => loadConfig(gridCasesConfigSchema);
