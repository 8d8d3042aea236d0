/**
 * The settings every service a test starts in its own process shares: its database and event
 * namespace on the test run's MongoDB and NATS, a free gRPC port and a short shutdown.
 */
export function inProcessServiceSettings(
  mongoUri: string,
  natsUrl: string,
  databaseName: string,
  namespace: string,
) {
  return {
    MONGODB_URI: mongoUri,
    MONGODB_DATABASE: databaseName,
    NATS_URL: natsUrl,
    EVENT_NAMESPACE: namespace,
    GRPC_PORT: 0,
    SHUTDOWN_GRACE_MS: 2_000,
  };
}
