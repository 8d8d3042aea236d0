import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { constituteCouncil } from "../support/councils.js";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const compound = "440402001002003";

/** What deliberation publishes, as its followers on NATS receive it. */
interface Published {
  id: string;
  type: string;
  subject: string;
  // biome-ignore lint/suspicious/noExplicitAny: event data is checked field by field
  data: Record<string, any>;
}

describe("deliberation's events on NATS", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  let nats: NatsConnection;
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
  });
  afterAll(() => nats.drain());

  /** Subscribes before acting; `received` ends after `count` events or fails after 10 s. */
  function follow(type: string, count: number) {
    const subscription: Subscription = nats.subscribe(`${platform().namespace}.deliberation.${type}`, {
      max: count,
      timeout: 10_000,
    });
    return {
      async received(): Promise<Published[]> {
        const events: Published[] = [];
        for await (const message of subscription) events.push(JSON.parse(message.string()));
        return events;
      },
    };
  }

  it("publishes the proposal (the collect step) and topic.step_recorded for each later step of the six", async () => {
    const proposals = follow("topic.proposed", 1);
    const steps = follow("topic.step_recorded", 5);
    const proposed = await api.post(
      "/api/v1/topics",
      {
        areaId: compound,
        title: "小区儿童游乐场改造",
        description: "游乐设施老化",
        categoryCode: "environment-facilities",
        proposerKind: "resident",
      },
      bearer("resident-8", { roles: ["resident"] }),
    );
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const topicId = proposed.body.topicId as string;
    const records = [
      { step: "agenda", record: "列入议程", reference: "" },
      { step: "deliberate", record: "议事会讨论", reference: "" },
      { step: "decide", record: "表决通过", reference: "vote-42" },
      { step: "implement", record: "施工", reference: "" },
      { step: "report_back", record: "公示验收结果", reference: "" },
    ];
    for (const record of records)
      expect((await api.post(`/api/v1/topics/${topicId}/steps`, record, staff)).status).toBe(200);

    const [collected] = await proposals.received();
    expect(collected).toMatchObject({
      type: `${platform().namespace}.deliberation.topic.proposed`,
      subject: `topic-${topicId}`,
      data: { topicId, admissible: true, areaId: compound },
    });
    const published = await steps.received();
    expect(published.map((event) => event.subject)).toEqual(Array(5).fill(`topic-${topicId}`));
    expect(published.map((event) => event.data)).toEqual(
      records.map((record) =>
        expect.objectContaining({ topicId, areaId: compound, ...record, by: "cs-nancun" }),
      ),
    );
    expect(new Set(published.map((event) => event.id)).size).toBe(5);
  });

  it("publishes a vote's result with its tally and chain head when it closes", async () => {
    const councilId = await constituteCouncil(
      api,
      staff,
      { kind: "resident_deliberation_council", areaId: nancun, name: "南村居民议事会", seatCount: 3 },
      ["rep-a", "rep-b", "rep-c"].map((member) => ({
        memberId: member,
        name: member,
        role: "representative",
      })),
    );
    const vote = await api.post(
      `/api/v1/councils/${councilId}/votes`,
      {
        title: "设立共享工具屋",
        method: "e_vote",
        rule: "simple_majority",
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        subjectReference: "topic-77",
      },
      staff,
    );
    const voteId = vote.body.voteId as string;
    const results = follow("vote.closed", 1);
    for (const [member, choice] of [
      ["rep-a", "yes"],
      ["rep-b", "yes"],
      ["rep-c", "no"],
    ] as const) {
      const cast = await api.post(
        `/api/v1/votes/${voteId}/ballots`,
        { choices: [choice] },
        bearer(member, { roles: ["resident"] }),
      );
      expect(cast.status).toBe(201);
    }
    const closed = (await api.post(`/api/v1/votes/${voteId}/close`, {}, staff)).body;
    const [result] = await results.received();
    expect(result).toMatchObject({
      subject: `vote-${voteId}`,
      data: {
        voteId,
        areaId: nancun,
        subjectReference: "topic-77",
        adopted: true,
        votesCast: 3,
        options: [
          { option: "yes", votes: 2, areaCentiM2: 0 },
          { option: "no", votes: 1, areaCentiM2: 0 },
          { option: "abstain", votes: 0, areaCentiM2: 0 },
        ],
        chainHead: closed.result.chainHead,
        closedBy: "cs-nancun",
      },
    });
    expect(result?.data.chainHead).toMatch(/^[0-9a-f]{64}$/);
  });
});
