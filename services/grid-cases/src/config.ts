import { durationMs, loadConfig, port, serviceConfigShape } from "@civic/service-kit";
import { z } from "zod";

export const gridCasesConfigSchema = z.object({
  ...serviceConfigShape,
  GRPC_PORT: port().default(50051),
  SLA_WATCH_INTERVAL_MS: durationMs().default(30_000),
  SAFETY_INDEX_INDICATORS: z.enum(["three", "four"]).default("three"),
  /** A JSON file of working-day calendars to load at start, besides 2026 (see docs/api.md). */
  WORKING_CALENDAR_FILE: z.string().optional(),
  /** How often a replica reads the stored calendars again, for years loaded through another. */
  WORKING_CALENDAR_REFRESH_MS: durationMs().default(60_000),
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
  Partial<
    Pick<z.infer<typeof gridCasesConfigSchema>, "WORKING_CALENDAR_FILE" | "WORKING_CALENDAR_REFRESH_MS">
  >;

export const loadGridCasesConfig = () => loadConfig(gridCasesConfigSchema);
