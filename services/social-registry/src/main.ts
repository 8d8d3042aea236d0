import { runUntilSignalled } from "@civic/service-kit";
import { createLogger, initTelemetry, startMetricsServer } from "@civic/telemetry";
import { loadSocialRegistryConfig } from "./config.js";

const config = loadSocialRegistryConfig();
// Tracing is registered before the application modules load.
const telemetry = initTelemetry({
  serviceName: "social-registry",
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const logger = createLogger("social-registry");
const { startSocialRegistry } = await import("./service.js");

const service = await startSocialRegistry(config, logger);
const metricsServer = await startMetricsServer({ port: config.METRICS_PORT });
logger.info({ grpcPort: service.grpcPort, metricsPort: metricsServer.port }, "social-registry ready");
runUntilSignalled({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  stoppers: [
    ...service.stops,
    { name: "metrics", stop: () => metricsServer.close() },
    { name: "telemetry", stop: () => telemetry.shutdown() },
  ],
});
