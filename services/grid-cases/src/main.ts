import { runUntilSignalled } from "@civic/service-kit";
import { createLogger, initTelemetry, startMetricsServer } from "@civic/telemetry";
import { loadGridCasesConfig } from "./config.js";

const config = loadGridCasesConfig();
// Tracing is registered before the application modules load.
const telemetry = initTelemetry({
  serviceName: "grid-cases",
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const logger = createLogger("grid-cases");
const { startGridCases } = await import("./service.js");

const service = await startGridCases(config, logger);
const metricsServer = await startMetricsServer({ port: config.METRICS_PORT });
logger.info({ grpcPort: service.grpcPort, metricsPort: metricsServer.port }, "grid-cases ready");
runUntilSignalled({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  stoppers: [
    ...service.stops,
    { name: "metrics", stop: () => metricsServer.close() },
    { name: "telemetry", stop: () => telemetry.shutdown() },
  ],
});
