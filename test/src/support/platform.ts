import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import {
  closeUpstreams,
  createGatewayApp,
  type GatewayOptions,
  IdempotencyRecords,
  upstreamClients,
} from "@civic/gateway";
import { type RunningGridCases, startGridCases } from "@civic/grid-cases";
import { inProcessCallerTokens } from "@civic/service-kit";
import { type RunningSocialRegistry, startSocialRegistry } from "@civic/social-registry";
import { inProcessServiceSettings, uniqueDatabaseName } from "@civic/testing";
import { connect } from "@nats-io/transport-node";
import type { CommandStartedEvent } from "mongodb";
import pino from "pino";
import { serveOnFreePort } from "./in-process-gateway.js";

/**
 * Weekdays-only calendars for 2027 onwards: a test fixture, not the State Council's
 * arrangements, so that deadlines counted near the year's end do not depend on the date the
 * tests run.
 */
export const testWorkingCalendarFile = fileURLToPath(
  new URL("../../fixtures/working-calendars-weekdays-only.json", import.meta.url),
);

export const quietLogger = pino({ level: "silent" });

/** The HS256 secret the test gateway verifies bearer tokens with. */
export const testJwtSecret = "test-secret-for-the-civic-platform-gateway";

/**
 * A gateway as the test platforms run it, on a free port: it mounts the routes of the services
 * at `upstreamAddresses` (gRPC, by service name), verifies the tests' bearer tokens, signs its calls
 * upstream with the in-process caller-token key and logs nothing. `close` also closes its clients.
 */
export async function serveTestGateway(
  upstreamAddresses: Record<string, string>,
  options: Omit<GatewayOptions, "upstreams" | "callerTokens" | "jwtSecret" | "logger">,
) {
  const upstreams = upstreamClients(upstreamAddresses);
  const app = createGatewayApp({
    ...options,
    upstreams,
    callerTokens: (await inProcessCallerTokens()).issuer,
    jwtSecret: testJwtSecret,
    logger: quietLogger,
  });
  const gateway = await serveOnFreePort(app);
  return {
    url: gateway.url,
    async close() {
      await gateway.close();
      closeUpstreams(upstreams);
    },
  };
}

/** grid-cases and the gateway, in this process, on free ports. */
export interface TestPlatform {
  gatewayUrl: string;
  databaseName: string;
  /** Event namespace of this platform: its events are on `<namespace>.grid-cases.>`. */
  namespace: string;
  gridCases: RunningGridCases;
  /** Started only when asked for (`services.socialRegistry`). */
  socialRegistry?: RunningSocialRegistry;
  stopGridCases(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestPlatform(
  mongoUri: string,
  natsUrl: string,
  deadlineMs = 2_000,
  onMongoCommand?: (event: CommandStartedEvent) => void,
  services: {
    socialRegistry?: boolean;
    /** grid-cases' clock (case steps, deadlines, the SLA watcher); real time unless given. */
    now?: () => Date;
    /** How often grid-cases' SLA watcher looks for passed deadlines (default one minute). */
    slaWatchIntervalMs?: number;
  } = {},
): Promise<TestPlatform> {
  const databaseName = uniqueDatabaseName("e2e");
  const namespace = `e2e_${databaseName.slice(-8)}`;
  const gridCases = await startGridCases(
    {
      ...inProcessServiceSettings(mongoUri, natsUrl, databaseName, namespace),
      SLA_WATCH_INTERVAL_MS: services.slaWatchIntervalMs ?? 60_000,
      PERSONAL_DATA_KEY: randomBytes(32).toString("base64"),
      SAFETY_INDEX_INDICATORS: "four",
      WORKING_CALENDAR_FILE: testWorkingCalendarFile,
    },
    quietLogger,
    { ...(onMongoCommand ? { onMongoCommand } : {}), ...(services.now ? { now: services.now } : {}) },
  );
  const socialRegistry = services.socialRegistry
    ? await startSocialRegistry(
        inProcessServiceSettings(mongoUri, natsUrl, `${databaseName}_sr`, namespace),
        quietLogger,
      )
    : undefined;
  const gatewayNats = await connect({ servers: natsUrl, name: "e2e-gateway" });
  const idempotency = await IdempotencyRecords.open(gatewayNats, {
    bucket: `${namespace}_idempotency`,
    ttlMs: 600_000,
    staleAfterMs: 2 * deadlineMs,
  });
  const gateway = await serveTestGateway(
    {
      "grid-cases": `127.0.0.1:${gridCases.grpcPort}`,
      ...(socialRegistry ? { "social-registry": `127.0.0.1:${socialRegistry.grpcPort}` } : {}),
    },
    { idempotency, deadlineMs },
  );
  let gridCasesStopped = false;
  const stopGridCases = async () => {
    if (gridCasesStopped) return;
    gridCasesStopped = true;
    for (const step of gridCases.stops) await step.stop();
  };
  return {
    gatewayUrl: gateway.url,
    databaseName,
    namespace,
    gridCases,
    ...(socialRegistry ? { socialRegistry } : {}),
    stopGridCases,
    async stop() {
      await gateway.close();
      await stopGridCases();
      for (const step of socialRegistry?.stops ?? []) await step.stop();
      await gatewayNats.drain();
    },
  };
}
