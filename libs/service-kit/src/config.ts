import { z } from "zod";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Reads configuration from the environment and fails fast with one message naming every
 * bad variable, e.g. `Invalid configuration: GRPC_PORT: expected a port 0-65535, got "abc"`.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join(".");
    const value = env[variable];
    return `${variable}: ${issue.message}${value === undefined ? " (not set)" : `, got ${JSON.stringify(value)}`}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
}

/** A TCP port from an environment variable; 0 asks the OS for a free one. */
export const port = () =>
  z.coerce
    .number({ error: "expected a port number 0-65535" })
    .int("expected a port number 0-65535")
    .min(0, "expected a port number 0-65535")
    .max(65_535, "expected a port number 0-65535");

/** A duration in milliseconds. */
export const durationMs = () =>
  z.coerce
    .number({ error: "expected milliseconds" })
    .int("expected whole milliseconds")
    .positive("expected a positive duration");

/** Variables every service reads. */
export const serviceConfigShape = {
  MONGODB_URI: z
    .string({ error: "required: the MongoDB connection string" })
    .regex(/^mongodb(\+srv)?:\/\//, "expected a mongodb:// URI"),
  NATS_URL: z.string({ error: "required: the NATS server URL" }).min(1, "required: the NATS server URL"),
  EVENT_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, "expected a lowercase word such as civic")
    .default("civic"),
  METRICS_PORT: port().default(9464),
  SHUTDOWN_GRACE_MS: durationMs().default(10_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: "expected a URL" }).optional(),
};
