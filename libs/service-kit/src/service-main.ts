import { createLogger, initTelemetry, recordBuildInfo, startMetricsServer } from "@civic/telemetry";
import type { Logger } from "pino";
import { CallerTokenVerifier } from "./caller-token.js";
import { ConfigError } from "./config.js";
import { configureGrpcServing } from "./grpc-serving.js";
import { runUntilSignalled, type Stopper } from "./lifecycle.js";

/** A started service: where it listens and how it stops, in order. */
export interface RunningService {
  grpcPort: number;
  /** Stops in order: no new calls, in-flight calls finish, events flushed, connections closed. */
  stops: Stopper[];
}

/**
 * Loads the configuration, or logs why it is invalid as one JSON line (level fatal, the
 * message naming every bad variable) and exits with 1: what a log collector reads when a
 * pod cannot start. Any other error is thrown as it is.
 */
export function loadConfigOrExit<Config>(
  service: string,
  load: () => Config,
  exit: (code: number) => never = process.exit,
): Config {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger(service).fatal({ err: { type: error.name, message: error.message } }, error.message);
    return exit(1);
  }
}

/**
 * The `main` of every service: tracing first, then how gRPC is served (the keys caller
 * tokens are verified with, the bind address, the calls admitted at once), then the application (loaded by `start`, so
 * the modules it imports are loaded once tracing is registered), metrics, and an orderly
 * stop on SIGTERM or SIGINT.
 */
export async function runServiceMain<
  Config extends {
    OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
    METRICS_PORT: number;
    SHUTDOWN_GRACE_MS: number;
    CALLER_TOKEN_PUBLIC_KEY: string;
    GRPC_HOST: string;
    GRPC_MAX_IN_FLIGHT: number;
  },
>(options: {
  name: string;
  config: Config;
  start: (config: Config, logger: Logger) => Promise<RunningService>;
}): Promise<void> {
  const { name, config } = options;
  const telemetry = initTelemetry({ serviceName: name, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger(name);
  recordBuildInfo(name);
  configureGrpcServing({
    callerTokens: await CallerTokenVerifier.fromPublicKeys(config.CALLER_TOKEN_PUBLIC_KEY),
    host: config.GRPC_HOST,
    maxCallsInFlight: config.GRPC_MAX_IN_FLIGHT,
  });
  const service = await options.start(config, logger);
  const metricsServer = await startMetricsServer({ port: config.METRICS_PORT });
  logger.info({ grpcPort: service.grpcPort, metricsPort: metricsServer.port }, `${name} ready`);
  runUntilSignalled({
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    stoppers: [
      ...service.stops,
      { name: "metrics", stop: () => metricsServer.close() },
      { name: "telemetry", stop: () => telemetry.shutdown() },
    ],
  });
}
