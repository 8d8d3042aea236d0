import { runUntilSignalled } from "@civic/service-kit";
import { createLogger, initTelemetry, startMetricsServer } from "@civic/telemetry";
import { loadDeliberationConfig } from "./config.js";

const config = loadDeliberationConfig();
// Tracing is registered before the application modules load.
const telemetry = initTelemetry({
  serviceName: "deliberation",
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const logger = createLogger("deliberation");
const { startDeliberation } = await import("./service.js");

const service = await startDeliberation(config, logger);
const metricsServer = await startMetricsServer({ port: config.METRICS_PORT });
logger.info({ grpcPort: service.grpcPort, metricsPort: metricsServer.port }, "deliberation ready");
runUntilSignalled({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  stoppers: [
    ...service.stops,
    { name: "metrics", stop: () => metricsServer.close() },
    { name: "telemetry", stop: () => telemetry.shutdown() },
  ],
});
