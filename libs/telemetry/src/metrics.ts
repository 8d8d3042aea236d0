import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** One registry per process, with Node's default process metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const metrics = {
  rpcServerRequests: new Counter({
    name: "rpc_server_requests_total",
    help: "gRPC calls handled, by method and status code",
    labelNames: ["method", "code"] as const,
    registers: [registry],
  }),
  rpcServerDuration: new Histogram({
    name: "rpc_server_duration_seconds",
    help: "gRPC call latency",
    labelNames: ["method", "code"] as const,
    buckets: latencyBuckets,
    registers: [registry],
  }),
  rpcClientRequests: new Counter({
    name: "rpc_client_requests_total",
    help: "gRPC calls made to other services (the gateway's to each service), by method and status code",
    labelNames: ["method", "code"] as const,
    registers: [registry],
  }),
  rpcClientDuration: new Histogram({
    name: "rpc_client_duration_seconds",
    help: "gRPC call latency as the caller sees it (network and the service's time)",
    labelNames: ["method", "code"] as const,
    buckets: latencyBuckets,
    registers: [registry],
  }),
  caseSlaBreaches: new Counter({
    name: "case_sla_breaches_total",
    help: "Case deadlines (contact, on-site, resolve) recorded as missed",
    registers: [registry],
  }),
  buildInfo: new Gauge({
    name: "civic_build_info",
    help: "1, labelled with what is running: service, release version, commit and Node version",
    labelNames: ["service", "version", "commit", "node_version"] as const,
    registers: [registry],
  }),
  httpServerRequests: new Counter({
    name: "http_server_requests_total",
    help: "HTTP requests handled, by route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  }),
  httpServerDuration: new Histogram({
    name: "http_server_duration_seconds",
    help: "HTTP request latency",
    labelNames: ["method", "route", "status"] as const,
    buckets: latencyBuckets,
    registers: [registry],
  }),
  consumerRedeliveries: new Counter({
    name: "event_consumer_redeliveries_total",
    help: "Events delivered again to a consumer",
    labelNames: ["consumer"] as const,
    registers: [registry],
  }),
  consumerTerminated: new Counter({
    name: "event_consumer_terminated_total",
    help: "Events a consumer gave up on (kept as dead letters)",
    labelNames: ["consumer"] as const,
    registers: [registry],
  }),
  consumerLag: new Gauge({
    name: "event_consumer_lag",
    help: "Events waiting for a consumer (pending plus unacknowledged)",
    labelNames: ["consumer"] as const,
    registers: [registry],
  }),
  outboxUnpublishedEvents: new Gauge({
    name: "outbox_unpublished_events",
    help: "Committed events the relay has not published yet",
    labelNames: ["service"] as const,
    registers: [registry],
  }),
  outboxOldestUnpublishedAgeSeconds: new Gauge({
    name: "outbox_oldest_unpublished_age_seconds",
    help: "Age of the oldest committed event not yet published",
    labelNames: ["service"] as const,
    registers: [registry],
  }),
};

/**
 * Sets `civic_build_info` for this process: the release and commit come from the image
 * (CIVIC_VERSION, CIVIC_COMMIT: deploy/Dockerfile's build arguments), "dev" elsewhere.
 */
export function recordBuildInfo(
  service: string,
  env: Record<string, string | undefined> = process.env,
): void {
  metrics.buildInfo.set(
    {
      service,
      version: env.CIVIC_VERSION || "dev",
      commit: env.CIVIC_COMMIT || "unknown",
      node_version: process.versions.node,
    },
    1,
  );
}

/** The event-consumer hooks of libs/event-log, feeding the consumer metrics. */
export const consumerMetrics = {
  redelivered: (consumer: string) => metrics.consumerRedeliveries.inc({ consumer }),
  terminated: (consumer: string) => metrics.consumerTerminated.inc({ consumer }),
  lag: (consumer: string, pending: number) => metrics.consumerLag.set({ consumer }, pending),
};

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics in the Prometheus text format (404 for anything else). Port 0 asks
 * the OS for a free port; the returned `port` is the one bound.
 */
export async function startMetricsServer(options: { port: number; host?: string }): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { "content-type": registry.contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
