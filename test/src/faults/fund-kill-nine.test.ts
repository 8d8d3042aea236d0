/**
 * kill -9 of deliberation while clients allocate from one fund. grid-cases, deliberation and
 * the gateway run as OS processes of their own on the suite's NATS and database. Clients
 * allocate 1,000 yuan at a time from a fund holding 20,000, each allocation with an
 * Idempotency-Key, retrying on 503, 504, 409 "still running" and broken connections; meanwhile
 * deliberation is killed with SIGKILL and started again. Afterwards: every acknowledged
 * allocation is on the fund's stream exactly once, no allocation is there twice, the balance
 * replayed event by event never goes below zero and is what the fund reports, and every
 * stored event is on its JetStream stream exactly once.
 */
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { httpClient } from "../support/http-client.js";
import { type ProcessPlatform, startProcessPlatform } from "../support/process-platform.js";
import { adoptedResolution } from "../support/resolutions.js";
import { type Attempt, outcomeOf, pause, postUntilSettled } from "../support/retrying-client.js";
import { storedAndPublished, storedEvents, streamMismatches } from "../support/stored-events.js";
import { bearer } from "../support/tokens.js";

const community = "440402001002";
const creditFen = 2_000_000;
const allocationFen = 100_000;
const clientCount = 6;
/** How long one client keeps retrying one allocation: longer than deliberation takes to start on a loaded machine. */
const retryForMs = 150_000;
const restartTimeoutMs = 120_000;

