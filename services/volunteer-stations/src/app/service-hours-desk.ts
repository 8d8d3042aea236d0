import {
  type Caller,
  FieldChecks,
  isCalendarDate,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import { isDuplicateKeyError } from "@civic/event-log";
import type { Collection } from "mongodb";
import { activityIdOfShift, findShift, mayOrganise } from "../domain/activity.js";
import { managesArea } from "../domain/authority.js";
import {
  decideApproveHours,
  decideCorrectHours,
  decideDeclineHours,
  decideRecordByOrganiser,
  decideRecordFromCheckOut,
  type ServiceHoursEvent,
  type ServiceHoursState,
  starLevelFor,
} from "../domain/service-hours.js";
import { type SignUpEvent, type SignUpState, signUpIdOf } from "../domain/signup.js";
import { decideRaiseStarLevel, type VolunteerEvent, type VolunteerState } from "../domain/volunteer.js";
import type { ActivityDesk } from "./activity-desk.js";

/**
 * One entry of a volunteer's service-hour ledger. Insert-only: an entry is never changed or
 * deleted; a correction is a reversing entry (negative minutes) and a new credit. Its id is
 * "<recordId>@<version of the hours event that caused it>", so posting the same event
 * twice (a redelivery) adds nothing.
 */
export interface LedgerEntry {
  _id: string;
  volunteerId: string;
  recordId: string;
  activityId: string;
  shiftId: string;
  kind: "credit" | "reversal";
  /** Positive for a credit, negative for a reversal. */
  minutes: number;
  /** The entry a reversal cancels; "" for a credit. */
  reverses: string;
  servedOn: string;
  postedAt: string;
}

export type ServiceHoursView = ServiceHoursState & { version: number };

export interface ServiceCertificate {
  volunteer: { volunteerId: string; name: string; areaId: string; verified: boolean; starLevel: number };
  from: string;
  to: string;
  issuer: string;
  issuedAt: string;
  issuedTo: string;
  totals: { entries: number; approvedMinutes: number; hours: number; activities: number };
  entries: LedgerEntry[];
}

/** Service hours: recorded from check-out, certified by the organising side, posted to the ledger. */
export class ServiceHoursDesk {
  constructor(
    private readonly records: AggregateRepository<ServiceHoursState, ServiceHoursEvent>,
    private readonly ledger: Collection<LedgerEntry>,
    private readonly signUps: AggregateRepository<SignUpState, SignUpEvent>,
    private readonly volunteers: AggregateRepository<VolunteerState, VolunteerEvent>,
    private readonly board: ActivityDesk,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async ensureIndexes(ledger: Collection<LedgerEntry>): Promise<void> {
    await ledger.createIndex({ volunteerId: 1, servedOn: 1 }, { name: "volunteer_served_on" });
  }

  /** From a `signup.checked_out` event; a redelivery finds the record there and changes nothing. */
  async recordFromCheckOut(checkedOut: {
    shiftId: string;
    volunteerId: string;
    servedMinutes: number;
    automatic: boolean;
    at: string;
  }): Promise<void> {
    const { activity, shift } = findShift(
      (await this.board.activities.load(activityIdOfShift(checkedOut.shiftId))).state,
      checkedOut.shiftId,
    );
    const recordId = signUpIdOf(checkedOut.shiftId, checkedOut.volunteerId);
    const ids = {
      recordId,
      volunteerId: checkedOut.volunteerId,
      activityId: activity.activityId,
      shiftId: checkedOut.shiftId,
    };
    await this.records.execute(recordId, (current) =>
      current.status === "none"
        ? decideRecordFromCheckOut(
            ids,
            activity,
            shift,
            checkedOut.servedMinutes,
            checkedOut.automatic,
            checkedOut.at,
          )
        : undefined,
    );
  }

  async record(
    shiftId: string,
    volunteerId: string,
    minutes: number,
    note: string,
    caller: Caller,
  ): Promise<ServiceHoursView> {
    const { activity, shift, managers } = await this.shiftOf(shiftId);
    const recordId = signUpIdOf(shiftId, volunteerId);
    const signUp = (await this.signUps.load(recordId)).state;
    const ids = { recordId, volunteerId, activityId: activity.activityId, shiftId };
    const { state, version } = await this.records.execute(recordId, (current) =>
      decideRecordByOrganiser(
        ids,
        current,
        activity,
        shift,
        signUp.status,
        minutes,
        note,
        caller,
        managers,
        this.now(),
      ),
    );
    return { ...state, version };
  }

  async approve(shiftId: string, volunteerId: string, caller: Caller): Promise<ServiceHoursView> {
    const { activity, managers } = await this.shiftOf(shiftId);
    const recordId = signUpIdOf(shiftId, volunteerId);
    const { state, version } = await this.records.execute(recordId, (current) =>
      decideApproveHours(current, recordId, activity, caller, managers, this.now()),
    );
    return { ...state, version };
  }

  async decline(
    shiftId: string,
    volunteerId: string,
    reason: string,
    caller: Caller,
  ): Promise<ServiceHoursView> {
    const { activity, managers } = await this.shiftOf(shiftId);
    const recordId = signUpIdOf(shiftId, volunteerId);
    const { state, version } = await this.records.execute(recordId, (current) =>
      decideDeclineHours(current, recordId, reason, activity, caller, managers, this.now()),
    );
    return { ...state, version };
  }

  async correct(
    shiftId: string,
    volunteerId: string,
    minutes: number,
    reason: string,
    caller: Caller,
  ): Promise<ServiceHoursView> {
    const { activity, shift, managers } = await this.shiftOf(shiftId);
    const recordId = signUpIdOf(shiftId, volunteerId);
    const { state, version } = await this.records.execute(recordId, (current) =>
      decideCorrectHours(current, recordId, minutes, reason, activity, shift, caller, managers, this.now()),
    );
    return { ...state, version };
  }

  /** The volunteer, or the organising side. */
  async get(shiftId: string, volunteerId: string, caller: Caller): Promise<ServiceHoursView> {
    const recordId = signUpIdOf(shiftId, volunteerId);
    const { state, version } = await this.records.load(recordId);
    if (state.status === "none") throw new NotFoundError("service hours", recordId);
    if (caller.subject !== volunteerId) {
      const { activity, managers } = await this.shiftOf(shiftId);
      if (!mayOrganise(activity, caller, managers))
        throw new PermissionDeniedError("service hours are read by the volunteer or the organising side");
    }
    return { ...state, version };
  }

  /**
   * Posts an `hours.approved` or `hours.corrected` event (version `version` of the record's
   * stream) to the ledger, then raises the volunteer's star level when the approved total
   * passed a threshold. Every step is idempotent: entry ids come from the event, and the
   * star decision compares with the level already reached.
   */
  async post(event: ServiceHoursEvent, version: number): Promise<void> {
    const { recordId, volunteerId, activityId, shiftId } = event.data;
    const postedAt = this.now().toISOString();
    const record = (await this.records.load(recordId)).state;
    const base = { volunteerId, recordId, activityId, shiftId, servedOn: record.servedOn, postedAt };
    if (event.type === "hours.approved") {
      await this.insertEntry({
        ...base,
        _id: `${recordId}@${version}`,
        kind: "credit",
        minutes: event.data.minutes,
        reverses: "",
      });
    } else if (event.type === "hours.corrected" && event.data.wasApproved) {
      const credits = await this.ledger.find({ recordId, kind: "credit" }).sort({ _id: 1 }).toArray();
      const reversed = new Set(
        (await this.ledger.find({ recordId, kind: "reversal" }).toArray()).map((entry) => entry.reverses),
      );
      const open = credits.filter((credit) => !reversed.has(credit._id)).at(-1);
      if (open)
        await this.insertEntry({
          ...base,
          _id: `${recordId}@${version}`,
          kind: "reversal",
          minutes: -open.minutes,
          reverses: open._id,
        });
    } else return;
    await this.raiseStarLevel(volunteerId);
  }

  /** Approved minutes of a volunteer: the sum of their ledger. */
  async approvedMinutes(volunteerId: string): Promise<number> {
    const entries = await this.ledger.find({ volunteerId }, { projection: { minutes: 1 } }).toArray();
    return entries.reduce((sum, entry) => sum + entry.minutes, 0);
  }

  /**
   * A certificate of service: the volunteer, the period, the ledger entries in it and their
   * totals, issued by this service. For the volunteer and staff of their area.
   */
  async certificate(
    volunteerId: string,
    from: string,
    to: string,
    caller: Caller,
  ): Promise<ServiceCertificate> {
    new FieldChecks()
      .check("from", isCalendarDate(from), "must be a date, YYYY-MM-DD")
      .check("to", isCalendarDate(to) && to >= from, "must be a date, YYYY-MM-DD, not before from")
      .throwIfAny();
    const volunteer = (await this.volunteers.load(volunteerId)).state;
    if (volunteer.status === "none") throw new NotFoundError("volunteer", volunteerId);
    if (caller.subject !== volunteerId && !managesArea(caller, volunteer.areaId))
      throw new PermissionDeniedError("a certificate is for the volunteer or staff of their area");
    const end = new Date(Date.parse(to) + 86_400_000).toISOString();
    const entries = (await this.ledger.find({ volunteerId }).toArray())
      .filter((entry) => entry.servedOn >= new Date(Date.parse(from)).toISOString() && entry.servedOn < end)
      .sort((a, b) => a.servedOn.localeCompare(b.servedOn) || a._id.localeCompare(b._id));
    const approvedMinutes = entries.reduce((sum, entry) => sum + entry.minutes, 0);
    return {
      volunteer: {
        volunteerId,
        name: volunteer.name,
        areaId: volunteer.areaId,
        verified: volunteer.verified,
        starLevel: volunteer.starLevel,
      },
      from,
      to,
      issuer: "civic/volunteer-stations",
      issuedAt: this.now().toISOString(),
      issuedTo: caller.subject,
      totals: {
        entries: entries.length,
        approvedMinutes,
        hours: Math.round((approvedMinutes / 60) * 100) / 100,
        activities: new Set(entries.filter((entry) => entry.minutes > 0).map((entry) => entry.activityId))
          .size,
      },
      entries,
    };
  }

  private async raiseStarLevel(volunteerId: string): Promise<void> {
    const approved = await this.approvedMinutes(volunteerId);
    await this.volunteers.execute(volunteerId, (current) =>
      decideRaiseStarLevel(current, starLevelFor(approved), approved, this.now()),
    );
  }

  private async insertEntry(entry: LedgerEntry): Promise<void> {
    try {
      await this.ledger.insertOne(entry);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private async shiftOf(shiftId: string) {
    const found = findShift((await this.board.activities.load(activityIdOfShift(shiftId))).state, shiftId);
    const managers = await this.board.stationManagersOf(found.activity.activityId);
    return { ...found, managers };
  }
}
