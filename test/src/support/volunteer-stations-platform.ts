import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { gridCasesV1, volunteerStationsV1 } from "@civic/contracts";
import { createGatewayApp, type VolunteerStationsClients } from "@civic/gateway";
import { clientInterceptors, inProcessCallerTokens } from "@civic/service-kit";
import { uniqueDatabaseName } from "@civic/testing";
import { type RunningVolunteerStations, startVolunteerStations } from "@civic/volunteer-stations";
import { type ChannelCredentials, credentials } from "@grpc/grpc-js";
import type { CommandStartedEvent } from "mongodb";
import { type MovableClock, movableClock } from "./movable-clock.js";
import { quietLogger, testJwtSecret } from "./platform.js";

/** volunteer-stations and the gateway, in this process, on free ports. */
export interface VolunteerStationsPlatform {
  gatewayUrl: string;
  grpcAddress: string;
  databaseName: string;
  /** Event namespace: this platform's events are on `<namespace>.volunteer-stations.>`. */
  namespace: string;
  clients: VolunteerStationsClients;
  service: RunningVolunteerStations;
  /** The service's clock: tests move it forward. */
  clock: MovableClock;
  stop(): Promise<void>;
}

export async function startVolunteerStationsPlatform(
  mongoUri: string,
  natsUrl: string,
  options: {
    databaseName?: string;
    deadlineMs?: number;
    start?: Date;
    /** How often the automatic check-out and the abandoned-seat sweep run (fast in tests). */
    housekeepingIntervalMs?: number;
    onMongoCommand?: (event: CommandStartedEvent) => void;
  } = {},
): Promise<VolunteerStationsPlatform> {
  const databaseName = options.databaseName ?? uniqueDatabaseName("volunteers");
  const namespace = `vs_${databaseName.slice(-8)}`;
  const { clock, now } = movableClock(options.start);
  const service = await startVolunteerStations(
    {
      MONGODB_URI: mongoUri,
      MONGODB_DATABASE: databaseName,
      NATS_URL: natsUrl,
      EVENT_NAMESPACE: namespace,
      GRPC_PORT: 0,
      SHUTDOWN_GRACE_MS: 2_000,
      SIGN_UP_HOUSEKEEPING_INTERVAL_MS: options.housekeepingIntervalMs ?? 200,
      MICRO_WISH_MAX_VALUE_FEN: 20_000,
      PERSONAL_DATA_KEY: randomBytes(32).toString("base64"),
    },
    quietLogger,
    { now, ...(options.onMongoCommand ? { onMongoCommand: options.onMongoCommand } : {}) },
  );
  const grpcAddress = `127.0.0.1:${service.grpcPort}`;
  const client = <Client>(
    create: new (address: string, credentials: ChannelCredentials, options: object) => Client,
  ) => new create(grpcAddress, credentials.createInsecure(), { interceptors: clientInterceptors() });
  const clients: VolunteerStationsClients = {
    stations: client(volunteerStationsV1.StationServiceClient),
    volunteers: client(volunteerStationsV1.VolunteerServiceClient),
    activities: client(volunteerStationsV1.ActivityServiceClient),
    neighbourhood: client(volunteerStationsV1.NeighbourhoodServiceClient),
  };
  // grid-cases is not started: its routes are not exercised by these tests.
  const nowhere = "127.0.0.1:1";
  const app = createGatewayApp({
    cases: new gridCasesV1.CaseServiceClient(nowhere, credentials.createInsecure()),
    areas: new gridCasesV1.AreaServiceClient(nowhere, credentials.createInsecure()),
    safety: new gridCasesV1.SafetyIndexServiceClient(nowhere, credentials.createInsecure()),
    volunteerStations: clients,
    deadlineMs: options.deadlineMs ?? 60_000,
    callerTokens: (await inProcessCallerTokens()).issuer,
    jwtSecret: testJwtSecret,
    logger: quietLogger,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    gatewayUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    grpcAddress,
    databaseName,
    namespace,
    clients,
    service,
    clock,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      for (const client of Object.values(clients)) client.close();
      for (const step of service.stops) await step.stop();
    },
  };
}

/** JSON over HTTP against a gateway; an empty authorization is the anonymous caller. */
export function restClient(gatewayUrl: string) {
  return async (method: string, path: string, authorization: string, body?: unknown) => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      // biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary JSON answers
      body: (await response.json()) as Record<string, any>,
    };
  };
}