describe("kill -9 of deliberation while clients allocate from a fund", () => {
  let platform: ProcessPlatform;
  let mongo: MongoClient;

  beforeAll(async () => {
    platform = await startProcessPlatform({
      mongoUri: inject("mongoUri"),
      natsUrl: inject("natsUrl"),
      withDeliberation: true,
      gatewayEnv: { GRPC_DEADLINE_MS: "3000" },
    });
    mongo = await MongoClient.connect(inject("mongoUri"));
  }, 180_000);

  afterAll(async () => {
    await mongo?.close();
    await platform?.kill();
  });

  it("stores every acknowledged allocation once and never overdraws the fund", async () => {
    const { gatewayUrl, deliberation, databases, namespace } = platform;
    if (!deliberation || !databases.deliberation) throw new Error("deliberation was not started");
    await seedGeography(gatewayUrl);
    const api = httpClient(gatewayUrl);
    const staff = bearer("fund-staff", { roles: ["community_staff"], areas: [community] });
    // deliberation learns the areas from grid-cases' events: the fund waits for the grid.
    let fundId = "";
    for (let tries = 0; !fundId; tries++) {
      const opened = await api.post(
        "/api/v1/funds",
        { areaId: testGrid, name: "第三网格公共收益", kind: "compound_public_fund" },
        staff,
      );
      if (opened.status === 201) fundId = opened.body.fundId;
      else if (tries > 100) throw new Error(`the fund was not opened: ${JSON.stringify(opened.body)}`);
      else await pause(200);
    }
    const credited = await api.post(
      `/api/v1/funds/${fundId}/credits`,
      { amountFen: creditFen, note: "街道下拨" },
      staff,
    );
    expect(credited.status).toBe(200);
    const resolutionId = await adoptedResolution(api, staff, testGrid, "楼道改造");
    const started = Date.now();
    const log = (line: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${line}`);
    log(`fund ${fundId} holds ${creditFen} fen; resolution ${resolutionId}`);

    // The load: clients allocating one after another until told to stop; the balance runs out
    // after 20, and every later allocation is refused (400 INSUFFICIENT_BALANCE).
    let loading = true;
    let next = 0;
    const attempts: (Attempt & { purpose: string })[] = [];
    const allocator = async () => {
      while (loading) {
        const number = next++;
        const purpose = `楼道改造 ${number}`;
        const attempt = await postUntilSettled(
          `${gatewayUrl}/api/v1/funds/${fundId}/allocations`,
          { authorization: staff },
          { amountFen: allocationFen, purpose, resolutionId },
          `allocation-${number}`,
          retryForMs,
        );
        attempts.push({ ...attempt, purpose });
        await pause(200);
      }
    };
    const clients = Array.from({ length: clientCount }, allocator);
    // Killed once some allocations are through, so that others are in flight.
    const acknowledgedSoFar = () => attempts.filter((attempt) => attempt.acknowledged).length;
    const killBy = Date.now() + 60_000;
    while (acknowledgedSoFar() < 5 && Date.now() < killBy) await pause(50);
    if (acknowledgedSoFar() < 5) {
      loading = false;
      await Promise.all(clients);
      throw new Error(
        `too few allocations went through to kill deliberation under load: ${outcomeOf(attempts)}`,
      );
    }
    log(`killing deliberation after ${outcomeOf(attempts)}`);
    await deliberation.kill();
    await pause(500);
    await deliberation.start(restartTimeoutMs);
    log("deliberation is back");
    await pause(2_000);
    loading = false;
    await Promise.all(clients);
    log(`allocations: ${outcomeOf(attempts)}`);

    // Each allocation settled: acknowledged, refused (400 for the balance, 409 when other
    // allocations kept changing the fund first), or a replayed 504 (unknown).
    const refused = attempts.filter(
      (attempt) => !attempt.acknowledged && ["400", "409"].includes(attempt.answers.at(-1) ?? ""),
    );
    expect(
      attempts
        .filter(
          (attempt) => !attempt.acknowledged && !["400", "409", "504"].includes(attempt.answers.at(-1) ?? ""),
        )
        .map((attempt) => `${attempt.purpose}: ${attempt.answers.join(", ")}`),
      "allocations that never got an answer",
    ).toEqual([]);
    expect(
      attempts.filter((attempt) => attempt.answers.length > 1).length,
      "allocations retried across the kill",
    ).toBeGreaterThan(0);

    const fundEvents = (await storedEvents(mongo, databases.deliberation))
      .filter((event) => event.data.fundId === fundId)
      .sort((a, b) => a.version - b.version);
    const allocated = fundEvents.filter((event) => event.type === "fund.allocated");
    const acknowledged = attempts.filter((attempt) => attempt.acknowledged);
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);
    expect(
      acknowledged
        .filter((attempt) => {
          const entry = attempt.acknowledged?.body.entry as { entryId?: string } | undefined;
          return allocated.filter((event) => event.data.entryId === entry?.entryId).length !== 1;
        })
        .map((attempt) => attempt.purpose),
      "acknowledged allocations not on the fund's stream exactly once",
    ).toEqual([]);
    const purposes = allocated.map((event) => event.data.note);
    expect(
      refused.filter((attempt) => purposes.includes(attempt.purpose)).map((attempt) => attempt.purpose),
      "refused allocations that were stored",
    ).toEqual([]);
    expect(
      purposes.filter((purpose, index) => purposes.indexOf(purpose) !== index),
      "allocations stored twice",
    ).toEqual([]);

    // The balance after each event, replayed in stream order: never below zero.
    let balance = 0;
    const balances: number[] = [];
    for (const event of fundEvents) {
      const amount = Number(event.data.amountFen ?? 0);
      if (event.type === "fund.credited" || event.type === "fund.reversed") balance += amount;
      if (event.type === "fund.allocated") balance -= amount;
      balances.push(balance);
    }
    expect(Math.min(...balances)).toBeGreaterThanOrEqual(0);
    expect(allocated.length).toBeLessThanOrEqual(creditFen / allocationFen);
    expect(balance).toBe(creditFen - allocated.length * allocationFen);
    expect((await api.get(`/api/v1/funds/${fundId}`)).body.balanceFen).toBe(balance);

    // Every stored event reaches its stream once (the relay's sweeper republishes what a crash left).
    expect(
      streamMismatches(
        await storedAndPublished(mongo, Object.values(databases), inject("natsUrl"), namespace),
      ),
    ).toEqual({ publishedTwice: [], storedNotPublished: [], publishedNotStored: [] });
  }, 420_000);
});
