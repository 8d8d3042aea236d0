import { runServiceMain } from "@civic/service-kit";
import { loadDeliberationConfig } from "./config.js";

await runServiceMain({
  name: "deliberation",
  config: loadDeliberationConfig(),
  start: async (config, logger) => (await import("./service.js")).startDeliberation(config, logger),
});
