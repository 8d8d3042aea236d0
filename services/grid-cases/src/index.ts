export { type GridCasesConfig, gridCasesConfigSchema } from "./config.js";
export { type RunningGridCases, startGridCases } from "./service.js";
