import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { freePort } from "./free-port.js";
import { startRestartable } from "./local-process.js";
import { toolPath } from "./tools.js";

export interface FerretDbOptions {
  /** A free port when not given. */
  port?: number;
  /** SQLite files and FerretDB's state file; a temp dir (deleted by `dispose`) when not given. */
  dataDir?: string;
  /** Store in PostgreSQL instead of SQLite. */
  postgresqlUrl?: string;
}

export interface FerretDbProcess {
  uri: string;
  port: number;
  dataDir: string;
  isRunning(): boolean;
  /** Stops FerretDB (SIGTERM, waits for the exit); its data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops it and deletes a temporary data directory. */
  dispose(): Promise<void>;
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// The driver retries a refused connection only every 500 ms, so a cheap TCP probe goes first.
async function answersPing(port: number, uri: string): Promise<boolean> {
  if (!(await acceptsConnections(port))) return false;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
  try {
    await client.db("admin").command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

/** FerretDB v1 speaking the MongoDB wire protocol on 127.0.0.1, ready once it answers `ping`. */
export async function startFerretDb(options: FerretDbOptions = {}): Promise<FerretDbProcess> {
  const port = options.port ?? (await freePort());
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "civic-ferretdb-"));
  // FerretDB does not create the SQLite directory, and its URL must end with a slash.
  mkdirSync(dataDir, { recursive: true });
  const uri = `mongodb://127.0.0.1:${port}/`;
  const backend = options.postgresqlUrl
    ? ["--handler=postgresql", `--postgresql-url=${options.postgresqlUrl}`]
    : ["--handler=sqlite", `--sqlite-url=file:${dataDir}/`];
  const server = await startRestartable({
    name: `FerretDB on port ${port}`,
    port,
    command: await toolPath("ferretdb"),
    args: [
      ...backend,
      `--listen-addr=127.0.0.1:${port}`,
      // The default debug port collides between instances; telemetry would try the internet;
      // the state file would otherwise land in the working directory.
      "--debug-addr=127.0.0.1:0",
      "--telemetry=disable",
      `--state-dir=${dataDir}`,
      "--log-level=warn",
    ],
    ready: () => answersPing(port, uri),
  }).catch((error: unknown) => {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    uri,
    port,
    dataDir,
    ...server,
    async dispose() {
      await server.stop();
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
