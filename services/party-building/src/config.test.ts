import { ConfigError, generateCallerTokenKeys, loadConfig } from "@civic/service-kit";
import { describe, expect, it } from "vitest";
import { partyBuildingConfigSchema } from "./config.js";

const required = {
  MONGODB_URI: "mongodb://localhost:27017",
  NATS_URL: "nats://localhost:4222",
  CALLER_TOKEN_PUBLIC_KEY: generateCallerTokenKeys().publicKey,
};

describe("party-building configuration", () => {
  it("defaults to port 50052, its own database and the default service points", () => {
    const config = loadConfig(partyBuildingConfigSchema, required);
    expect(config).toMatchObject({ GRPC_PORT: 50052, MONGODB_DATABASE: "party_building" });
    expect(config.COMMUNITY_SERVICE_POINTS.dispute_mediation).toBe(3);
  });

  it("reads a points table and refuses a malformed one", () => {
    const config = loadConfig(partyBuildingConfigSchema, {
      ...required,
      COMMUNITY_SERVICE_POINTS: '{"haircut": 1, "home_repair": 4}',
    });
    expect(config.COMMUNITY_SERVICE_POINTS).toEqual({ haircut: 1, home_repair: 4 });
    for (const bad of ["not json", "{}", '{"Haircut": 1}', '{"haircut": 0}', '{"haircut": 1.5}']) {
      expect(() =>
        loadConfig(partyBuildingConfigSchema, { ...required, COMMUNITY_SERVICE_POINTS: bad }),
      ).toThrow(ConfigError);
    }
  });
});
