import { EventLog } from "@civic/event-log";
import { uniqueDatabaseName } from "@civic/testing";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { caseAggregate } from "../aggregates.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "../domain/case-categories.js";
import { caseRoles } from "../domain/case-lifecycle.js";
import { SlaClock } from "../domain/sla.js";
import { china2026, WorkingCalendar } from "../domain/working-calendar.js";
import { CaseIntakeDesk } from "./case-intake-desk.js";
import { CaseWorkflowDesk } from "./case-workflow-desk.js";
import { SlaWatcher } from "./sla-watcher.js";

const quiet = pino({ level: "silent" });
const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);
const sla = new SlaClock(catalogue, new WorkingCalendar([china2026]));

describe("SLA watcher", () => {
  let mongo: MongoClient;
  let db: Db;
  let nats: NatsConnection;
  let log: EventLog;
  let clock = new Date("2026-03-02T01:00:00Z");
  const now = () => clock;

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(uniqueDatabaseName("sla"));
    nats = await connect({ servers: inject("natsUrl") });
    log = await EventLog.open({ db, nats, domain: "sla-watch-test", logger: quiet, now });
  });
  afterAll(async () => {
    await log.close();
    await nats.drain();
    await db.dropDatabase();
    await mongo.close();
  });

  it("two watchers at once record each passed deadline exactly once, and read only due cases", async () => {
    const cases = await log.repository(caseAggregate);
    let next = 0;
    const everyAreaExists = { exists: async () => true };
    const noContacts = { seal: (plain: string) => plain, phoneFor: async () => "" };
    const everyDepartmentExists = { departmentExists: async () => true };
    const intake = new CaseIntakeDesk(
      cases,
      { current: async () => catalogue },
      everyAreaExists,
      noContacts,
      () => `case-${next++}`,
      now,
    );
    const workflow = new CaseWorkflowDesk(
      cases,
      sla,
      everyDepartmentExists,
      { categories: { refresh: async () => {} }, routing: { current: async () => undefined } },
      now,
    );
    const staff = { subject: "cs-1", roles: [caseRoles.communityStaff], areas: ["440402"] };
    const submit = (categoryCode: string) =>
      intake.submit(
        {
          channel: "app",
          requestType: "complaint",
          categoryCode,
          title: "t",
          description: "d",
          areaId: "440402001002003",
          address: "",
          reporterName: "",
          reporterPhone: "",
          anonymous: true,
        },
        staff,
      );
    // 5 urgent cases (three deadlines each) and 5 standard ones (10 working days).
    for (let index = 0; index < 5; index++) await submit("gas-leak");
    for (let index = 0; index < 5; index++) await submit("property-management");
    for (let index = 0; index < next; index++)
      await workflow.transition(`case-${index}`, { kind: "accept" }, staff);

    clock = new Date("2026-03-06T01:00:00Z"); // past the urgent deadlines, not the standard one
    const watchers = [new SlaWatcher(cases, quiet, now), new SlaWatcher(cases, quiet, now)];
    const passes = await Promise.all(watchers.map((watcher) => watcher.passOnce()));
    expect(passes.every((pass) => pass.dueCases <= 5)).toBe(true);
    // A replica that lost every race for a case leaves it to the next pass.
    while (
      (await Promise.all(watchers.map((watcher) => watcher.passOnce()))).some((pass) => pass.breaches > 0)
    );

    const breaches = await log.store.events.find({ type: "case.sla_breached" }).toArray();
    expect(breaches).toHaveLength(15);
    const perCase = new Map<string, string[]>();
    for (const event of breaches) {
      perCase.set(event.stream, [...(perCase.get(event.stream) ?? []), event.data.deadline as string]);
    }
    expect([...perCase.keys()].sort()).toEqual([
      "case-case-0",
      "case-case-1",
      "case-case-2",
      "case-case-3",
      "case-case-4",
    ]);
    for (const kinds of perCase.values()) expect(kinds.sort()).toEqual(["contact", "on_site", "resolve"]);

    expect(await watchers[0]?.passOnce()).toEqual({ dueCases: 0, breaches: 0 });
  });
});
