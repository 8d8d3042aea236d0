export { uniqueDatabaseName } from "./database-name.js";
export { type FerretDbProcess, startFerretDb } from "./ferretdb-process.js";
export { freePort } from "./free-port.js";
export { type Infrastructure, type InfrastructureOptions, startInfrastructure } from "./infrastructure.js";
export { type NatsServerProcess, startNatsServer } from "./nats-server-process.js";
