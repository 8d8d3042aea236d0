import type { ServiceStorageConfig } from "@civic/event-log";
import { commonServiceConfig, loadConfig } from "@civic/service-kit";
import { z } from "zod";

export const socialRegistryConfigSchema = z.object({
  ...commonServiceConfig({ grpcPort: 50054, database: "social_registry" }),
  /** Organisations (registered or active) per 10,000 residents an area should have at least. */
  DENSITY_ORGANISATIONS_PER_10K_TARGET: z.coerce.number().positive().default(6.5),
  /** Community organisations an urban community should have at least. */
  DENSITY_URBAN_COMMUNITY_TARGET: z.coerce.number().int().positive().default(10),
  /** Community organisations a rural community should have at least. */
  DENSITY_RURAL_COMMUNITY_TARGET: z.coerce.number().int().positive().default(5),
  /** Licensed social workers per 10,000 residents an area should have at least; 0: no target. */
  DENSITY_SOCIAL_WORKERS_PER_10K_TARGET: z.coerce.number().min(0).default(0),
  /** Urban or rural for every community: grid-cases' areas do not say which. */
  DENSITY_DEFAULT_SETTLEMENT: z.enum(["urban", "rural"]).default("urban"),
});

type LoadedConfig = z.infer<typeof socialRegistryConfigSchema>;

/** What the service needs; the density settings take their defaults when left out. */
export type SocialRegistryConfig = ServiceStorageConfig &
  Pick<LoadedConfig, "GRPC_PORT" | "SHUTDOWN_GRACE_MS"> &
  Partial<
    Pick<
      LoadedConfig,
      | "DENSITY_ORGANISATIONS_PER_10K_TARGET"
      | "DENSITY_URBAN_COMMUNITY_TARGET"
      | "DENSITY_RURAL_COMMUNITY_TARGET"
      | "DENSITY_SOCIAL_WORKERS_PER_10K_TARGET"
      | "DENSITY_DEFAULT_SETTLEMENT"
    >
  >;

export const loadSocialRegistryConfig = () => loadConfig(socialRegistryConfigSchema);
