/**
 * kill -9 under load. NATS, FerretDB, grid-cases, volunteer-stations and the gateway run as
 * separate OS processes. Clients submit cases and sign volunteers up for a shift, each
 * request with an Idempotency-Key, retrying on 503, 504, 409 "still running" and broken
 * connections as a real client would. Meanwhile grid-cases, then volunteer-stations, then the
 * gateway, then NATS, then the database are killed with SIGKILL and started again (a request
 * the killed gateway had taken is answered 504 on retry, never run twice). Afterwards: every
 * acknowledged (2xx) write exists exactly once, no write exists twice, every stored event is
 * on its JetStream stream exactly once, and no shift holds more people than its places.
 */
import { type FerretDbProcess, type NatsServerProcess, startFerretDb, startNatsServer } from "@civic/testing";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { type ProcessPlatform, startProcessPlatform } from "../support/process-platform.js";
import { descendants } from "../support/process-tree.js";
import { type Attempt, outcomeOf, pause, postUntilSettled } from "../support/retrying-client.js";
import type { ServiceProcess } from "../support/service-process.js";
import { storedAndPublished, storedEvents, streamMismatches } from "../support/stored-events.js";
import { bearer } from "../support/tokens.js";
import { openShifts, registeredVolunteers } from "../support/volunteer-shifts.js";

const community = "440402001002";
const places = 15;
const volunteerCount = 60;
/** How long one client keeps retrying one write: longer than a service takes to start on a loaded machine. */
const retryForMs = 180_000;
/** A service's start takes over a minute when the machine is loaded (other test runs). */
const restartTimeoutMs = 150_000;

