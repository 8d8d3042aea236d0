import { loadConfigOrExit, runServiceMain } from "@civic/service-kit";
import { loadGridCasesConfig } from "./config.js";

await runServiceMain({
  name: "grid-cases",
  config: loadConfigOrExit("grid-cases", loadGridCasesConfig),
  start: async (config, logger) => (await import("./service.js")).startGridCases(config, logger),
});
