export { createGatewayApp, type GatewayOptions } from "./app.js";
export { gatewayConfigSchema } from "./config.js";
export { DomainEventFeed } from "./event-feed.js";
export { IdempotencyRecords } from "./idempotency.js";
export { startGateway } from "./server.js";
export { closeUpstreams, type Upstreams, upstreamClients } from "./upstreams.js";
