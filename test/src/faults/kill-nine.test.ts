/**
 * kill -9 under load. NATS, FerretDB, grid-cases, volunteer-stations and the gateway run as
 * separate OS processes. Clients submit cases and sign volunteers up for a shift, each
 * request with an Idempotency-Key, retrying on 503, 504, 409 "still running" and broken
 * connections as a real client would. Meanwhile grid-cases, then volunteer-stations, then
 * NATS, then the database are killed with SIGKILL and started again. Afterwards: every
 * acknowledged (2xx) write exists exactly once, no write exists twice, every stored event is
 * on its JetStream stream exactly once, and no shift holds more people than its places.
 */
import { type FerretDbProcess, type NatsServerProcess, startFerretDb, startNatsServer } from "@civic/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { type ProcessPlatform, startProcessPlatform } from "../support/process-platform.js";
import { descendants } from "../support/process-tree.js";
import type { ServiceProcess } from "../support/service-process.js";
import { bearer } from "../support/tokens.js";

const community = "440402001002";
const places = 15;
const volunteerCount = 60;
/** How long one client keeps retrying one write: longer than a service takes to start on a loaded machine. */
const retryForMs = 180_000;
/** A service's start takes over a minute when the machine is loaded (other test runs). */
const restartTimeoutMs = 150_000;

interface Attempt {
  key: string;
  /** The 2xx answer, when one came. */
  acknowledged?: { status: number; body: Record<string, unknown> };
  /** Every answer on the way: status, or the connection error. */
  answers: string[];
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * POSTs until an answer settles the outcome: 2xx (acknowledged), a 4xx other than 409
 * "still running" (refused), or a replayed 504 (the outcome stays unknown); retries on
 * 5xx, 409 with Retry-After and connection errors, with the same Idempotency-Key.
 */
async function postUntilSettled(url: string, headers: Record<string, string>, body: unknown, key: string) {
  const attempt: Attempt = { key, answers: [] };
  const giveUpAt = Date.now() + retryForMs;
  while (Date.now() < giveUpAt) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key, ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      attempt.answers.push(String(response.status));
      if (response.status >= 200 && response.status < 300) {
        attempt.acknowledged = { status: response.status, body: JSON.parse(text) };
        return attempt;
      }
      const replayed = response.headers.get("idempotent-replayed") === "true";
      if (response.status === 504 && replayed) return attempt;
      const retry =
        response.status >= 500 || (response.status === 409 && response.headers.has("retry-after"));
      if (!retry) return attempt;
    } catch (error) {
      attempt.answers.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
    await pause(150 + Math.random() * 150);
  }
  return attempt;
}

describe("kill -9 of services, NATS and the database under load", () => {
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
    const staff = await bearer("fault-staff", { roles: ["community_staff"], areas: [community] });
    const post = async (path: string, authorization: string, body: unknown) => {
      // The station waits for volunteer-stations to have the areas (from grid-cases' events).
      for (let tries = 0; ; tries++) {
        const response = await fetch(`${gatewayUrl}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization },
          body: JSON.stringify(body),
        });
        if (response.status === 201) return (await response.json()) as { shifts?: { shiftId: string }[] };
        if (tries > 100) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        await pause(200);
      }
    };
    await post("/api/v1/volunteer-stations", staff, {
      stationId: "fault-hut",
      kind: "blue_sky_hut",
      name: "Fault hut",
      areaId: community,
    });
    const startsAt = new Date(Date.now() + 86_400_000);
    const activity = await post("/api/v1/volunteer-activities", staff, {
      stationId: "fault-hut",
      title: "Sign-ups under faults",
      shifts: [0, 1, 2].map((day) => ({
        startsAt: new Date(startsAt.getTime() + day * 86_400_000).toISOString(),
        endsAt: new Date(startsAt.getTime() + day * 86_400_000 + 7_200_000).toISOString(),
        capacity: places,
      })),
    });
    const shiftIds = (activity.shifts ?? []).map((shift) => shift.shiftId);
    expect(shiftIds).toHaveLength(3);
    const volunteers = await Promise.all(
      Array.from({ length: volunteerCount }, async (_, index) => {
        const volunteerId = `fault-${String(index).padStart(3, "0")}`;
        return { volunteerId, authorization: await bearer(volunteerId, { roles: ["volunteer"] }) };
      }),
    );
    for (const { volunteerId, authorization } of volunteers) {
      await post("/api/v1/volunteers", authorization, {
        volunteerId,
        name: `志愿者${volunteerId}`,
        phone: "13812345678",
        areaId: community,
        skills: [],
        availability: [],
      });
    }

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
    const outcome = (attempts: Attempt[]) => {
      const counts = new Map<string, number>();
      for (const attempt of attempts) {
        const last = attempt.acknowledged ? "acknowledged" : `unsettled (last ${attempt.answers.at(-1)})`;
        counts.set(last, (counts.get(last) ?? 0) + 1);
      }
      const retried = attempts.filter((attempt) => attempt.answers.length > 1).length;
      return `${JSON.stringify(Object.fromEntries(counts))}, ${retried} retried`;
    };
    console.log(`cases: ${outcome(cases)}\nsign-ups: ${outcome(signUps)}`);
    // Retrying reaches an answer: 2xx, a refusal, or 504 (the outcome is unknown; its replay
    // tells the client to read before writing again). Never a 503 that outlasts the faults.
    expect(
      [...cases, ...signUps].filter((attempt) => !attempt.acknowledged && attempt.answers.at(-1) !== "504"),
      "writes that never got an answer",
    ).toEqual([]);

    // Every stored event reaches its stream (the relay's sweeper republishes what a crash left).
    const events = async (name: keyof typeof databases) =>
      (await mongo
        .db(databases[name])
        .collection("events")
        .find({}, { projection: { _id: 1, type: 1, stream: 1, data: 1 } })
        .toArray()) as unknown as {
        _id: string;
        type: string;
        stream: string;
        data: Record<string, unknown>;
      }[];
    const connection = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(connection);
    const onStreams = async () => {
      const ids: string[] = [];
      for await (const stream of jsm.streams.list()) {
        if (!stream.config.name.startsWith(namespace.toUpperCase())) continue;
        for (let seq = stream.state.first_seq; seq <= stream.state.last_seq; seq++) {
          const message = await jsm.streams.getMessage(stream.config.name, { seq }).catch(() => null);
          const id = message?.header.get("Nats-Msg-Id");
          if (id) ids.push(id);
        }
      }
      return ids;
    };
    let stored: string[] = [];
    let published: string[] = [];
    const settleBy = Date.now() + 60_000;
    do {
      stored = [...(await events("grid-cases")), ...(await events("volunteer-stations"))].map((event) =>
        String(event._id),
      );
      published = await onStreams();
      const missing = stored.filter((id) => !published.includes(id));
      if (missing.length === 0) break;
      await pause(1_000);
    } while (Date.now() < settleBy);
    await connection.close();
    const twiceOnStream = published.filter((id, index) => published.indexOf(id) !== index);
    expect(twiceOnStream, "events published twice").toEqual([]);
    expect(
      stored.filter((id) => !published.includes(id)),
      "stored events not on their stream",
    ).toEqual([]);
    expect(
      published.filter((id) => !stored.includes(id)),
      "published events never stored",
    ).toEqual([]);

    // Cases: each acknowledged one exists once, none exists twice.
    const submitted = (await events("grid-cases")).filter((event) => event.type === "case.submitted");
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
