import type { StreamLimitsConfig } from "@civic/event-log";
import {
  loadConfig,
  type NatsConnectionConfig,
  personalDataConfigShape,
  port,
  serviceConfigShape,
} from "@civic/service-kit";
import { z } from "zod";

export const volunteerStationsConfigSchema = z.object({
  ...serviceConfigShape,
  GRPC_PORT: port().default(50055),
  ...personalDataConfigShape,
  /** How often the 24-hour automatic check-out and the abandoned-seat sweep run. */
  SIGN_UP_HOUSEKEEPING_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** The highest value of a micro-wish, in fen (default 500 yuan). */
  MICRO_WISH_MAX_VALUE_FEN: z.coerce.number().int().min(100).default(50_000),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default("volunteer_stations"),
});

export type VolunteerStationsConfig = Pick<
  z.infer<typeof volunteerStationsConfigSchema>,
  | "MONGODB_URI"
  | "MONGODB_DATABASE"
  | "NATS_URL"
  | "EVENT_NAMESPACE"
  | "PERSONAL_DATA_KEY"
  | "GRPC_PORT"
  | "SHUTDOWN_GRACE_MS"
  | "SIGN_UP_HOUSEKEEPING_INTERVAL_MS"
  | "MICRO_WISH_MAX_VALUE_FEN"
> &
  // Replicas and retention of the service's event stream (defaults in serviceConfigShape),
  // and the NATS user and password where the server asks for them.
  StreamLimitsConfig &
  Pick<NatsConnectionConfig, "NATS_USER" | "NATS_PASSWORD"> & {
    /** Keys of before a rotation (they only open); none unless set. */
    PERSONAL_DATA_PREVIOUS_KEYS?: string[];
  };

export const loadVolunteerStationsConfig = () => loadConfig(volunteerStationsConfigSchema);
