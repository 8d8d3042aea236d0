export { type PartyBuildingConfig, partyBuildingConfigSchema } from "./config.js";
export { type RunningPartyBuilding, startPartyBuilding } from "./service.js";
