export {
  createGatewayApp,
  type GatewayOptions,
  type PartyBuildingClients,
  type VolunteerStationsClients,
} from "./app.js";
export { gatewayConfigSchema } from "./config.js";
export {
  closeDeliberationClients,
  type DeliberationClients,
  deliberationClients,
} from "./deliberation-clients.js";
export { DomainEventFeed } from "./event-feed.js";
export { IdempotencyRecords } from "./idempotency.js";
export { gatewayOpenApiDocument } from "./openapi/index.js";
export { startGateway } from "./server.js";
