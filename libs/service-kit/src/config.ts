import { z } from "zod";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Reads configuration from the environment and fails fast with one message naming every
 * bad variable, e.g. `Invalid configuration: GRPC_PORT: expected a port number 0-65535,
 * got "abc"; NATS_URL: required: the NATS server URL (not set)`.
 *
 * A variable set to an empty (or blank) string counts as not set, so `METRICS_PORT=` in a
 * compose file means "use the default", not port 0.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const present = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => (entry[1] ?? "").trim() !== ""),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.map(String).join(".");
    const value = present[variable];
    return `${variable}: ${issue.message}${value === undefined ? " (not set)" : `, got ${JSON.stringify(value)}`}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
}

/** A TCP port; 0 asks the OS for a free one (tests run services that way). */
export const port = () =>
  z.coerce
    .number({ error: "expected a port number 0-65535" })
    .int("expected a port number 0-65535")
    .min(0, "expected a port number 0-65535")
    .max(65_535, "expected a port number 0-65535");

/** An absolute URL, by default http or https. */
export const url = (options: { protocols?: string[] } = {}) => {
  const protocols = options.protocols ?? ["http", "https"];
  const expected = `expected a ${protocols.join(" or ")} URL`;
  return z.url({
    protocol: new RegExp(
      `^(${protocols.map((protocol) => protocol.replace(/[^a-z0-9+.-]/gi, "")).join("|")})$`,
    ),
    error: expected,
  });
};

/** A duration in whole milliseconds, greater than 0. */
export const durationMs = () =>
  z.coerce
    .number({ error: "expected milliseconds" })
    .int("expected whole milliseconds")
    .positive("expected a positive duration");

/** Variables every service reads (without GRPC_PORT, whose default differs per service). */
export const serviceConfigShape = {
  MONGODB_URI: z
    .string({ error: "required: the MongoDB connection string" })
    .regex(/^mongodb(\+srv)?:\/\//, "expected a mongodb:// URI"),
  NATS_URL: z.string({ error: "required: the NATS server URL" }).min(1, "required: the NATS server URL"),
  /** NATS user and password, where the server asks for them (k8s: Secret `nats`). */
  NATS_USER: z
    .string()
    .regex(/^[\w-]+$/, "letters, digits, _ and - only")
    .optional(),
  NATS_PASSWORD: z.string().min(16, "expected at least 16 characters").optional(),
  EVENT_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, "expected a lowercase word such as civic")
    .default("civic"),
  METRICS_PORT: port().default(9464),
  /**
   * The gateway's public key(s) (SPKI PEM, EC P-256; several concatenated during a
   * rotation): every call's caller token must be signed by one of them.
   */
  CALLER_TOKEN_PUBLIC_KEY: z
    .string({ error: "required: the gateway's caller-token public key (SPKI PEM)" })
    .includes("BEGIN PUBLIC KEY", { error: "expected an SPKI PEM public key (-----BEGIN PUBLIC KEY-----)" }),
  /** The address the gRPC server binds: 0.0.0.0 in containers, 127.0.0.1 on a workstation. */
  GRPC_HOST: z
    .string()
    .regex(/^[\w.:-]+$/, "expected an IP address or host name, e.g. 127.0.0.1")
    .default("0.0.0.0"),
  /**
   * Calls handled at once; more are refused at once with RESOURCE_EXHAUSTED (the gateway
   * answers 503 with Retry-After) rather than queued until the caller's deadline passes.
   */
  GRPC_MAX_IN_FLIGHT: z.coerce
    .number()
    .int("expected a whole number")
    .min(1, "expected at least 1")
    .default(64),
  SHUTDOWN_GRACE_MS: durationMs().default(10_000),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  OTEL_EXPORTER_OTLP_ENDPOINT: url().optional(),
  /** Servers keeping a copy of the service's event stream: 3 in the prod cluster. */
  STREAM_REPLICAS: z.coerce
    .number({ error: "expected 1 to 5 replicas" })
    .int("expected 1 to 5 replicas")
    .min(1, "expected 1 to 5 replicas")
    .max(5, "expected 1 to 5 replicas")
    .default(1),
  /** Events older than this leave the stream (the outbox keeps every one): 30 days. */
  STREAM_MAX_AGE_MS: durationMs().default(30 * 86_400_000),
  /** The stream's size cap; the oldest events leave first: 1 GiB. */
  STREAM_MAX_BYTES: z.coerce
    .number({ error: "expected a size in bytes" })
    .int("expected a size in bytes")
    .min(1_048_576, "expected at least 1 MiB (1048576)")
    .default(1_073_741_824),
};

/**
 * The common service variables plus this service's defaults for GRPC_PORT and its database,
 * to spread into the service's schema:
 * `z.object({ ...commonServiceConfig({ grpcPort: 50051, database: "grid_cases" }), … })`.
 */
export function commonServiceConfig(defaults: { grpcPort: number; database: string; metricsPort?: number }) {
  return {
    ...serviceConfigShape,
    GRPC_PORT: port().default(defaults.grpcPort),
    METRICS_PORT: port().default(defaults.metricsPort ?? 9464),
    MONGODB_DATABASE: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .default(defaults.database),
  };
}

const personalDataKey = () =>
  z
    .string({ error: "required: 32 random bytes, base64 (openssl rand -base64 32)" })
    .refine((key) => Buffer.from(key, "base64").length === 32, "must be 32 bytes, base64-encoded");

/**
 * The variables of a service that seals personal data (PersonalDataProtector): the
 * current key, and the keys of before a rotation, comma-separated, which only open
 * (deploy/README.md, "Rotating the personal-data key").
 */
export const personalDataConfigShape = {
  PERSONAL_DATA_KEY: personalDataKey(),
  PERSONAL_DATA_PREVIOUS_KEYS: z
    .string()
    .transform((keys) =>
      keys
        .split(",")
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(z.array(personalDataKey()))
    .default([]),
};

/** What PersonalDataProtector is built from; the previous keys default to none. */
export interface PersonalDataConfig {
  PERSONAL_DATA_KEY: string;
  /** Keys of before a rotation (they only open); none unless set. */
  PERSONAL_DATA_PREVIOUS_KEYS?: string[];
}
