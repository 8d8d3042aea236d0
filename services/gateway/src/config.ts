import { durationMs, loadConfig, port } from "@civic/service-kit";
import { z } from "zod";

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
  SHUTDOWN_GRACE_MS: durationMs().default(10_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
});

export const loadGatewayConfig = () => loadConfig(gatewayConfigSchema);
