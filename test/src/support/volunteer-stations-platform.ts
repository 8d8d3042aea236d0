import { randomBytes } from "node:crypto";
import { inProcessServiceSettings, uniqueDatabaseName } from "@civic/testing";
import { type RunningVolunteerStations, startVolunteerStations } from "@civic/volunteer-stations";
import type { CommandStartedEvent } from "mongodb";
import { jsonCall } from "./in-process-gateway.js";
import { type MovableClock, movableClock } from "./movable-clock.js";
import { quietLogger, serveTestGateway } from "./platform.js";

/** volunteer-stations and the gateway, in this process, on free ports. */
export interface VolunteerStationsPlatform {
  gatewayUrl: string;
  grpcAddress: string;
  databaseName: string;
  /** Event namespace: this platform's events are on `<namespace>.volunteer-stations.>`. */
  namespace: string;
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
      ...inProcessServiceSettings(mongoUri, natsUrl, databaseName, namespace),
      SIGN_UP_HOUSEKEEPING_INTERVAL_MS: options.housekeepingIntervalMs ?? 200,
      MICRO_WISH_MAX_VALUE_FEN: 20_000,
      PERSONAL_DATA_KEY: randomBytes(32).toString("base64"),
    },
    quietLogger,
    { now, ...(options.onMongoCommand ? { onMongoCommand: options.onMongoCommand } : {}) },
  );
  const grpcAddress = `127.0.0.1:${service.grpcPort}`;
  // grid-cases is not started: only volunteer-stations' routes are mounted.
  const gateway = await serveTestGateway(
    { "volunteer-stations": grpcAddress },
    { deadlineMs: options.deadlineMs ?? 60_000 },
  );
  return {
    gatewayUrl: gateway.url,
    grpcAddress,
    databaseName,
    namespace,
    service,
    clock,
    async stop() {
      await gateway.close();
      for (const step of service.stops) await step.stop();
    },
  };
}

/**
 * JSON over HTTP against a gateway; an empty authorization is the anonymous caller. The gateway's
 * URL may be given as a function, for a gateway that starts after the client is made.
 */
export function restClient(gatewayUrl: string | (() => string)) {
  return (method: string, path: string, authorization: string, body?: unknown) =>
    jsonCall(typeof gatewayUrl === "string" ? gatewayUrl : gatewayUrl(), method, path, authorization, body);
}

type RestClient = ReturnType<typeof restClient>;

/** Reads until `done` holds; throws, naming `what` and the last value read, after 20 seconds. */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Registers a station in the staff's area and publishes an activity there with one two-hour shift
 * a day after `now`; returns the shift and when it starts.
 */
export async function openStationWithShift(
  send: RestClient,
  staff: string,
  now: Date,
  plan: { stationId: string; kind: string; name: string; areaId: string; title: string; capacity: number },
): Promise<{ shiftId: string; startsAt: Date }> {
  const hour = 60 * 60_000;
  await send("POST", "/api/v1/volunteer-stations", staff, {
    stationId: plan.stationId,
    kind: plan.kind,
    name: plan.name,
    areaId: plan.areaId,
  });
  const startsAt = new Date(now.getTime() + 24 * hour);
  const published = await send("POST", "/api/v1/volunteer-activities", staff, {
    stationId: plan.stationId,
    title: plan.title,
    shifts: [
      {
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * hour).toISOString(),
        capacity: plan.capacity,
      },
    ],
  });
  if (published.status !== 201) throw new Error(`activity not published: ${JSON.stringify(published.body)}`);
  return { shiftId: published.body.shifts[0].shiftId, startsAt };
}

/** Registers a volunteer named after its id, in `areaId`, with a test phone number. */
export async function registerVolunteer(
  send: RestClient,
  authorization: string,
  volunteerId: string,
  areaId: string,
  details: Record<string, unknown> = {},
) {
  const registered = await send("POST", "/api/v1/volunteers", authorization, {
    volunteerId,
    name: `志愿者${volunteerId}`,
    phone: "13812345678",
    areaId,
    ...details,
  });
  if (registered.status !== 201)
    throw new Error(`${volunteerId} not registered: ${JSON.stringify(registered.body)}`);
  return registered;
}
