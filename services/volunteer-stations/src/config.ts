import type { ServiceStorageConfig } from "@civic/event-log";
import {
  commonServiceConfig,
  loadConfig,
  type PersonalDataConfig,
  personalDataConfigShape,
} from "@civic/service-kit";
import { z } from "zod";

export const volunteerStationsConfigSchema = z.object({
  ...commonServiceConfig({ grpcPort: 50055, database: "volunteer_stations" }),
  ...personalDataConfigShape,
  /** How often the 24-hour automatic check-out and the abandoned-seat sweep run. */
  SIGN_UP_HOUSEKEEPING_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** The highest value of a micro-wish, in fen (default 500 yuan). */
  MICRO_WISH_MAX_VALUE_FEN: z.coerce.number().int().min(100).default(50_000),
});

export type VolunteerStationsConfig = ServiceStorageConfig &
  PersonalDataConfig &
  Pick<
    z.infer<typeof volunteerStationsConfigSchema>,
    "GRPC_PORT" | "SHUTDOWN_GRACE_MS" | "SIGN_UP_HOUSEKEEPING_INTERVAL_MS" | "MICRO_WISH_MAX_VALUE_FEN"
  >;

export const loadVolunteerStationsConfig = () => loadConfig(volunteerStationsConfigSchema);
