import { loadConfigOrExit, runServiceMain } from "@civic/service-kit";
import { loadPartyBuildingConfig } from "./config.js";

await runServiceMain({
  name: "party-building",
  config: loadConfigOrExit("party-building", loadPartyBuildingConfig),
  start: async (config, logger) => (await import("./service.js")).startPartyBuilding(config, logger),
});
