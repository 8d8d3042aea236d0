export {
  createGatewayApp,
  type GatewayOptions,
  type PartyBuildingClients,
  type VolunteerStationsClients,
} from "./app.js";
export { startGateway } from "./server.js";
