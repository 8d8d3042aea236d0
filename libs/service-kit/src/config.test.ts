import { describe, expect, it } from "vitest";
import { z } from "zod";
import { generateCallerTokenKeys } from "./caller-token.js";
import {
  ConfigError,
  commonServiceConfig,
  durationMs,
  loadConfig,
  port,
  serviceConfigShape,
  url,
} from "./config.js";

const schema = z.object({ ...serviceConfigShape, GRPC_PORT: port().default(50051) });
const { publicKey } = generateCallerTokenKeys();

describe("loadConfig", () => {
  it("applies defaults and coerces numbers", () => {
    const config = loadConfig(schema, {
      MONGODB_URI: "mongodb://localhost:27017/",
      NATS_URL: "nats://localhost:4222",
      CALLER_TOKEN_PUBLIC_KEY: publicKey,
    });
    expect(config).toMatchObject({
      GRPC_PORT: 50051,
      GRPC_HOST: "0.0.0.0",
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
    expect(message).toContain(
      "CALLER_TOKEN_PUBLIC_KEY: required: the gateway's caller-token public key (SPKI PEM) (not set)",
    );
  });
});

describe("config helpers", () => {
  const base = {
    MONGODB_URI: "mongodb://localhost:27017/",
    NATS_URL: "nats://localhost:4222",
    CALLER_TOKEN_PUBLIC_KEY: publicKey,
  };
  const problemsOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("gives GRPC_PORT and MONGODB_DATABASE the service's defaults through commonServiceConfig", () => {
    const schema = z.object({ ...commonServiceConfig({ grpcPort: 50052, database: "party_building" }) });
    expect(loadConfig(schema, base)).toMatchObject({
      GRPC_PORT: 50052,
      METRICS_PORT: 9464,
      MONGODB_DATABASE: "party_building",
    });
    expect(loadConfig(schema, { ...base, MONGODB_DATABASE: "other_db" }).MONGODB_DATABASE).toBe("other_db");
    expect(problemsOf(() => loadConfig(schema, { ...base, MONGODB_DATABASE: "Bad-Name" }))).toContain(
      "MONGODB_DATABASE:",
    );
    expect(loadConfig(schema, { ...base, GRPC_PORT: "0" }).GRPC_PORT).toBe(0);
    expect(problemsOf(() => loadConfig(schema, { ...base, GRPC_PORT: "70000" }))).toBe(
      'Invalid configuration: GRPC_PORT: expected a port number 0-65535, got "70000"',
    );
  });

  it("treats a variable set to an empty string as not set", () => {
    const schema = z.object({ ...commonServiceConfig({ grpcPort: 50052, database: "party_building" }) });
    const config = loadConfig(schema, { ...base, METRICS_PORT: "", OTEL_EXPORTER_OTLP_ENDPOINT: " " });
    expect(config.METRICS_PORT).toBe(9464);
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(problemsOf(() => loadConfig(schema, { ...base, NATS_URL: "" }))).toContain(
      "NATS_URL: required: the NATS server URL (not set)",
    );
  });

  it("checks URLs, durations and log levels", () => {
    const schema = z.object({
      ...serviceConfigShape,
      UPSTREAM: url(),
      JETSTREAM: url({ protocols: ["nats", "tls"] }),
      TIMEOUT_MS: durationMs(),
    });
    const message = problemsOf(() =>
      loadConfig(schema, {
        ...base,
        UPSTREAM: "localhost:4318",
        JETSTREAM: "http://nats:4222",
        TIMEOUT_MS: "1.5",
        LOG_LEVEL: "verbose",
        OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector",
      }),
    );
    expect(message).toContain('UPSTREAM: expected a http or https URL, got "localhost:4318"');
    expect(message).toContain('JETSTREAM: expected a nats or tls URL, got "http://nats:4222"');
    expect(message).toContain('TIMEOUT_MS: expected whole milliseconds, got "1.5"');
    expect(message).toContain(
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
    expect(message).toContain(
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected a http or https URL, got "ftp://collector"',
    );
    expect(
      loadConfig(schema, {
        ...base,
        UPSTREAM: "http://collector:4318",
        JETSTREAM: "nats://nats:4222",
        TIMEOUT_MS: "250",
      }),
    ).toMatchObject({ UPSTREAM: "http://collector:4318", JETSTREAM: "nats://nats:4222", TIMEOUT_MS: 250 });
  });
});
