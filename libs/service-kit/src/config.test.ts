import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, loadConfig, port, serviceConfigShape } from "./config.js";

const schema = z.object({ ...serviceConfigShape, GRPC_PORT: port().default(50051) });

describe("loadConfig", () => {
  it("applies defaults and coerces numbers", () => {
    const config = loadConfig(schema, {
      MONGODB_URI: "mongodb://localhost:27017/",
      NATS_URL: "nats://localhost:4222",
    });
    expect(config).toMatchObject({
      GRPC_PORT: 50051,
      METRICS_PORT: 9464,
      SHUTDOWN_GRACE_MS: 10_000,
      LOG_LEVEL: "info",
    });
  });

  it("names every bad variable, its problem and its value", () => {
    let error: unknown;
    try {
      loadConfig(schema, { MONGODB_URI: "postgres://x", GRPC_PORT: "abc" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('MONGODB_URI: expected a mongodb:// URI, got "postgres://x"');
    expect(message).toContain("NATS_URL: required: the NATS server URL (not set)");
    expect(message).toContain('GRPC_PORT: expected a port number 0-65535, got "abc"');
  });
});
