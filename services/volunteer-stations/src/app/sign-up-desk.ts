import {
  AlreadyExistsError,
  type Caller,
  ConflictError,
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import type { Logger } from "pino";
import {
  activityIdOfShift,
  findShift,
  mayOrganise,
  type PublishedActivity,
  requireOrganiser,
  requireShiftCode,
  type Shift,
} from "../domain/activity.js";
import { managesArea } from "../domain/authority.js";
import { StationFieldChecks } from "../domain/field-checks.js";
import {
  decideCancelSignUp,
  decideCheckIn,
  decideCheckOut,
  decideNoShow,
  decidePromote,
  decideSignUp,
  decideVoidSeatClaim,
  holdsSeat,
  type SignUpEvent,
  type SignUpState,
  signUpIdOf,
  volunteerIdOfSignUp,
} from "../domain/signup.js";
import type { ActivityDesk } from "./activity-desk.js";
import type { ShiftSeats } from "./shift-seats.js";

export type SignUpView = SignUpState & { version: number };

/** Anyone still checked in this long after checking in is checked out automatically (and flagged). */
export const autoCheckOutAfterMs = 24 * 60 * 60_000;

/**
 * A seat claim its sign-up does not hold this long after it was taken is abandoned: the
 * process that took it crashed before committing. Voiding a claim is safe at any age (see
 * decideVoidSeatClaim); waiting this long only spares sign-ups still in flight a retry.
 */
export const abandonedSeatClaimAfterMs = 2 * 60_000;

export interface ShiftRoster {
  shift: Shift;
  confirmed: number;
  waitlisted: number;
  signUps: SignUpView[];
}

/** Sign-up, waitlist, promotion, check-in and check-out, no-shows of shifts. */
export class SignUpDesk {
  constructor(
    private readonly signUps: AggregateRepository<SignUpState, SignUpEvent>,
    private readonly seats: ShiftSeats,
    private readonly board: ActivityDesk,
    private readonly volunteers: { find(volunteerId: string): Promise<{ areaId: string } | undefined> },
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A seat when one is free, the waitlist otherwise. A first sign-up of a volunteer for a
   * shift is a handful of operations keyed by id: the activity and the volunteer read by
   * id, a seat taken by inserting its key, the sign-up committed as a new stream (one
   * insert, which also refuses a second sign-up). Only a volunteer signing up again after
   * cancelling reads their sign-up's history.
   */
  async signUp(shiftId: string, volunteerId: string, caller: Caller): Promise<SignUpView> {
    new StationFieldChecks().personId("volunteerId", volunteerId).throwIfAny();
    const { activity, shift } = await this.openShift(shiftId);
    const volunteer = await this.volunteers.find(volunteerId);
    if (!volunteer) throw new NotFoundError("volunteer", volunteerId);
    if (
      caller.subject !== volunteerId &&
      !mayOrganise(activity, caller, []) &&
      !managesArea(caller, volunteer.areaId)
    )
      throw new PermissionDeniedError(
        "volunteers sign themselves up, or the organiser or their area's staff do",
      );
    const signUpId = signUpIdOf(shiftId, volunteerId);
    const ids = { activityId: activity.activityId, shiftId, volunteerId };
    const seatNo = await this.seats.claim(shiftId, shift.capacity, signUpId, 1);
    let signedUp: SignUpView;
    try {
      const { state, version } = await this.signUps.create(signUpId, (initial) =>
        decideSignUp(ids, initial, seatNo, 1, caller, this.now()),
      );
      signedUp = { ...state, version };
    } catch (error) {
      if (seatNo !== undefined) await this.seats.release(shiftId, seatNo, signUpId, 1);
      if (!(error instanceof AlreadyExistsError)) throw error;
      signedUp = await this.signUpAgain(ids, signUpId, shift, caller);
    }
    if (signedUp.status === "waitlisted") await this.promoteIfSeatsFreed(shiftId, shift.capacity);
    return signedUp;
  }

  /** A volunteer who signed up for this shift before (and cancelled) signs up again. */
  private async signUpAgain(
    ids: { activityId: string; shiftId: string; volunteerId: string },
    signUpId: string,
    shift: Shift,
    caller: Caller,
  ): Promise<SignUpView> {
    const loaded = await this.signUps.load(signUpId);
    const round = loaded.state.round + 1;
    // Refuse a second sign-up before taking a seat for it.
    decideSignUp(ids, loaded.state, undefined, round, caller, this.now());
    const seatNo = await this.seats.claim(ids.shiftId, shift.capacity, signUpId, round);
    try {
      const { state, version } = await this.signUps.execute(
        signUpId,
        (current) => decideSignUp(ids, current, seatNo, round, caller, this.now()),
        loaded.version,
      );
      return { ...state, version };
    } catch (error) {
      // A concurrent sign-up of the same volunteer won: give back the seat this one took.
      if (seatNo !== undefined) await this.seats.release(ids.shiftId, seatNo, signUpId, round);
      throw error;
    }
  }

  /**
   * Someone was just put on the waitlist because every seat looked taken. A seat released
   * meanwhile on another replica would otherwise stay empty: look again (one look shared by
   * every sign-up waiting for one) and promote when a seat is free.
   */
  private async promoteIfSeatsFreed(shiftId: string, capacity: number): Promise<void> {
    if (await this.seats.freeSeatsAfter(shiftId, capacity, Date.now())) await this.promoteWaiting(shiftId);
  }

  /** Cancelling a confirmed place gives its seat to the first on the waitlist. */
  async cancel(shiftId: string, volunteerId: string, caller: Caller): Promise<SignUpView> {
    const signUpId = signUpIdOf(shiftId, volunteerId);
    if (caller.subject !== volunteerId) {
      const { activity } = findShift(
        (await this.board.activities.load(activityIdOfShift(shiftId))).state,
        shiftId,
      );
      requireOrganiser(activity, caller, await this.board.stationManagersOf(activity.activityId));
    }
    const { state, version, event } = await this.signUps.execute(signUpId, (current) =>
      decideCancelSignUp(current, signUpId, caller, this.now()),
    );
    const released = event?.data.releasedSeatNo as number | undefined;
    if (released) {
      await this.seats.release(shiftId, released, signUpId, state.round);
      await this.promoteWaiting(shiftId);
    }
    return { ...state, version };
  }

  /** Gives free seats to the longest waiting; safe to run at any time, by any number of callers. */
  async promoteWaiting(shiftId: string): Promise<number> {
    const { shift } = findShift(
      (await this.board.activities.load(activityIdOfShift(shiftId))).state,
      shiftId,
    );
    let promoted = 0;
    for (;;) {
      const waiting = await this.signUps.snapshots
        .find({ "state.shiftId": shiftId, "state.status": "waitlisted" })
        .sort({ "state.waitlistedAt": 1, _id: 1 })
        .limit(10)
        .toArray();
      if (waiting.length === 0) return promoted;
      let progressed = false;
      for (const candidate of waiting) {
        const seatNo = await this.seats.claim(shiftId, shift.capacity, candidate._id, candidate.state.round);
        if (seatNo === undefined) return promoted;
        // Decided on the version read before the claim, so a voided claim cannot promote.
        const event = await this.signUps
          .execute(candidate._id, (current) => decidePromote(current, seatNo, this.now()), candidate.version)
          .then(
            (executed) => executed.event,
            (error: unknown) => {
              if (error instanceof ConflictError) return undefined;
              throw error;
            },
          );
        if (event) {
          promoted++;
          progressed = true;
        } else await this.seats.release(shiftId, seatNo, candidate._id, candidate.state.round);
      }
      if (!progressed) {
        this.logger.warn({ shiftId }, "waitlist snapshots lag their streams; promotion stops for now");
        return promoted;
      }
    }
  }

  /**
   * Gives the seats of abandoned claims back to shifts that have people waiting and have not
   * started, and promotes the waiting; answers how many seats came back. Safe to run at any
   * time, by several replicas.
   */
  async reclaimSeatsForWaitlists(): Promise<number> {
    const waiting = await this.signUps.snapshots
      .find(
        { "state.status": "waitlisted" },
        {
          projection: { "state.shiftId": 1 },
        },
      )
      .toArray();
    let reclaimed = 0;
    for (const shiftId of new Set(waiting.map((snapshot) => snapshot.state.shiftId))) {
      const { shift } = findShift(
        (await this.board.activities.load(activityIdOfShift(shiftId))).state,
        shiftId,
      );
      if (Date.parse(shift.startsAt) <= this.now().getTime()) continue;
      const freed = await this.reclaimAbandonedSeats(shiftId);
      if (freed > 0) {
        reclaimed += freed;
        await this.promoteWaiting(shiftId);
      }
    }
    return reclaimed;
  }

  /** Voids the shift's abandoned seat claims and frees their seats; answers how many. */
  async reclaimAbandonedSeats(shiftId: string): Promise<number> {
    const claims = await this.seats.claimsTakenBefore(
      shiftId,
      new Date(this.now().getTime() - abandonedSeatClaimAfterMs),
    );
    if (claims.length === 0) return 0;
    const holders = await this.signUps.snapshots
      .find({ _id: { $in: claims.map((claim) => claim.signUpId) } })
      .toArray();
    const stateOf = new Map(holders.map((holder) => [holder._id, holder.state]));
    let reclaimed = 0;
    for (const claim of claims) {
      const known = stateOf.get(claim.signUpId);
      if (known && holdsSeat(known, claim)) continue;
      const ids = {
        activityId: activityIdOfShift(shiftId),
        shiftId,
        volunteerId: volunteerIdOfSignUp(shiftId, claim.signUpId),
      };
      const { state } = await this.signUps.execute(claim.signUpId, (current) =>
        decideVoidSeatClaim(current, ids, claim, this.now()),
      );
      if (holdsSeat(state, claim)) continue;
      await this.seats.release(shiftId, claim.seatNo, claim.signUpId, claim.round);
      this.logger.warn(
        { shiftId, seatNo: claim.seatNo, signUpId: claim.signUpId },
        "an abandoned seat claim was voided and its seat freed",
      );
      reclaimed++;
    }
    return reclaimed;
  }

  async checkIn(shiftId: string, volunteerId: string, code: string, caller: Caller): Promise<SignUpView> {
    const { activity, shift } = await this.shiftForAttendance(shiftId, volunteerId, caller);
    requireShiftCode(activity, shiftId, "check_in", code);
    const signUpId = signUpIdOf(shiftId, volunteerId);
    const { state, version } = await this.signUps.execute(signUpId, (current) =>
      decideCheckIn(current, shift, this.now()),
    );
    return { ...state, version };
  }

  async checkOut(shiftId: string, volunteerId: string, code: string, caller: Caller): Promise<SignUpView> {
    const { activity, shift } = await this.shiftForAttendance(shiftId, volunteerId, caller);
    requireShiftCode(activity, shiftId, "check_out", code);
    const signUpId = signUpIdOf(shiftId, volunteerId);
    const { state, version } = await this.signUps.execute(signUpId, (current) =>
      decideCheckOut(current, shift, this.now(), false),
    );
    return { ...state, version };
  }

  /** Marks every confirmed volunteer who has not checked in; answers how many. */
  async markNoShows(shiftId: string, caller: Caller): Promise<number> {
    const { activity, shift } = findShift(
      (await this.board.activities.load(activityIdOfShift(shiftId))).state,
      shiftId,
    );
    requireOrganiser(activity, caller, await this.board.stationManagersOf(activity.activityId));
    if (this.now().getTime() < Date.parse(shift.startsAt))
      throw new FailedPreconditionError(
        "no-shows are marked once the shift has started",
        "SHIFT_NOT_STARTED",
      );
    const confirmed = await this.signUps.snapshots
      .find({ "state.shiftId": shiftId, "state.status": "confirmed" })
      .toArray();
    let marked = 0;
    for (const snapshot of confirmed) {
      const { event } = await this.signUps.execute(snapshot._id, (current) =>
        decideNoShow(current, shift, caller, this.now()),
      );
      if (event) marked++;
    }
    return marked;
  }

  /**
   * Checks out, automatically and flagged, everyone checked in at least 24 hours ago; answers
   * how many. Run by the AutoCheckOutWatcher; safe to run at any time, by several replicas.
   */
  async autoCheckOut(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - autoCheckOutAfterMs).toISOString();
    const overdue = await this.signUps.snapshots
      .find({ "state.status": "checked_in", "state.checkedInAt": { $lte: cutoff } })
      .toArray();
    let checkedOut = 0;
    for (const snapshot of overdue) {
      const { shift } = findShift(
        (await this.board.activities.load(activityIdOfShift(snapshot.state.shiftId))).state,
        snapshot.state.shiftId,
      );
      const { event } = await this.signUps.execute(snapshot._id, (current) =>
        current.status === "checked_in" && Date.parse(current.checkedInAt) <= Date.parse(cutoff)
          ? decideCheckOut(current, shift, this.now(), true)
          : undefined,
      );
      if (event) checkedOut++;
    }
    return checkedOut;
  }

  async roster(shiftId: string, caller: Caller): Promise<ShiftRoster> {
    const { activity, shift } = findShift(
      (await this.board.activities.load(activityIdOfShift(shiftId))).state,
      shiftId,
    );
    requireOrganiser(activity, caller, await this.board.stationManagersOf(activity.activityId));
    const snapshots = await this.signUps.snapshots
      .find({ "state.shiftId": shiftId })
      .sort({ _id: 1 })
      .toArray();
    const signUps = snapshots.map((snapshot) => ({ ...snapshot.state, version: snapshot.version }));
    return {
      shift,
      confirmed: signUps.filter((signUp) =>
        ["confirmed", "checked_in", "checked_out"].includes(signUp.status),
      ).length,
      waitlisted: signUps.filter((signUp) => signUp.status === "waitlisted").length,
      signUps,
    };
  }

  async get(shiftId: string, volunteerId: string, caller: Caller): Promise<SignUpView> {
    const signUpId = signUpIdOf(shiftId, volunteerId);
    const { state, version } = await this.signUps.load(signUpId);
    if (state.status === "none") throw new NotFoundError("sign-up", signUpId);
    if (caller.subject !== volunteerId) {
      const { activity } = findShift((await this.board.activities.load(state.activityId)).state, shiftId);
      requireOrganiser(activity, caller, await this.board.stationManagersOf(activity.activityId));
    }
    return { ...state, version };
  }

  private async openShift(shiftId: string): Promise<{ activity: PublishedActivity; shift: Shift }> {
    const found = findShift(await this.board.current(activityIdOfShift(shiftId)), shiftId);
    if (found.activity.status !== "published")
      throw new FailedPreconditionError(
        `activity ${found.activity.activityId} is ${found.activity.status}`,
        "ACTIVITY_CLOSED",
      );
    if (Date.parse(found.shift.startsAt) <= this.now().getTime())
      throw new FailedPreconditionError(`shift ${shiftId} has started`, "SHIFT_STARTED");
    return found;
  }

  /** The volunteer checks in or out themselves (with the code shown on site), or the organiser does. */
  private async shiftForAttendance(shiftId: string, volunteerId: string, caller: Caller) {
    new StationFieldChecks().personId("volunteerId", volunteerId).throwIfAny();
    const found = findShift((await this.board.activities.load(activityIdOfShift(shiftId))).state, shiftId);
    if (caller.subject !== volunteerId)
      requireOrganiser(found.activity, caller, await this.board.stationManagersOf(found.activity.activityId));
    return found;
  }
}
