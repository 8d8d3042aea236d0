export { createGatewayApp, type GatewayOptions, type PartyBuildingClients } from "./app.js";
export { startGateway } from "./server.js";
