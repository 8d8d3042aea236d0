import { loadConfigOrExit, runServiceMain } from "@civic/service-kit";
import { loadVolunteerStationsConfig } from "./config.js";

await runServiceMain({
  name: "volunteer-stations",
  config: loadConfigOrExit("volunteer-stations", loadVolunteerStationsConfig),
  start: async (config, logger) => (await import("./service.js")).startVolunteerStations(config, logger),
});
