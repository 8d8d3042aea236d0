/**
 * Starts the whole local platform with one command (`pnpm start`): NATS and a
 * MongoDB-wire database (from MONGODB_URI/NATS_URL, a Docker engine, or local processes
 * keeping their files in CIVIC_DATA_DIR), every service, then the gateway. Ctrl-C or
 * SIGTERM stops everything in reverse order.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { resolve } from "node:path";
import { startInfrastructure } from "@civic/testing";
import { loadDemoData } from "./demo-data.js";
import { localJwtSecret } from "./dev-token.js";
import { localPersonalDataKey } from "./personal-data-key.js";

const root = resolve(import.meta.dirname, "../../..");
const dataDir = resolve(process.env.CIVIC_DATA_DIR ?? resolve(root, ".data"));
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 8080);

interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
  env: Record<string, string>;
}

const say = (line: string) => console.log(`[civic] ${line}`);

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((done, fail) => {
    const attempt = () => {
      const socket = tcpConnect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        done();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) fail(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function startService(spec: ServiceSpec): ChildProcess {
  const child = spawn(process.execPath, [resolve(root, spec.entry)], {
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "inherit", "inherit"],
    // Its own process group: a Ctrl-C reaches only this process, which stops the
    // services one after another (gateway first) instead of all at once.
    detached: true,
  });
  const killWithParent = () => child.kill("SIGKILL");
  process.once("exit", killWithParent);
  child.once("exit", (code, signal) => {
    if (!stopping) {
      say(`${spec.name} exited (${signal ?? code}); stopping the platform`);
      void stop(1);
    }
  });
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}

let stopping = false;
const children: ChildProcess[] = [];
let stopInfrastructure: () => Promise<void> = async () => undefined;

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("stopping");
  for (const child of [...children].reverse()) await stopChild(child);
  await stopInfrastructure();
  say("stopped");
  process.exit(exitCode);
}

process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));

const started = Date.now();
const infrastructure = await startInfrastructure({ dataDir, log: say });
stopInfrastructure = () => infrastructure.stop();
say(`infrastructure: ${infrastructure.describe}`);

const common = {
  MONGODB_URI: infrastructure.mongoUri,
  NATS_URL: infrastructure.natsUrl,
  PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY ?? localPersonalDataKey(dataDir),
};
const services: ServiceSpec[] = [
  {
    name: "grid-cases",
    entry: "services/grid-cases/dist/main.js",
    port: Number(process.env.GRID_CASES_GRPC_PORT ?? 50051),
    env: { ...common, GRPC_PORT: process.env.GRID_CASES_GRPC_PORT ?? "50051", METRICS_PORT: "9101" },
  },
  {
    name: "deliberation",
    entry: "services/deliberation/dist/main.js",
    port: Number(process.env.DELIBERATION_GRPC_PORT ?? 50053),
    env: { ...common, GRPC_PORT: process.env.DELIBERATION_GRPC_PORT ?? "50053", METRICS_PORT: "9103" },
  },
  {
    name: "party-building",
    entry: "services/party-building/dist/main.js",
    port: 50052,
    env: { ...common, GRPC_PORT: "50052", METRICS_PORT: "9102" },
  },
  {
    name: "social-registry",
    entry: "services/social-registry/dist/main.js",
    port: 50054,
    env: { ...common, GRPC_PORT: "50054", METRICS_PORT: "9104" },
  },
  {
    name: "volunteer-stations",
    entry: "services/volunteer-stations/dist/main.js",
    port: 50055,
    env: { ...common, GRPC_PORT: "50055", METRICS_PORT: "9105" },
  },
];
const addressOf = (name: string) => `127.0.0.1:${services.find((service) => service.name === name)?.port}`;
for (const service of services) {
  children.push(startService(service));
  await waitForPort(service.port, 30_000);
  say(`${service.name} listens on 127.0.0.1:${service.port}`);
}
children.push(
  startService({
    name: "gateway",
    entry: "services/gateway/dist/main.js",
    port: gatewayPort,
    env: {
      PORT: String(gatewayPort),
      NATS_URL: infrastructure.natsUrl,
      GRID_CASES_ADDRESS: addressOf("grid-cases"),
      DELIBERATION_ADDRESS: addressOf("deliberation"),
      PARTY_BUILDING_ADDRESS: addressOf("party-building"),
      SOCIAL_REGISTRY_ADDRESS: addressOf("social-registry"),
      VOLUNTEER_STATIONS_ADDRESS: addressOf("volunteer-stations"),
      METRICS_PORT: "9100",
      JWT_SECRET: localJwtSecret,
    },
  }),
);
await waitForPort(gatewayPort, 30_000);
if (process.env.CIVIC_DEMO_DATA !== "false") await loadDemoData(`http://127.0.0.1:${gatewayPort}`);
say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: gateway on http://127.0.0.1:${gatewayPort}`);
say(`data directory: ${dataDir}   (Ctrl-C stops everything)`);
say("tokens for the API: pnpm token --role command_centre --area 440402");
