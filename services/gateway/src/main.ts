import { loadConfigOrExit, runUntilSignalled } from "@civic/service-kit";
import { createLogger, initTelemetry, recordBuildInfo, startMetricsServer } from "@civic/telemetry";
import { loadGatewayConfig } from "./config.js";

const config = loadConfigOrExit("gateway", loadGatewayConfig);
// Tracing is registered before the application modules load.
const telemetry = initTelemetry({ serviceName: "gateway", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const logger = createLogger("gateway");
recordBuildInfo("gateway");
const { startGateway } = await import("./server.js");

const gateway = await startGateway(config, logger);
const metricsServer = await startMetricsServer({ port: config.METRICS_PORT });
logger.info({ port: gateway.port, metricsPort: metricsServer.port }, "gateway ready");
runUntilSignalled({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  stoppers: [
    { name: "HTTP server", stop: () => gateway.close() },
    { name: "metrics", stop: () => metricsServer.close() },
    { name: "telemetry", stop: () => telemetry.shutdown() },
  ],
});
