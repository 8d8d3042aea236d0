import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { freePort } from "./free-port.js";
import { startRestartable } from "./local-process.js";
import { toolPath } from "./tools.js";

export interface NatsServerOptions {
  /** A free port when not given. */
  port?: number;
  /** JetStream files; a temp dir (deleted by `dispose`) when not given. */
  storeDir?: string;
  /** Appends the server's output here. */
  logFile?: string;
}

export interface NatsServerProcess {
  url: string;
  port: number;
  storeDir: string;
  isRunning(): boolean;
  /** Stops the server (SIGTERM, waits for the exit); its JetStream files stay. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same files. */
  restart(): Promise<void>;
  /** Stops it and deletes a temporary store. */
  dispose(): Promise<void>;
}

async function jetStreamAnswers(url: string): Promise<boolean> {
  const connection = await connect({ servers: url, timeout: 1_000, reconnect: false });
  try {
    const reply = await connection.request("$JS.API.INFO", "", { timeout: 1_000 });
    return !JSON.parse(reply.string()).error;
  } finally {
    await connection.close();
  }
}

/** `nats-server -js` on 127.0.0.1, ready once it answers JetStream API requests. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerProcess> {
  const port = options.port ?? (await freePort());
  const temporary = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), "civic-nats-"));
  const url = `nats://127.0.0.1:${port}`;
  const server = await startRestartable({
    name: `nats-server on port ${port}`,
    port,
    command: await toolPath("nats-server"),
    args: ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir],
    ready: () => jetStreamAnswers(url),
    ...(options.logFile ? { logFile: options.logFile } : {}),
  }).catch((error: unknown) => {
    if (temporary) rmSync(storeDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url,
    port,
    storeDir,
    ...server,
    async dispose() {
      await server.stop();
      if (temporary) rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
