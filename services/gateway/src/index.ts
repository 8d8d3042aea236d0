export { createGatewayApp, type GatewayOptions, type VolunteerStationsClients } from "./app.js";
export { startGateway } from "./server.js";
