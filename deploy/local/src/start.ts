/**
 * Starts the whole local platform with one command (`pnpm start`): NATS and a
 * MongoDB-wire database (from MONGODB_URI/NATS_URL, a Docker engine, or local processes
 * keeping their files in CIVIC_DATA_DIR), every service, then the gateway. A process that
 * crashes is restarted with backoff while the others keep serving. Ctrl-C, SIGTERM, or the
 * parent process going away stops the gateway, then the services, then the infrastructure.
 */
import { resolve } from "node:path";
import { generateCallerTokenKeys } from "@civic/service-kit";
import { type Infrastructure, portIsFree, startInfrastructure } from "@civic/testing";
import { loadDemoCity } from "./demo-city/load-demo-city.js";
import { progressBar } from "./demo-city/progress-bar.js";
import { localJwtSecret } from "./dev-token.js";
import { grpcHealthProbe, httpHealthProbe } from "./health-probes.js";
import { whenOrphaned } from "./parent-watch.js";
import { localPersonalDataKey } from "./personal-data-key.js";
import { portsFrom, portVariables, type ServiceName, serviceNames } from "./ports.js";
import { SupervisedProcess } from "./supervisor.js";

const root = resolve(import.meta.dirname, "../../..");
const dataDir = resolve(process.env.CIVIC_DATA_DIR ?? resolve(root, ".data"));
const say = (line: string) => console.log(`[civic] ${line}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

let infrastructure: Promise<Infrastructure> | undefined;
let gateway: SupervisedProcess | undefined;
const services: SupervisedProcess[] = [];
let stopping: Promise<void> | undefined;

function stop(reason: string, exitCode: number): Promise<void> {
  if (stopping) {
    say(`${reason}: already stopping`);
    return stopping;
  }
  stopping = (async () => {
    say(`${reason}: stopping`);
    const started = Date.now();
    if (gateway) {
      await gateway.stop();
      say(`gateway stopped (${seconds(started)})`);
    }
    if (services.length > 0) {
      await Promise.all(services.map((service) => service.stop()));
      say(`services stopped (${seconds(started)})`);
    }
    // Infrastructure still starting is waited for, so that it is stopped too.
    await (await infrastructure?.catch(() => undefined))?.stop();
    say(`infrastructure stopped: everything stopped in ${seconds(started)}`);
    process.exit(exitCode);
  })();
  return stopping;
}

async function start(): Promise<void> {
  const started = Date.now();
  const ports = portsFrom(process.env);
  const address = (name: ServiceName) => `127.0.0.1:${ports.services[name].grpc}`;
  // Otherwise a health probe could be answered by whatever holds the port (another pnpm start?).
  const taken = [];
  for (const entry of portVariables(ports)) if (!(await portIsFree(entry.port))) taken.push(entry);
  if (taken.length > 0) {
    const list = taken.map(({ variable, port }) => `${port} (${variable})`).join(", ");
    throw new Error(`ports in use: ${list}. Is the platform already running? The variables move them.`);
  }

  say("starting infrastructure: NATS and a MongoDB-wire database");
  infrastructure = startInfrastructure({ dataDir, log: say });
  const { mongoUri, natsUrl, describe } = await infrastructure;
  say(`infrastructure ready (${seconds(started)}): ${describe}`);
  if (stopping) return;

  // A key pair for this run: the gateway signs each call's caller with it, and the services
  // trust no caller without its signature. Their gRPC ports listen on this machine only.
  const callerToken = generateCallerTokenKeys();
  const common = {
    ...process.env,
    MONGODB_URI: mongoUri,
    NATS_URL: natsUrl,
    PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY ?? localPersonalDataKey(dataDir),
    CALLER_TOKEN_PUBLIC_KEY: callerToken.publicKey,
    GRPC_HOST: process.env.GRPC_HOST ?? "127.0.0.1",
  };
  // All at once: whichever starts first creates the streams the others follow.
  say(`starting ${serviceNames.join(", ")}`);
  for (const name of serviceNames) {
    services.push(
      new SupervisedProcess(
        {
          name,
          entry: resolve(root, `services/${name}/dist/main.js`),
          env: {
            ...common,
            GRPC_PORT: String(ports.services[name].grpc),
            METRICS_PORT: String(ports.services[name].metrics),
          },
          healthy: grpcHealthProbe(address(name)),
        },
        { log: say },
      ),
    );
  }
  await Promise.all(services.map((service) => service.start()));
  if (stopping) return;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway.http}`;
  gateway = new SupervisedProcess(
    {
      name: "gateway",
      entry: resolve(root, "services/gateway/dist/main.js"),
      env: {
        ...process.env,
        PORT: String(ports.gateway.http),
        METRICS_PORT: String(ports.gateway.metrics),
        NATS_URL: natsUrl,
        GRID_CASES_ADDRESS: address("grid-cases"),
        DELIBERATION_ADDRESS: address("deliberation"),
        PARTY_BUILDING_ADDRESS: address("party-building"),
        SOCIAL_REGISTRY_ADDRESS: address("social-registry"),
        VOLUNTEER_STATIONS_ADDRESS: address("volunteer-stations"),
        JWT_SECRET: localJwtSecret,
        CALLER_TOKEN_PRIVATE_KEY: callerToken.privateKey,
      },
      healthy: httpHealthProbe(`${gatewayUrl}/healthz`),
    },
    { log: say },
  );
  await gateway.start();

  if (process.env.CIVIC_DEMO_DATA !== "false" && !stopping) {
    const loading = Date.now();
    say("loading the demo city (pnpm demo loads it again; CIVIC_DEMO_DATA=false skips it)");
    // The platform serves without the demo: a demo that stops half-way (e.g. next year's
    // working-day calendar not loaded yet, so cases cannot be accepted) is reported, not fatal.
    try {
      const loaded = await loadDemoCity(gatewayUrl, {
        scale: Number(process.env.CIVIC_DEMO_SCALE ?? "0.1"),
        onProgress: progressBar(process.stdout),
      });
      say(
        `demo city loaded (${loaded.areas} areas, ${loaded.gridStaff} grid staff, ${loaded.organisations} organisations, ${loaded.cases} cases, ${seconds(loading)})`,
      );
    } catch (error) {
      if (stopping) return;
      say(`demo city not loaded completely: ${error instanceof Error ? error.message : String(error)}`);
      say("the platform serves all the same; pnpm demo goes on from where this stopped");
    }
  }
  say(`ready in ${seconds(started)}: gateway on ${gatewayUrl}`);
  say(`data directory: ${dataDir}   (Ctrl-C stops everything)`);
  say("tokens for the API: pnpm token --role command_centre --area 440402");
}

process.on("SIGINT", () => void stop("SIGINT", 0));
process.on("SIGTERM", () => void stop("SIGTERM", 0));
whenOrphaned(() => void stop("the parent process is gone", 0));

start().catch((error: unknown) => {
  // Stopping during the start makes the step under way fail: that is no news.
  if (stopping) return;
  say(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  void stop("start failed", 1);
});
