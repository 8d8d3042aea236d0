import { join } from "node:path";
import { dockerEngineReachable } from "./docker-engine.js";
import { startFerretDb } from "./ferretdb-process.js";
import { startNatsServer } from "./nats-server-process.js";

export type InfrastructureProvider = "environment" | "testcontainers" | "local-processes";

export interface Infrastructure {
  mongoUri: string;
  natsUrl: string;
  /** "environment" when both URLs came from it; otherwise where the parts started here run. */
  provider: InfrastructureProvider;
  /** Where each part came from, for a log line. */
  describe: string;
  /** Stops what was started here; a temporary data directory goes with it. */
  stop(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Local processes keep their files in `<dataDir>/nats` and `<dataDir>/ferretdb`, across runs. */
  dataDir?: string;
  /** Ports for local processes; free ports when not given. */
  natsPort?: number;
  mongoPort?: number;
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
  const mongoUri = process.env.MONGODB_URI;
  const natsUrl = process.env.NATS_URL;
  const provider: InfrastructureProvider =
    mongoUri && natsUrl
      ? "environment"
      : (await dockerEngineReachable(log))
        ? "testcontainers"
        : "local-processes";
  const [mongo, nats] = await Promise.allSettled([
    mongoUri
      ? fromEnvironment("MONGODB_URI", mongoUri)
      : provider === "testcontainers"
        ? startMongoContainer(log)
        : startLocalFerretDb(options),
    natsUrl
      ? fromEnvironment("NATS_URL", natsUrl)
      : provider === "testcontainers"
        ? startNatsContainer(log)
        : startLocalNatsServer(options),
  ]);
  if (mongo.status === "rejected" || nats.status === "rejected") {
    for (const part of [mongo, nats]) if (part.status === "fulfilled") await part.value.stop();
    throw [mongo, nats].find((part): part is PromiseRejectedResult => part.status === "rejected")?.reason;
  }
  return {
    mongoUri: mongo.value.url,
    natsUrl: nats.value.url,
    provider,
    describe: `MongoDB-wire: ${mongo.value.describe}; NATS: ${nats.value.describe}`,
    async stop() {
      await Promise.all([mongo.value.stop(), nats.value.stop()]);
    },
  };
}

async function fromEnvironment(variable: string, url: string): Promise<Part> {
  return { url, describe: `${variable} from the environment`, stop: async () => undefined };
}

async function startMongoContainer(log: (line: string) => void): Promise<Part> {
  log("starting a MongoDB container (the first run pulls mongo:8)");
  const { MongoDBContainer } = await import("@testcontainers/mongodb");
  // A single-node replica set, so transactions and change streams work.
  const container = await new MongoDBContainer("mongo:8").start();
  const url = `${container.getConnectionString()}/?directConnection=true`;
  return {
    url,
    describe: `MongoDB container at ${url}`,
    stop: async () => {
      await container.stop();
    },
  };
}

async function startNatsContainer(log: (line: string) => void): Promise<Part> {
  log("starting a NATS container (the first run pulls nats:2.11)");
  // Not @testcontainers/nats: its NatsContainer always requires a user and password, which a
  // NATS_URL cannot carry to @nats-io/transport-node clients.
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = await new GenericContainer("nats:2.11")
    .withCommand(["-js"])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  const url = `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  return {
    url,
    describe: `NATS container at ${url}`,
    stop: async () => {
      await container.stop();
    },
  };
}

async function startLocalFerretDb(options: InfrastructureOptions): Promise<Part> {
  const postgresqlUrl = process.env.FERRETDB_POSTGRESQL_URL;
  const ferretdb = await startFerretDb({
    ...(options.mongoPort ? { port: options.mongoPort } : {}),
    ...(options.dataDir ? { dataDir: join(options.dataDir, "ferretdb") } : {}),
    ...(postgresqlUrl ? { postgresqlUrl } : {}),
  });
  const backend = postgresqlUrl ? "PostgreSQL" : `SQLite in ${ferretdb.dataDir}`;
  return {
    url: ferretdb.uri,
    describe: `local FerretDB on ${backend} at ${ferretdb.uri}`,
    stop: () => ferretdb.dispose(),
  };
}

async function startLocalNatsServer(options: InfrastructureOptions): Promise<Part> {
  const nats = await startNatsServer({
    ...(options.natsPort ? { port: options.natsPort } : {}),
    ...(options.dataDir ? { storeDir: join(options.dataDir, "nats") } : {}),
  });
  return {
    url: nats.url,
    describe: `local nats-server at ${nats.url} storing in ${nats.storeDir}`,
    stop: () => nats.dispose(),
  };
}
