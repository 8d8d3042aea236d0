import type { AddressInfo } from "node:net";
import { CallerTokenIssuer, natsConnectionOptions } from "@civic/service-kit";
import { connect } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { createGatewayApp } from "./app.js";
import type { loadGatewayConfig } from "./config.js";
import { DomainEventFeed } from "./event-feed.js";
import { IdempotencyRecords } from "./idempotency.js";
import { SharedRateLimitCounts } from "./rate-limit-counts.js";
import { closeUpstreams, upstreamClients } from "./upstreams.js";

type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** Connects to the services and serves the REST API until closed. */
export async function startGateway(config: GatewayConfig, logger: Logger) {
  const upstreams = upstreamClients({
    "grid-cases": config.GRID_CASES_ADDRESS,
    deliberation: config.DELIBERATION_ADDRESS,
    "party-building": config.PARTY_BUILDING_ADDRESS,
    "social-registry": config.SOCIAL_REGISTRY_ADDRESS,
    "volunteer-stations": config.VOLUNTEER_STATIONS_ADDRESS,
  });
  const nats = await connect(natsConnectionOptions(config, "gateway"));
  const idempotency = await IdempotencyRecords.open(nats, {
    bucket: config.IDEMPOTENCY_BUCKET,
    ttlMs: config.IDEMPOTENCY_TTL_MS,
    replicas: config.IDEMPOTENCY_REPLICAS,
    maxBytes: config.IDEMPOTENCY_MAX_BYTES,
    // A request runs at most one deadline; a record running for twice that lost its gateway.
    staleAfterMs: 2 * config.GRPC_DEADLINE_MS,
  });
  const feed = DomainEventFeed.start(nats, config.EVENT_NAMESPACE, logger);
  const app = createGatewayApp({
    eventStream: {
      feed,
      limits: {
        perCaller: config.EVENT_STREAM_PER_CALLER,
        total: config.EVENT_STREAM_TOTAL,
        keepAliveMs: 15_000,
      },
    },
    idempotency,
    upstreams,
    deadlineMs: config.GRPC_DEADLINE_MS,
    upstreamMaxInFlight: config.UPSTREAM_MAX_IN_FLIGHT,
    callerTokens: await CallerTokenIssuer.fromPrivateKey(config.CALLER_TOKEN_PRIVATE_KEY),
    jwtSecret: config.JWT_SECRET,
    tokens: {
      jwksUrl: config.JWT_JWKS_URL,
      publicKey: config.JWT_PUBLIC_KEY
        ? { pem: config.JWT_PUBLIC_KEY, algorithm: config.JWT_ALGORITHM }
        : undefined,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    },
    bodyLimit: config.BODY_LIMIT,
    rateLimits: {
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      perIp: config.RATE_LIMIT_PER_IP,
      perCaller: config.RATE_LIMIT_PER_CALLER,
      counts: await SharedRateLimitCounts.open(nats, {
        bucket: config.RATE_LIMIT_BUCKET,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
      }),
    },
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    open311: { contact: config.OPEN311_CONTACT, keyService: config.OPEN311_KEY_SERVICE },
    logger,
  });
  // Node's default backlog (511) drops the SYNs of a larger burst of new connections, which
  // clients then resend after a second: the kernel caps this at net.core.somaxconn.
  const server = app.listen({ port: config.PORT, backlog: 4096 });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    /** Stops accepting connections, lets in-flight requests finish, then closes the clients. */
    async close() {
      // Open event streams would keep the server from closing: end them first.
      feed.close();
      await new Promise((resolve) => server.close(resolve));
      closeUpstreams(upstreams);
      await nats.drain();
    },
  };
}
