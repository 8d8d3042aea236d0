import { proposalTopicId } from "@civic/deliberation";
import { ensureDomainStream } from "@civic/event-log";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const shanchang = "440402001009";

/** Topics other services propose with `civic.<domain>.deliberation.topic_proposed`. */
describe("topics proposed by other services' events", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  let mongo: MongoClient;
  let db: Db;
  let nats: NatsConnection;

  /** Publishes the contract's event as `domain` would; a given event id may be published again. */
  const publish = async (domain: string, data: Record<string, unknown>, id = uuidv7()) => {
    const stream = await ensureDomainStream(await jetstreamManager(nats), domain, platform().namespace);
    const subject = `${stream.subjectPrefix}.deliberation.topic_proposed`;
    const event = {
      specversion: "1.0",
      id,
      source: `${platform().namespace}/${domain}`,
      type: subject,
      subject: `problem-${String(data.proposalId)}`,
      time: new Date().toISOString(),
      datacontenttype: "application/json",
      stream: `problem-${String(data.proposalId)}`,
      streamversion: 1,
      data,
    };
    // A fresh message id each time, so JetStream delivers every copy (a redelivery, a repeat).
    await jetstream(nats).publish(subject, JSON.stringify(event), { msgID: uuidv7() });
  };

  const eventually = async <T>(read: () => Promise<T>, until: (value: T) => boolean): Promise<T> => {
    for (let attempt = 0; attempt < 150; attempt++) {
      const value = await read();
      if (until(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return read();
  };

  const problem = {
    proposalId: "problem-7",
    areaId: shanchang,
    title: "小区停车位不足",
    description: "走访中二十户反映晚间无处停车，希望居民议事会协商",
    categoryCode: "public-affairs",
    proposedBy: "pm-wang",
    at: "2026-11-20T09:30:00Z",
  };

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    nats = await connect({ servers: inject("natsUrl") });
  });
  afterAll(async () => {
    await nats.drain();
    await mongo.close();
  });

  it("makes one topic of a proposal, however often the event is delivered or repeated", async () => {
    const eventId = uuidv7();
    await publish("party-building", problem, eventId);
    await publish("party-building", problem, eventId);
    await publish("party-building", problem);
    const topicId = proposalTopicId({ domain: "party-building", reference: "problem-7" });
    const topic = await eventually(
      () => api.get(`/api/v1/topics/${topicId}`),
      (answer) => answer.status === 200,
    );
    expect(topic.status).toBe(200);
    expect(topic.body).toMatchObject({
      topicId,
      areaId: shanchang,
      title: "小区停车位不足",
      proposerKind: "service_event",
      proposedBy: "pm-wang",
      originDomain: "party-building",
      originReference: "problem-7",
      admissible: true,
      status: "in_progress",
      nextStep: "agenda",
      proposedAt: "2026-11-20T09:30:00.000Z",
      version: 1,
    });
    // The same proposal from grid-cases is another topic; a repeat of it, none.
    await publish("grid-cases", { ...problem, proposalId: "case-9" });
    await publish("grid-cases", { ...problem, proposalId: "case-9" });
    const fromGridCases = proposalTopicId({ domain: "grid-cases", reference: "case-9" });
    expect(
      (
        await eventually(
          () => api.get(`/api/v1/topics/${fromGridCases}`),
          (a) => a.status === 200,
        )
      ).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const listed = (await api.get(`/api/v1/topics?areaId=${shanchang}&pageSize=200`)).body.topics;
    const fromEvents = listed.filter(
      (entry: { proposerKind: string }) => entry.proposerKind === "service_event",
    );
    expect(fromEvents.map((entry: { topicId: string }) => entry.topicId).sort()).toEqual(
      [topicId, fromGridCases].sort(),
    );
    expect((await api.get(`/api/v1/topics/${topicId}`)).body.version).toBe(1);
  });

  it("records a proposal from the 'not discussed' list as refused, with the reason", async () => {
    await publish("volunteer-stations", {
      ...problem,
      proposalId: "need-3",
      categoryCode: "private-matters",
    });
    const topicId = proposalTopicId({ domain: "volunteer-stations", reference: "need-3" });
    const topic = await eventually(
      () => api.get(`/api/v1/topics/${topicId}`),
      (answer) => answer.status === 200,
    );
    expect(topic.body).toMatchObject({ admissible: false, status: "refused" });
    expect(topic.body.admissibilityReason).toMatch(/^not discussed: /);
  });

  it("keeps a proposal that can never be a topic as a dead letter with the reason, and makes no topic", async () => {
    await publish("party-building", { ...problem, proposalId: "problem-8", areaId: "440402001077" });
    await publish("party-building", { ...problem, proposalId: "problem-9", categoryCode: "gossip" });
    await publish("party-building", { ...problem, proposalId: "problem-10", title: "" });
    const letters = await eventually(
      () =>
        db
          .collection<{ consumer: string; reason: string }>("dead_letters")
          .find({ consumer: "deliberation-party-building-deliberation-topic-proposed" })
          .toArray(),
      (found) => found.length >= 3,
    );
    const reasons = letters.map((letter) => letter.reason).sort();
    expect(reasons).toHaveLength(3);
    expect(
      reasons.some((reason) => reason.includes("440402001077 is not a known community or compound")),
    ).toBe(true);
    expect(reasons.some((reason) => reason.startsWith("categoryCode"))).toBe(true);
    expect(reasons).toContain("title is missing");
    for (const reference of ["problem-8", "problem-9", "problem-10"]) {
      const topicId = proposalTopicId({ domain: "party-building", reference });
      expect((await api.get(`/api/v1/topics/${topicId}`)).status).toBe(404);
    }
  });

  it("still lets the area's staff enter a service's proposal by hand", async () => {
    const staff = bearer("cs-shanchang", { roles: ["community_staff"], areas: [shanchang] });
    const entered = await api.post(
      "/api/v1/topics",
      {
        areaId: shanchang,
        title: problem.title,
        description: problem.description,
        categoryCode: problem.categoryCode,
        proposerKind: "service_event",
        originDomain: "grid-cases",
        originReference: "case-11",
      },
      staff,
    );
    expect(entered.status, JSON.stringify(entered.body)).toBe(201);
  });
});
