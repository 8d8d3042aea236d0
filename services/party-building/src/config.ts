import type { StreamLimitsConfig } from "@civic/event-log";
import { loadConfig, type NatsConnectionConfig, port, serviceConfigShape } from "@civic/service-kit";
import { z } from "zod";
import { defaultCommunityServicePoints } from "./domain/community-service.js";

/** A JSON object of service kind → points, e.g. {"volunteering": 2, "dispute_mediation": 3}. */
const communityServicePoints = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: "expected a JSON object of kind → points" });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(
        z.string().regex(/^[a-z][a-z_]{0,31}$/, "kinds are lowercase words with _"),
        z.number().int().min(1).max(100),
      )
      .refine((table) => Object.keys(table).length > 0, "needs at least one kind"),
  );

export const partyBuildingConfigSchema = z.object({
  ...serviceConfigShape,
  GRPC_PORT: port().default(50052),
  COMMUNITY_SERVICE_POINTS: communityServicePoints.default({ ...defaultCommunityServicePoints }),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default("party_building"),
});

export type PartyBuildingConfig = Pick<
  z.infer<typeof partyBuildingConfigSchema>,
  | "MONGODB_URI"
  | "MONGODB_DATABASE"
  | "NATS_URL"
  | "EVENT_NAMESPACE"
  | "GRPC_PORT"
  | "SHUTDOWN_GRACE_MS"
  | "COMMUNITY_SERVICE_POINTS"
> &
  // Replicas and retention of the service's event stream (defaults in serviceConfigShape),
  // and the NATS user and password where the server asks for them.
  StreamLimitsConfig &
  Pick<NatsConnectionConfig, "NATS_USER" | "NATS_PASSWORD">;

export const loadPartyBuildingConfig = () => loadConfig(partyBuildingConfigSchema);
