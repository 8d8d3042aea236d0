export { createGatewayApp, type GatewayOptions } from "./app.js";
export { startGateway } from "./server.js";
