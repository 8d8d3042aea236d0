import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { freePort } from "./free-port.js";
import { type LocalProcess, startLocalProcess, waitUntilReady } from "./local-process.js";
import { toolPath } from "./tools.js";

export interface NatsServerProcess {
  url: string;
  port: number;
  storeDir: string;
  isRunning(): boolean;
  /** Stops the server; its JetStream files stay. */
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

/** `nats-server -js` on 127.0.0.1, with its JetStream files in `storeDir` (a temp dir by default). */
export async function startNatsServer(
  options: { port?: number; storeDir?: string } = {},
): Promise<NatsServerProcess> {
  const port = options.port ?? (await freePort());
  const temporary = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), "civic-nats-"));
  const url = `nats://127.0.0.1:${port}`;
  let current: LocalProcess | undefined;

  const start = async () => {
    const process = startLocalProcess(toolPath("nats-server"), [
      "-js",
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      "-sd",
      storeDir,
    ]);
    current = process;
    await waitUntilReady("nats-server", process, () => jetStreamAnswers(url));
  };
  const stop = async () => {
    await current?.stop();
    current = undefined;
  };
  await start();
  return {
    url,
    port,
    storeDir,
    isRunning: () => current !== undefined,
    stop,
    restart: start,
    async dispose() {
      await stop();
      if (temporary) rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
