import { EventLog } from "@civic/event-log";
import { uniqueDatabaseName } from "@civic/testing";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { catalogueVersionAggregate } from "../aggregates.js";
import { defaultCaseCategories } from "../domain/case-categories.js";
import { CaseCategoryDesk } from "./case-category-desk.js";

describe("the case-category catalogue's versions", () => {
  let mongo: MongoClient;
  let db: Db;
  let nats: NatsConnection;
  let log: EventLog;

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(uniqueDatabaseName("catalogue"));
    nats = await connect({ servers: inject("natsUrl") });
    log = await EventLog.open({ db, nats, domain: "catalogue-test", logger: pino({ level: "silent" }) });
  });
  afterAll(async () => {
    await log.close();
    await nats.drain();
    await db.dropDatabase();
    await mongo.close();
  });

  it("stores the shipped version once when replicas start together, and each replica sees the others' versions", async () => {
    const replicas = await Promise.all(
      [1, 2, 3, 4].map(async () => new CaseCategoryDesk(await log.repository(catalogueVersionAggregate))),
    );
    await Promise.all(replicas.map((replica) => replica.publishShippedIfAbsent()));
    expect(await db.collection("case_category_versions").countDocuments({})).toBe(1);
    for (const replica of replicas) expect((await replica.current()).version).toBe(1);

    const [first, second] = replicas as [CaseCategoryDesk, CaseCategoryDesk];
    const centre = { subject: "cc-1", roles: ["command_centre"], areas: [] };
    const urgentVending = defaultCaseCategories.map((category) =>
      category.code === "street-vending" ? { ...category, urgency: "urgent" as const } : category,
    );
    await first.publish(1, urgentVending, centre);
    await second.refresh();
    expect(second.find("street-vending", 1)?.urgency).toBe("normal");
    expect(second.find("street-vending", 2)?.urgency).toBe("urgent");
    await expect(second.publish(1, defaultCaseCategories, centre)).rejects.toThrow("version 2 is current");
  });
});
