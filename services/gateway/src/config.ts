import { discoveryDefaults } from "@civic/open311";
import { durationMs, loadConfig, port, serviceConfigShape } from "@civic/service-kit";
import { z } from "zod";
import { asymmetricAlgorithms } from "./identity.js";

/** A service's gRPC address, host:port. */
const serviceAddress = (fallback: string) =>
  z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, "expected host:port")
    .default(fallback);

export const gatewayConfigSchema = z.object({
  PORT: port().default(8080),
  METRICS_PORT: port().default(9464),
  GRID_CASES_ADDRESS: serviceAddress("127.0.0.1:50051"),
  DELIBERATION_ADDRESS: serviceAddress("127.0.0.1:50053"),
  PARTY_BUILDING_ADDRESS: serviceAddress("127.0.0.1:50052"),
  SOCIAL_REGISTRY_ADDRESS: serviceAddress("127.0.0.1:50054"),
  VOLUNTEER_STATIONS_ADDRESS: serviceAddress("127.0.0.1:50055"),
  GRPC_DEADLINE_MS: durationMs().default(5_000),
  /**
   * Requests in flight to one service, counted from their arrival; more are refused at once
   * (503 + Retry-After) before anything costly runs for them.
   */
  UPSTREAM_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(64),
  /** NATS with JetStream, where Idempotency-Key records are kept (a KV bucket). */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/\S+$/, "expected nats://host:port")
    .default("nats://127.0.0.1:4222"),
  NATS_USER: serviceConfigShape.NATS_USER,
  NATS_PASSWORD: serviceConfigShape.NATS_PASSWORD,
  IDEMPOTENCY_BUCKET: z
    .string()
    .regex(/^[\w-]+$/, "letters, digits, _ and - only")
    .default("gateway_idempotency"),
  /** How long a key's first response is remembered (default 24 hours). */
  IDEMPOTENCY_TTL_MS: durationMs().default(86_400_000),
  /** Servers keeping a copy of the bucket (3 in the prod cluster), and its size cap (256 MiB). */
  IDEMPOTENCY_REPLICAS: serviceConfigShape.STREAM_REPLICAS,
  IDEMPOTENCY_MAX_BYTES: serviceConfigShape.STREAM_MAX_BYTES.default(268_435_456),
  /** The namespace the services publish their events under (the event stream follows it). */
  EVENT_NAMESPACE: serviceConfigShape.EVENT_NAMESPACE,
  /** Open event streams per caller, and per gateway. */
  EVENT_STREAM_PER_CALLER: z.coerce.number().int().min(1).default(5),
  EVENT_STREAM_TOTAL: z.coerce.number().int().min(1).default(1_000),
  SHUTDOWN_GRACE_MS: durationMs().default(10_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /**
   * The PKCS#8 PEM EC P-256 private key the gateway signs caller tokens for the services
   * with; they hold its public key (CALLER_TOKEN_PUBLIC_KEY).
   */
  CALLER_TOKEN_PRIVATE_KEY: z
    .string({ error: "required: the PKCS#8 PEM private key that signs caller tokens" })
    .includes("BEGIN PRIVATE KEY", {
      error: "expected a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)",
    }),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** An SPKI PEM public key that signs tokens (with JWT_ALGORITHM), for production. */
  JWT_PUBLIC_KEY: z
    .string()
    .includes("BEGIN PUBLIC KEY", { error: "expected an SPKI PEM public key" })
    .optional(),
  JWT_ALGORITHM: z.enum(asymmetricAlgorithms).default("RS256"),
  /** The identity provider's JWKS endpoint, for production (takes precedence over a PEM key). */
  JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, "expected a size such as 64kb or 1mb")
    .default("64kb"),
  RATE_LIMIT_WINDOW_MS: durationMs().default(60_000),
  /** The NATS KV bucket where every replica keeps the rate-limit counts. */
  RATE_LIMIT_BUCKET: z
    .string()
    .regex(/^[\w-]+$/, "letters, digits, _ and - only")
    .default("gateway_rate_limits"),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(3_000),
  RATE_LIMIT_PER_CALLER: z.coerce.number().int().min(1).default(600),
  /** Comma-separated origins allowed by CORS, e.g. https://dashboard.example.gov.cn. */
  CORS_ORIGINS: z
    .string()
    .transform((origins) =>
      origins
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url()))
    .default([]),
  /** Open311 discovery: who answers for the endpoint, and where clients get an api_key. */
  OPEN311_CONTACT: z.string().min(1).default(discoveryDefaults.contact),
  OPEN311_KEY_SERVICE: z.string().min(1).default(discoveryDefaults.keyService),
  /** Express's `trust proxy`: the number of proxies in front, or true/false. */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2})$/, "expected true, false or a number of proxies")
    .transform((value) => (value === "true" ? true : value === "false" ? false : Number(value)))
    .default(false),
});

export const loadGatewayConfig = () => loadConfig(gatewayConfigSchema);
