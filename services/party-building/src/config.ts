import { loadConfig, port, serviceConfigShape } from "@civic/service-kit";
import { z } from "zod";

export const partyBuildingConfigSchema = z.object({
  ...serviceConfigShape,
  GRPC_PORT: port().default(50052),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default("party_building"),
});

export type PartyBuildingConfig = Pick<
  z.infer<typeof partyBuildingConfigSchema>,
  "MONGODB_URI" | "MONGODB_DATABASE" | "NATS_URL" | "EVENT_NAMESPACE" | "GRPC_PORT" | "SHUTDOWN_GRACE_MS"
>;

export const loadPartyBuildingConfig = () => loadConfig(partyBuildingConfigSchema);
