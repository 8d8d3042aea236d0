import { runUntilSignalled } from "@civic/service-kit";
import { createLogger, initTelemetry, startMetricsServer } from "@civic/telemetry";
import { loadPartyBuildingConfig } from "./config.js";

const config = loadPartyBuildingConfig();
// Tracing is registered before the application modules load.
const telemetry = initTelemetry({
  serviceName: "party-building",
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const logger = createLogger("party-building");
const { startPartyBuilding } = await import("./service.js");

const service = await startPartyBuilding(config, logger);
const metricsServer = await startMetricsServer({ port: config.METRICS_PORT });
logger.info({ grpcPort: service.grpcPort, metricsPort: metricsServer.port }, "party-building ready");
runUntilSignalled({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  stoppers: [
    ...service.stops,
    { name: "metrics", stop: () => metricsServer.close() },
    { name: "telemetry", stop: () => telemetry.shutdown() },
  ],
});
