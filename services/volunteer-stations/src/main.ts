import { runUntilSignalled } from "@civic/service-kit";
import { createLogger, initTelemetry, startMetricsServer } from "@civic/telemetry";
import { loadVolunteerStationsConfig } from "./config.js";

const config = loadVolunteerStationsConfig();
// Tracing is registered before the application modules load.
const telemetry = initTelemetry({
  serviceName: "volunteer-stations",
  otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const logger = createLogger("volunteer-stations");
const { startVolunteerStations } = await import("./service.js");

const service = await startVolunteerStations(config, logger);
const metricsServer = await startMetricsServer({ port: config.METRICS_PORT });
logger.info({ grpcPort: service.grpcPort, metricsPort: metricsServer.port }, "volunteer-stations ready");
runUntilSignalled({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  stoppers: [
    ...service.stops,
    { name: "metrics", stop: () => metricsServer.close() },
    { name: "telemetry", stop: () => telemetry.shutdown() },
  ],
});
