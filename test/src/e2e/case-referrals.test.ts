import { ensureDomainStream } from "@civic/event-log";
import { referralCaseId } from "@civic/grid-cases";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

/** Cases that party-building's visits and deliberation's resolutions hand to grid-cases. */
describe("cases referred by other services' events", () => {
  const platform = platformForTheseTests(startTestPlatform);
  let mongo: MongoClient;
  let db: Db;
  let nats: NatsConnection;
  const tokens: Record<string, string> = {
    communityStaff: bearer("cs-7", { roles: ["community_staff"], areas: ["440402001002"] }),
    commandCentre: bearer("cc-1", { roles: ["command_centre"], areas: ["440402"] }),
    water: bearer("w-3", { roles: ["department_staff"], department: "water-affairs" }),
  };

  /** Publishes an event as the named service would, under a fresh message id each time. */
  const publish = async (domain: string, type: string, data: Record<string, unknown>) => {
    const js = jetstream(nats);
    await ensureDomainStream(await jetstreamManager(nats), domain, platform().namespace);
    const id = uuidv7();
    const subject = `${platform().namespace}.${domain}.${type}`;
    const event = {
      specversion: "1.0",
      id,
      source: `${platform().namespace}/${domain}`,
      type: subject,
      subject: `${type.split(".")[0]}-${uuidv7()}`,
      time: new Date().toISOString(),
      datacontenttype: "application/json",
      data,
      stream: "x",
      streamversion: 1,
    };
    await js.publish(subject, JSON.stringify(event), { msgID: id });
  };
  const readCase = (caseId: string) =>
    fetch(`${platform().gatewayUrl}/api/v1/cases/${caseId}`, {
      headers: { authorization: tokens.commandCentre as string },
    });
  const until = async <T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const value = await read();
      if (accept(value) || attempt > 200) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const step = async (caseId: string, who: string, body: Record<string, unknown>) => {
    const response = await fetch(`${platform().gatewayUrl}/api/v1/cases/${caseId}/transitions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: tokens[who] as string },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const eventsOf = (caseId: string, type: string) =>
    db
      .collection("events")
      .find({ stream: `case-${caseId}`, type })
      .toArray();

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    nats = await connect({ servers: inject("natsUrl") });
  });
  afterAll(async () => {
    await nats.drain();
    await mongo.close();
  });

  it("opens one case per problem a party member collected, however often the event comes, and reports its resolution back", async () => {
    const problem = {
      problemId: "problem-511",
      visitId: "visit-18156",
      areaId: testGrid,
      categoryCode: "sewage-discharge",
      title: "Sewage from the restaurant drain",
      description: "Collected on a household visit: the drain at No. 8 overflows every evening",
      address: "8 Nancun Road",
      collectedBy: "cadre-42",
      at: new Date().toISOString(),
    };
    await publish("party-building", "visit.problem_collected", problem);
    await publish("party-building", "visit.problem_collected", problem);
    const caseId = referralCaseId({ domain: "party-building", reference: "problem-511" });
    const response = await until(
      () => readCase(caseId),
      (read) => read.status === 200,
    );
    expect(await response.json()).toMatchObject({
      caseId,
      channel: "party_visit",
      requestType: "report",
      categoryCode: "sewage-discharge",
      areaId: testGrid,
      submittedBy: "cadre-42",
      origin: { domain: "party-building", reference: "problem-511" },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await eventsOf(caseId, "case.submitted")).toHaveLength(1);

    await step(caseId, "communityStaff", { accept: {} });
    await step(caseId, "commandCentre", { dispatch: { departmentId: "water-affairs" } });
    await step(caseId, "water", { signFor: {} });
    await step(caseId, "water", { startWork: {} });
    await step(caseId, "water", { resolve: { result: "Drain cleared" } });
    const [resolved] = await eventsOf(caseId, "case.resolved");
    expect(resolved?.data).toMatchObject({
      origin: { domain: "party-building", reference: "problem-511" },
      taskProgress: { percent: 90, note: "resolved: Drain cleared" },
    });
  });

  it("opens a case for a deliberation task of kind case, and leaves other kinds to other services", async () => {
    const task = {
      resolutionId: "resolution-1",
      areaId: testGrid,
      title: "Repair the road by the playground",
      description: "Adopted by the residents' council",
      categoryCode: "road-damage",
      requestedBy: "council-chair-1",
      at: new Date().toISOString(),
    };
    await publish("deliberation", "resolution.task_requested", {
      ...task,
      taskId: "task-2",
      kind: "volunteer_activity",
    });
    await publish("deliberation", "resolution.task_requested", { ...task, taskId: "task-1", kind: "case" });
    const caseId = referralCaseId({ domain: "deliberation", reference: "task-1" });
    const response = await until(
      () => readCase(caseId),
      (read) => read.status === 200,
    );
    expect(await response.json()).toMatchObject({ channel: "deliberation", categoryCode: "road-damage" });
    const [submitted] = await eventsOf(caseId, "case.submitted");
    expect(submitted?.data).toMatchObject({
      origin: { domain: "deliberation", reference: "task-1" },
      taskProgress: { percent: 0 },
    });
    expect((await readCase(referralCaseId({ domain: "deliberation", reference: "task-2" }))).status).toBe(
      404,
    );
  });

  it("keeps a referral that can never become a case as a dead letter, and opens nothing", async () => {
    await publish("party-building", "visit.problem_collected", {
      problemId: "problem-unknown-area",
      areaId: "440499999999999",
      categoryCode: "noise-nuisance",
      title: "Noise at night",
      description: "Karaoke until 2 am",
      collectedBy: "cadre-42",
    });
    const letters = await until(
      () =>
        db
          .collection("dead_letters")
          .find({ consumer: /party-building/ })
          .toArray(),
      (found) => found.length > 0,
    );
    expect(letters[0]?.reason).toContain("440499999999999 is not a known area");
    const caseId = referralCaseId({ domain: "party-building", reference: "problem-unknown-area" });
    expect((await readCase(caseId)).status).toBe(404);
  });
});
