import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { gridCasesV1, socialRegistryV1 } from "@civic/contracts";
import { createGatewayApp, IdempotencyRecords } from "@civic/gateway";
import { type RunningGridCases, startGridCases } from "@civic/grid-cases";
import { clientInterceptors, inProcessCallerTokens } from "@civic/service-kit";
import { type RunningSocialRegistry, startSocialRegistry } from "@civic/social-registry";
import { uniqueDatabaseName } from "@civic/testing";
import { credentials } from "@grpc/grpc-js";
import { connect } from "@nats-io/transport-node";
import type { CommandStartedEvent } from "mongodb";
import pino from "pino";

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
      MONGODB_URI: mongoUri,
      MONGODB_DATABASE: databaseName,
      NATS_URL: natsUrl,
      EVENT_NAMESPACE: namespace,
      GRPC_PORT: 0,
      SHUTDOWN_GRACE_MS: 2_000,
      SLA_WATCH_INTERVAL_MS: services.slaWatchIntervalMs ?? 60_000,
      PERSONAL_DATA_KEY: randomBytes(32).toString("base64"),
      SAFETY_INDEX_INDICATORS: "four",
      WORKING_CALENDAR_FILE: testWorkingCalendarFile,
    },
    quietLogger,
    { ...(onMongoCommand ? { onMongoCommand } : {}), ...(services.now ? { now: services.now } : {}) },
  );
  const cases = new gridCasesV1.CaseServiceClient(
    `127.0.0.1:${gridCases.grpcPort}`,
    credentials.createInsecure(),
    {
      interceptors: clientInterceptors(),
    },
  );
  const areas = new gridCasesV1.AreaServiceClient(
    `127.0.0.1:${gridCases.grpcPort}`,
    credentials.createInsecure(),
    {
      interceptors: clientInterceptors(),
    },
  );
  const safety = new gridCasesV1.SafetyIndexServiceClient(
    `127.0.0.1:${gridCases.grpcPort}`,
    credentials.createInsecure(),
    {
      interceptors: clientInterceptors(),
    },
  );
  const gridCasesChannel = [
    `127.0.0.1:${gridCases.grpcPort}`,
    credentials.createInsecure(),
    { interceptors: clientInterceptors() },
  ] as const;
  const workingCalendars = new gridCasesV1.WorkingCalendarServiceClient(...gridCasesChannel);
  const patrols = new gridCasesV1.PatrolServiceClient(...gridCasesChannel);
  const caseCatalogue = new gridCasesV1.CaseCatalogueServiceClient(...gridCasesChannel);
  const communityStaffing = new gridCasesV1.CommunityStaffingServiceClient(...gridCasesChannel);
  const disputes = new gridCasesV1.DisputeServiceClient(...gridCasesChannel);
  const dutyLists = new gridCasesV1.DutyListServiceClient(...gridCasesChannel);
  const socialRegistry = services.socialRegistry
    ? await startSocialRegistry(
        {
          MONGODB_URI: mongoUri,
          MONGODB_DATABASE: `${databaseName}_sr`,
          NATS_URL: natsUrl,
          EVENT_NAMESPACE: namespace,
          GRPC_PORT: 0,
          SHUTDOWN_GRACE_MS: 2_000,
        },
        quietLogger,
      )
    : undefined;
  const socialRegistryClients = socialRegistry && {
    organisations: new socialRegistryV1.OrganisationServiceClient(
      `127.0.0.1:${socialRegistry.grpcPort}`,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
    projects: new socialRegistryV1.CharityProjectServiceClient(
      `127.0.0.1:${socialRegistry.grpcPort}`,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
    socialWork: new socialRegistryV1.SocialWorkServiceClient(
      `127.0.0.1:${socialRegistry.grpcPort}`,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
    density: new socialRegistryV1.DensityServiceClient(
      `127.0.0.1:${socialRegistry.grpcPort}`,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
    incubation: new socialRegistryV1.IncubationServiceClient(
      `127.0.0.1:${socialRegistry.grpcPort}`,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
    enterprises: new socialRegistryV1.CaringEnterpriseServiceClient(
      `127.0.0.1:${socialRegistry.grpcPort}`,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
  };
  const gatewayNats = await connect({ servers: natsUrl, name: "e2e-gateway" });
  const idempotency = await IdempotencyRecords.open(gatewayNats, {
    bucket: `${namespace}_idempotency`,
    ttlMs: 600_000,
    staleAfterMs: 2 * deadlineMs,
  });
  const app = createGatewayApp({
    idempotency,
    ...(socialRegistryClients ? { socialRegistry: socialRegistryClients } : {}),
    cases,
    areas,
    safety,
    workingCalendars,
    patrols,
    caseCatalogue,
    communityStaffing,
    disputes,
    dutyLists,
    deadlineMs,
    callerTokens: (await inProcessCallerTokens()).issuer,
    jwtSecret: testJwtSecret,
    logger: quietLogger,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  let gridCasesStopped = false;
  const stopGridCases = async () => {
    if (gridCasesStopped) return;
    gridCasesStopped = true;
    for (const step of gridCases.stops) await step.stop();
  };
  return {
    gatewayUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    databaseName,
    namespace,
    gridCases,
    ...(socialRegistry ? { socialRegistry } : {}),
    stopGridCases,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      cases.close();
      areas.close();
      safety.close();
      workingCalendars.close();
      patrols.close();
      caseCatalogue.close();
      communityStaffing.close();
      disputes.close();
      dutyLists.close();
      for (const client of Object.values(socialRegistryClients ?? {})) client.close();
      await stopGridCases();
      for (const step of socialRegistry?.stops ?? []) await step.stop();
      await gatewayNats.drain();
    },
  };
}
