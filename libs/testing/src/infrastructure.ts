import { join } from "node:path";
import { dockerEngineReachable } from "./docker-engine.js";
import { startFerretDb } from "./ferretdb-process.js";
import { startNatsServer } from "./nats-server-process.js";

export interface Infrastructure {
  mongoUri: string;
  natsUrl: string;
  /** Where each part came from, for a log line. */
  describe: string;
  stop(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Keep local processes' files here (they survive a restart); a temp dir otherwise. */
  dataDir?: string;
  log?: (line: string) => void;
}

interface Part {
  url: string;
  describe: string;
  stop(): Promise<void>;
}

/**
 * NATS with JetStream and a MongoDB-wire database, each from the first source that has
 * it: MONGODB_URI / NATS_URL; a Docker engine (testcontainers); local processes
 * (nats-server, FerretDB v1 on SQLite, or on PostgreSQL with FERRETDB_POSTGRESQL_URL).
 */
export async function startInfrastructure(options: InfrastructureOptions = {}): Promise<Infrastructure> {
  const log = options.log ?? (() => undefined);
  const docker = !(process.env.MONGODB_URI && process.env.NATS_URL) && (await dockerEngineReachable());
  const [mongo, nats] = await Promise.all([
    startMongo(docker, options.dataDir, log),
    startNats(docker, options.dataDir, log),
  ]);
  return {
    mongoUri: mongo.url,
    natsUrl: nats.url,
    describe: `MongoDB-wire: ${mongo.describe}; NATS: ${nats.describe}`,
    async stop() {
      await Promise.all([mongo.stop(), nats.stop()]);
    },
  };
}

const nothingToStop = async () => undefined;

async function startMongo(
  docker: boolean,
  dataDir: string | undefined,
  log: (line: string) => void,
): Promise<Part> {
  const fromEnvironment = process.env.MONGODB_URI;
  if (fromEnvironment) return { url: fromEnvironment, describe: "MONGODB_URI", stop: nothingToStop };
  if (docker) {
    log("starting MongoDB in a container");
    const { MongoDBContainer } = await import("@testcontainers/mongodb");
    const container = await new MongoDBContainer("mongo:8").start();
    return {
      url: `${container.getConnectionString()}?directConnection=true`,
      describe: "MongoDB container (testcontainers)",
      stop: async () => {
        await container.stop();
      },
    };
  }
  const postgresqlUrl = process.env.FERRETDB_POSTGRESQL_URL;
  log(`starting FerretDB (${postgresqlUrl ? "PostgreSQL" : "SQLite"})`);
  const ferretdb = await startFerretDb({
    ...(dataDir ? { dataDir: join(dataDir, "ferretdb") } : {}),
    ...(postgresqlUrl ? { postgresqlUrl } : {}),
  });
  return {
    url: ferretdb.uri,
    describe: `local FerretDB on ${postgresqlUrl ? "PostgreSQL" : `SQLite in ${ferretdb.dataDir}`} at ${ferretdb.uri}`,
    stop: () => ferretdb.dispose(),
  };
}

async function startNats(
  docker: boolean,
  dataDir: string | undefined,
  log: (line: string) => void,
): Promise<Part> {
  const fromEnvironment = process.env.NATS_URL;
  if (fromEnvironment) return { url: fromEnvironment, describe: "NATS_URL", stop: nothingToStop };
  if (docker) {
    log("starting NATS in a container");
    const { NatsContainer } = await import("@testcontainers/nats");
    const container = await new NatsContainer("nats:2.11").withJetStream().start();
    return {
      url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
      describe: "NATS container (testcontainers)",
      stop: async () => {
        await container.stop();
      },
    };
  }
  log("starting nats-server");
  const nats = await startNatsServer(dataDir ? { storeDir: join(dataDir, "nats") } : {});
  return { url: nats.url, describe: `local nats-server at ${nats.url}`, stop: () => nats.dispose() };
}
