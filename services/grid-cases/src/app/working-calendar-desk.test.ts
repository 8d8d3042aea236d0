import { FailedPreconditionError, InvalidArgumentError, PermissionDeniedError } from "@civic/domain-kit";
import { EventLog } from "@civic/event-log";
import { uniqueDatabaseName } from "@civic/testing";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { calendarYearAggregate } from "../aggregates.js";
import { type CalendarYear, china2026 } from "../domain/working-calendar.js";
import { WorkingCalendarDesk } from "./working-calendar-desk.js";

const quiet = pino({ level: "silent" });
const commandCentre = { subject: "cc-1", roles: ["command_centre"], areas: [] };
const at = (local: string) => new Date(`${local}+08:00`);
/** A test arrangement for 2027: New Year's Day off, one make-up Saturday. */
const test2027: CalendarYear = {
  year: 2027,
  holidays: [{ name: "New Year's Day", from: "2027-01-01", to: "2027-01-01" }],
  makeUpWorkingDays: ["2027-01-09"],
};

describe("working calendars as data", () => {
  let mongo: MongoClient;
  let db: Db;
  let nats: NatsConnection;
  let log: EventLog;

  const calendarsOn = async (eventLog: EventLog) =>
    new WorkingCalendarDesk(await eventLog.repository(calendarYearAggregate), quiet, () =>
      at("2026-12-07T09:00:00"),
    );

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(uniqueDatabaseName("calendars"));
    nats = await connect({ servers: inject("natsUrl") });
    log = await EventLog.open({ db, nats, domain: "calendar-test", logger: quiet });
  });
  afterAll(async () => {
    await log.close();
    await nats.drain();
    await db.dropDatabase();
    await mongo.close();
  });

  it("refuses a deadline in a year nobody loaded, counts it once the command centre loads the year, and another replica learns it on refresh", async () => {
    const calendars = await calendarsOn(log);
    const replica = await calendarsOn(log);
    await calendars.loadIfAbsent([china2026], "platform");
    await replica.refresh();
    // Monday 28 December 2026 plus 5 working days reaches into 2027.
    const refusal = (() => {
      try {
        calendars.workingDaysAfter(at("2026-12-28T10:00:00"), 5);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(FailedPreconditionError);
    expect((refusal as FailedPreconditionError).reason).toBe("NO_WORKING_CALENDAR");
    expect((refusal as Error).message).toContain("2027");

    await expect(calendars.load(test2027, { ...commandCentre, roles: ["community_staff"] })).rejects.toThrow(
      PermissionDeniedError,
    );
    const loaded = await calendars.load(test2027, commandCentre);
    expect(loaded).toMatchObject({ version: 1, calendar: { year: 2027, loadedBy: "cc-1" } });
    // 29, 30, 31 Dec; 1 Jan off, 2–3 Jan weekend; 4, 5 Jan.
    expect(calendars.workingDaysAfter(at("2026-12-28T10:00:00"), 5)).toEqual(at("2027-01-06T00:00:00"));
    expect(() => replica.workingDaysAfter(at("2026-12-28T10:00:00"), 5)).toThrow(FailedPreconditionError);
    await replica.refresh();
    expect(replica.workingDaysAfter(at("2026-12-28T10:00:00"), 5)).toEqual(at("2027-01-06T00:00:00"));
  });

  it("keeps a correction loaded through the API when the shipped year or file is loaded again, and stores an unchanged load once", async () => {
    const database = mongo.db(uniqueDatabaseName("calendars"));
    const eventLog = await EventLog.open({ db: database, nats, domain: "calendar-test-2", logger: quiet });
    try {
      const calendars = await calendarsOn(eventLog);
      await calendars.loadIfAbsent([china2026], "platform");
      const corrected = { ...china2026, makeUpWorkingDays: china2026.makeUpWorkingDays.slice(1) };
      expect((await calendars.load(corrected, commandCentre)).version).toBe(2);
      expect((await calendars.load(corrected, commandCentre)).version).toBe(2);
      await calendars.loadIfAbsent([china2026], "platform");
      const stored = await calendars.get(2026);
      expect(stored?.calendar.makeUpWorkingDays).toEqual(corrected.makeUpWorkingDays);
      expect((await calendars.list()).map((view) => view.calendar.year)).toEqual([2026]);
      await expect(
        calendars.load(
          {
            year: 2027,
            holidays: [{ name: "x", from: "2026-12-31", to: "2027-01-01" }],
            makeUpWorkingDays: [],
          },
          commandCentre,
        ),
      ).rejects.toThrow(InvalidArgumentError);
      expect(await calendars.get(2027)).toBeUndefined();
    } finally {
      await eventLog.close();
      await database.dropDatabase();
    }
  });
});
