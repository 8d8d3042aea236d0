export { createGatewayApp, type GatewayOptions } from "./app.js";
export {
  closeDeliberationClients,
  type DeliberationClients,
  deliberationClients,
} from "./routes/deliberation/index.js";
export { startGateway } from "./server.js";
