import { randomBytes } from "node:crypto";
import { generateCallerTokenKeys } from "@civic/service-kit";
import { freePort } from "@civic/testing";
import { testJwtSecret, testWorkingCalendarFile } from "./platform.js";
import { ServiceProcess } from "./service-process.js";

/**
 * grid-cases, volunteer-stations (and deliberation, when asked for) and the gateway from
 * their production bundles, each an OS process of its own (the other services' addresses
 * lead nowhere), on a given NATS and database: what kill -9 tests and the burst bench need.
 */
export interface ProcessPlatform {
  gatewayUrl: string;
  namespace: string;
  /** Each started service's database. */
  databases: { "grid-cases": string; "volunteer-stations": string; deliberation?: string };
  gridCases: ServiceProcess;
  volunteerStations: ServiceProcess;
  /** Started only with `withDeliberation`. */
  deliberation: ServiceProcess | undefined;
  gateway: ServiceProcess;
  /** SIGKILL to every process (the test is done with them). */
  kill(): Promise<void>;
}

export async function startProcessPlatform(options: {
  mongoUri: string;
  natsUrl: string;
  /** Extra environment of the services (e.g. GRPC_MAX_IN_FLIGHT). */
  serviceEnv?: Record<string, string>;
  /** Extra environment of the gateway (e.g. GRPC_DEADLINE_MS). */
  gatewayEnv?: Record<string, string>;
  withDeliberation?: boolean;
}): Promise<ProcessPlatform> {
  const namespace = `proc_${randomBytes(4).toString("hex")}`;
  const databases = {
    "grid-cases": `${namespace}_gc`,
    "volunteer-stations": `${namespace}_vs`,
    deliberation: `${namespace}_dl`,
  };
  const callerTokens = generateCallerTokenKeys();
  const service = async (name: keyof typeof databases, env: Record<string, string>) => {
    const grpcPort = await freePort();
    const process = new ServiceProcess(
      name,
      {
        MONGODB_URI: options.mongoUri,
        NATS_URL: options.natsUrl,
        EVENT_NAMESPACE: namespace,
        CALLER_TOKEN_PUBLIC_KEY: callerTokens.publicKey,
        GRPC_HOST: "127.0.0.1",
        SHUTDOWN_GRACE_MS: "2000",
        // Info, for the ready line the start waits for.
        LOG_LEVEL: "info",
        MONGODB_DATABASE: databases[name],
        PERSONAL_DATA_KEY: randomBytes(32).toString("base64"),
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        ...options.serviceEnv,
        ...env,
      },
      async (output) => output.includes(`"msg":"${name} ready"`),
    );
    return { process, address: `127.0.0.1:${grpcPort}` };
  };
  const grid = await service("grid-cases", { WORKING_CALENDAR_FILE: testWorkingCalendarFile });
  const stations = await service("volunteer-stations", {});
  const deliberation = options.withDeliberation ? await service("deliberation", {}) : undefined;
  await Promise.all([grid.process.start(), stations.process.start(), deliberation?.process.start()]);
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const nowhere = `127.0.0.1:${await freePort()}`;
  const gateway = new ServiceProcess(
    "gateway",
    {
      PORT: String(gatewayPort),
      METRICS_PORT: String(await freePort()),
      NATS_URL: options.natsUrl,
      EVENT_NAMESPACE: namespace,
      IDEMPOTENCY_BUCKET: `${namespace}_idempotency`,
      RATE_LIMIT_BUCKET: `${namespace}_rate_limits`,
      GRID_CASES_ADDRESS: grid.address,
      VOLUNTEER_STATIONS_ADDRESS: stations.address,
      PARTY_BUILDING_ADDRESS: nowhere,
      DELIBERATION_ADDRESS: deliberation?.address ?? nowhere,
      SOCIAL_REGISTRY_ADDRESS: nowhere,
      JWT_SECRET: testJwtSecret,
      CALLER_TOKEN_PRIVATE_KEY: callerTokens.privateKey,
      RATE_LIMIT_PER_IP: "1000000",
      RATE_LIMIT_PER_CALLER: "1000000",
      LOG_LEVEL: "warn",
      ...options.gatewayEnv,
    },
    async () => (await fetch(`${gatewayUrl}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok,
  );
  await gateway.start();
  return {
    gatewayUrl,
    namespace,
    databases: {
      "grid-cases": databases["grid-cases"],
      "volunteer-stations": databases["volunteer-stations"],
      ...(deliberation ? { deliberation: databases.deliberation } : {}),
    },
    gridCases: grid.process,
    volunteerStations: stations.process,
    deliberation: deliberation?.process,
    gateway,
    async kill() {
      await Promise.all([
        gateway.kill(),
        grid.process.kill(),
        stations.process.kill(),
        deliberation?.process.kill(),
      ]);
    },
  };
}
