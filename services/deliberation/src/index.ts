export { type DeliberationConfig, deliberationConfigSchema } from "./config.js";
export { type RunningDeliberation, startDeliberation } from "./service.js";
