import type { ServiceStorageConfig } from "@civic/event-log";
import { commonServiceConfig, loadConfig } from "@civic/service-kit";
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
  ...commonServiceConfig({ grpcPort: 50052, database: "party_building" }),
  COMMUNITY_SERVICE_POINTS: communityServicePoints.default({ ...defaultCommunityServicePoints }),
});

export type PartyBuildingConfig = ServiceStorageConfig &
  Pick<
    z.infer<typeof partyBuildingConfigSchema>,
    "GRPC_PORT" | "SHUTDOWN_GRACE_MS" | "COMMUNITY_SERVICE_POINTS"
  >;

export const loadPartyBuildingConfig = () => loadConfig(partyBuildingConfigSchema);