describe("kill -9 of services, the gateway, NATS and the database under load", () => {
  let nats: NatsServerProcess;
  let database: FerretDbProcess;
  let platform: ProcessPlatform;
  let gridCases: ServiceProcess;
  let volunteerStations: ServiceProcess;
  let gatewayUrl: string;
  let namespace: string;
  let databases: ProcessPlatform["databases"];
  let mongo: MongoClient;

  beforeAll(async () => {
    [nats, database] = await Promise.all([startNatsServer(), startFerretDb()]);
    platform = await startProcessPlatform({
      mongoUri: database.uri,
      natsUrl: nats.url,
      gatewayEnv: { GRPC_DEADLINE_MS: "3000" },
    });
    ({ gridCases, volunteerStations, gatewayUrl, namespace, databases } = platform);
    mongo = await MongoClient.connect(database.uri);
  }, 180_000);

  afterAll(async () => {
    await mongo?.close();
    await platform?.kill();
    await Promise.all([nats?.dispose(), database?.dispose()]);
  });

  /** SIGKILL to the process of ours whose command line holds `marker`. */
  const killInfrastructure = (marker: string) => {
    const found = descendants(process.pid).find((info) => info.command.includes(marker));
    if (!found) throw new Error(`no process of this test with "${marker}" in its command`);
    process.kill(found.pid, "SIGKILL");
  };

  it("acknowledged writes exist exactly once, events are on their streams once, no shift is over-booked", async () => {
    await seedGeography(gatewayUrl);
    const staff = bearer("fault-staff", { roles: ["community_staff"], areas: [community] });
    const shiftIds = await openShifts(gatewayUrl, staff, {
      stationId: "fault-hut",
      areaId: community,
      capacities: [places, places, places],
    });
    const volunteers = await registeredVolunteers(gatewayUrl, {
      prefix: "fault",
      count: volunteerCount,
      areaId: community,
    });

    // The load: a few clients each writing one thing after another until told to stop.
    let loading = true;
    const cases: (Attempt & { title: string })[] = [];
    const signUps: (Attempt & { volunteerId: string; shiftId: string })[] = [];
    let nextCase = 0;
    const caseClient = async () => {
      while (loading) {
        const number = nextCase++;
        const title = `Fault case ${number}`;
        const attempt = await postUntilSettled(
          `${gatewayUrl}/api/v1/cases`,
          {},
          {
            channel: "hotline_12345",
            requestType: "report",
            categoryCode: "manhole-cover-missing",
            title,
            description: "Outside No. 12 Jida Road",
            areaId: testGrid,
          },
          `case-${number}`,
          retryForMs,
        );
        cases.push({ ...attempt, title });
        await pause(50);
      }
    };
    const waiting = shiftIds.flatMap((shiftId) => volunteers.map((volunteer) => ({ shiftId, ...volunteer })));
    const signUpClient = async () => {
      while (loading) {
        const next = waiting.shift();
        if (!next) return;
        const attempt = await postUntilSettled(
          `${gatewayUrl}/api/v1/volunteer-shifts/${next.shiftId}/sign-ups`,
          { authorization: next.authorization },
          { volunteerId: next.volunteerId },
          `sign-up-${next.shiftId}-${next.volunteerId}`,
          retryForMs,
        );
        signUps.push({ ...attempt, volunteerId: next.volunteerId, shiftId: next.shiftId });
        await pause(300);
      }
    };
    const clients = [...Array.from({ length: 4 }, caseClient), ...Array.from({ length: 3 }, signUpClient)];

    const faults: string[] = [];
    const fault = async (what: string, kill: () => Promise<void> | void, restart: () => Promise<void>) => {
      await pause(2_000);
      const killed = Date.now();
      await kill();
      await pause(500);
      await restart();
      faults.push(`${what}: back ${Date.now() - killed} ms after SIGKILL`);
    };
    await fault(
      "grid-cases",
      () => gridCases.kill(),
      () => gridCases.start(restartTimeoutMs),
    );
    await fault(
      "volunteer-stations",
      () => volunteerStations.kill(),
      () => volunteerStations.start(restartTimeoutMs),
    );
    await fault(
      "the gateway",
      () => platform.gateway.kill(),
      () => platform.gateway.start(restartTimeoutMs),
    );
    await fault(
      "NATS",
      () => killInfrastructure(`-p ${nats.port} `),
      () => nats.restart(),
    );
    await fault(
      "FerretDB",
      () => killInfrastructure(`--listen-addr=127.0.0.1:${database.port}`),
      () => database.restart(),
    );
    await pause(3_000);
    loading = false;
    await Promise.all(clients);
    console.log(faults.join("\n"));
    console.log(`cases: ${outcomeOf(cases)}\nsign-ups: ${outcomeOf(signUps)}`);
    // Retrying reaches an answer: 2xx, a refusal, or 504 (the outcome is unknown; its replay
    // tells the client to read before writing again). Never a 503 that outlasts the faults.
    expect(
      [...cases, ...signUps].filter((attempt) => !attempt.acknowledged && attempt.answers.at(-1) !== "504"),
      "writes that never got an answer",
    ).toEqual([]);

    // Every stored event reaches its stream (the relay's sweeper republishes what a crash left).
    expect(
      streamMismatches(await storedAndPublished(mongo, Object.values(databases), nats.url, namespace)),
    ).toEqual({ publishedTwice: [], storedNotPublished: [], publishedNotStored: [] });

    // Cases: each acknowledged one exists once, none exists twice.
    const submitted = (await storedEvents(mongo, databases["grid-cases"])).filter(
      (event) => event.type === "case.submitted",
    );
    const timesSubmitted = (title: string) => submitted.filter((event) => event.data.title === title).length;
    const acknowledgedCases = cases.filter((attempt) => attempt.acknowledged);
    expect(acknowledgedCases.length).toBeGreaterThan(20);
    expect(
      acknowledgedCases
        .filter((attempt) => timesSubmitted(attempt.title) !== 1)
        .map((attempt) => attempt.title),
      "acknowledged cases not stored exactly once",
    ).toEqual([]);
    expect(
      cases.filter((attempt) => timesSubmitted(attempt.title) > 1).map((attempt) => attempt.title),
      "cases stored twice",
    ).toEqual([]);

    // Sign-ups: each acknowledged one is on its roster once; no shift holds more than its places.
    const acknowledgedSignUps = signUps.filter((attempt) => attempt.acknowledged);
    expect(acknowledgedSignUps.length).toBeGreaterThan(places);
    for (const shiftId of shiftIds) {
      const roster = (await (
        await fetch(`${gatewayUrl}/api/v1/volunteer-shifts/${shiftId}/roster`, {
          headers: { authorization: staff },
        })
      ).json()) as { confirmed: number; signUps: { volunteerId: string; status: string }[] };
      const onRoster = (volunteerId: string) =>
        roster.signUps.filter((signUp) => signUp.volunteerId === volunteerId).length;
      expect(
        acknowledgedSignUps
          .filter((attempt) => attempt.shiftId === shiftId && onRoster(attempt.volunteerId) !== 1)
          .map((attempt) => attempt.volunteerId),
        `acknowledged sign-ups for ${shiftId} not on its roster exactly once`,
      ).toEqual([]);
      expect(roster.signUps.length).toBe(new Set(roster.signUps.map((signUp) => signUp.volunteerId)).size);
      expect(roster.confirmed).toBeLessThanOrEqual(places);
      const seats = await mongo
        .db(databases["volunteer-stations"])
        .collection("shift_seats")
        .countDocuments({ shiftId });
      expect(seats).toBeLessThanOrEqual(places);
    }
  }, 480_000);
});
