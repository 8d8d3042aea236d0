export { uniqueDatabaseName } from "./database-name.js";
export { type FerretDbOptions, type FerretDbProcess, startFerretDb } from "./ferretdb-process.js";
export { freePort, portIsFree } from "./free-port.js";
export {
  type Infrastructure,
  type InfrastructureOptions,
  type InfrastructureProvider,
  startInfrastructure,
} from "./infrastructure.js";
export { type NatsServerOptions, type NatsServerProcess, startNatsServer } from "./nats-server-process.js";
export { inProcessServiceSettings } from "./service-settings.js";
export { toolPath, toolsDir } from "./tools.js";
