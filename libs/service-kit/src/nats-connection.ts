/**
 * How a process reaches NATS: the URL, and the user and password the server asks for
 * (k8s: ConfigMap `platform` names the user, the Secret `nats` holds the password; local
 * runs and tests use a server without authentication and leave both unset).
 */
export interface NatsConnectionConfig {
  NATS_URL: string;
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
}

/** Options for `connect` from @nats-io/transport-node: reconnects forever, named for monitoring. */
export function natsConnectionOptions(
  config: NatsConnectionConfig,
  name: string,
): { servers: string; name: string; maxReconnectAttempts: number; user?: string; pass?: string } {
  return {
    servers: config.NATS_URL,
    name,
    maxReconnectAttempts: -1,
    ...(config.NATS_USER ? { user: config.NATS_USER, pass: config.NATS_PASSWORD ?? "" } : {}),
  };
}
