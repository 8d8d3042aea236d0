import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { freePort } from "./free-port.js";
import { startRestartable } from "./local-process.js";
import { toolPath } from "./tools.js";

export interface FerretDbProcess {
  uri: string;
  dataDir: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

async function answersPing(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000 });
  try {
    await client.db("admin").command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

/**
 * FerretDB v1 speaking the MongoDB wire protocol on 127.0.0.1: SQLite files in `dataDir`
 * (a temp dir by default), or PostgreSQL when `postgresqlUrl` is given.
 */
export async function startFerretDb(
  options: { port?: number; dataDir?: string; postgresqlUrl?: string } = {},
): Promise<FerretDbProcess> {
  const port = options.port ?? (await freePort());
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "civic-ferretdb-"));
  mkdirSync(dataDir, { recursive: true });
  const uri = `mongodb://127.0.0.1:${port}/`;
  const backend = options.postgresqlUrl
    ? ["--handler=postgresql", `--postgresql-url=${options.postgresqlUrl}`]
    : ["--handler=sqlite", `--sqlite-url=file:${dataDir}/`];
  const args = [
    ...backend,
    `--listen-addr=127.0.0.1:${port}`,
    // The default debug port would collide between instances; telemetry would try the internet.
    "--debug-addr=127.0.0.1:0",
    "--telemetry=disable",
    `--state-dir=${dataDir}`,
    "--log-level=warn",
  ];
  const server = await startRestartable("FerretDB", toolPath("ferretdb"), args, () => answersPing(uri));
  return {
    uri,
    dataDir,
    stop: server.stop,
    restart: server.restart,
    async dispose() {
      await server.stop();
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
