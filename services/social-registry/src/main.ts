import { loadConfigOrExit, runServiceMain } from "@civic/service-kit";
import { loadSocialRegistryConfig } from "./config.js";

await runServiceMain({
  name: "social-registry",
  config: loadConfigOrExit("social-registry", loadSocialRegistryConfig),
  start: async (config, logger) => (await import("./service.js")).startSocialRegistry(config, logger),
});
