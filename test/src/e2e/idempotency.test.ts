import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { startTestPlatform, type TestPlatform } from "../support/platform.js";
import { bearer } from "../support/tokens.js";

const newCase = {
  channel: "hotline_12345",
  requestType: "report",
  categoryCode: "manhole-cover-missing",
  title: "Manhole cover missing",
  description: "Outside No. 12 Jida Road",
  areaId: testGrid,
};

describe("Idempotency-Key on POST", () => {
  let platform: TestPlatform;
  let mongo: MongoClient;
  const eventCount = () => mongo.db(platform.databaseName).collection("events").countDocuments();
  const submit = (key: string | undefined, body: object = newCase, authorization?: string) =>
    fetch(`${platform.gatewayUrl}/api/v1/cases`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key === undefined ? {} : { "idempotency-key": key }),
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    platform = await startTestPlatform(inject("mongoUri"), inject("natsUrl"));
    await seedGeography(platform.gatewayUrl);
    mongo = await MongoClient.connect(inject("mongoUri"));
  });
  afterAll(async () => {
    await platform.stop();
    await mongo.db(platform.databaseName).dropDatabase();
    await mongo.close();
  });

  it("answers a retry with the first response and creates nothing more", async () => {
    const first = await submit("retry-1");
    expect(first.status).toBe(201);
    const created = (await first.json()) as { caseId: string };
    const events = await eventCount();

    const retry = await submit("retry-1");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("location")).toBe(first.headers.get("location"));
    expect(((await retry.json()) as { caseId: string }).caseId).toBe(created.caseId);
    expect(await eventCount()).toBe(events);
  });

  it("runs racing retries once: every answer names the same case", async () => {
    const events = await eventCount();
    const answers = await Promise.all(Array.from({ length: 8 }, () => submit("race-1")));
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { caseId?: string }[];
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(new Set(bodies.map((body) => body.caseId)).size).toBe(1);
    expect(await eventCount()).toBe(events + 1);
  });

  it("refuses the same key with another body (422) and changes nothing", async () => {
    expect((await submit("reuse-1")).status).toBe(201);
    const events = await eventCount();
    const reused = await submit("reuse-1", { ...newCase, title: "Another problem" });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ type: "urn:civic:problem:idempotency-key-reused" });
    expect(await eventCount()).toBe(events);
  });

  it("keeps each caller's keys apart", async () => {
    const resident = bearer("resident-a", { roles: ["public"] });
    const anonymous = await submit("shared-key");
    const identified = await submit("shared-key", newCase, resident);
    expect([anonymous.status, identified.status]).toEqual([201, 201]);
    const ids = [
      (await anonymous.json()) as { caseId: string },
      (await identified.json()) as { caseId: string },
    ];
    expect(ids[0]?.caseId).not.toBe(ids[1]?.caseId);
  });

  it("replays a refusal too, and still refuses a malformed key", async () => {
    const invalid = { ...newCase, title: "" };
    const first = await submit("invalid-1", invalid);
    expect(first.status).toBe(400);
    const retry = await submit("invalid-1", invalid);
    expect(retry.status).toBe(400);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("content-type")).toContain("application/problem+json");

    const events = await eventCount();
    const malformed = await submit("has spaces in it");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ field: "Idempotency-Key" }] });
    expect(await eventCount()).toBe(events);
  });

  it("lets a POST without a key through as before", async () => {
    const [one, two] = await Promise.all([submit(undefined), submit(undefined)]);
    expect([one?.status, two?.status]).toEqual([201, 201]);
  });
});
