import { loadConfigOrExit, runServiceMain } from "@civic/service-kit";
import { loadDeliberationConfig } from "./config.js";

await runServiceMain({
  name: "deliberation",
  config: loadConfigOrExit("deliberation", loadDeliberationConfig),
  start: async (config, logger) => (await import("./service.js")).startDeliberation(config, logger),
});
