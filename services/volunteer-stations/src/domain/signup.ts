import { type Caller, FailedPreconditionError, NotFoundError } from "@civic/domain-kit";

/**
 * One volunteer's place on one shift. The seat itself is a document with a deterministic
 * id (shift, seat number): the unique key, not this stream, is what keeps a shift from
 * being over-booked.
 */
export type SignUpStatus =
  | "none"
  | "confirmed"
  | "waitlisted"
  | "cancelled"
  | "checked_in"
  | "checked_out"
  | "no_show";

export interface SignUpState {
  status: SignUpStatus;
  signUpId: string;
  activityId: string;
  shiftId: string;
  volunteerId: string;
  /** 0 unless holding a seat. */
  seatNo: number;
  /** How many times this volunteer signed up for this shift (a seat claim names the round). */
  round: number;
  waitlistedAt: string;
  checkedInAt: string;
  checkedOutAt: string;
  servedMinutes: number;
  /** Checked out by the 24-hour rule rather than by the volunteer. */
  autoCheckedOut: boolean;
}

interface Ids {
  activityId: string;
  shiftId: string;
  volunteerId: string;
}

export type SignUpEvent =
  | { type: "signup.confirmed"; data: Ids & { seatNo: number; round: number; by: string; at: string } }
  | { type: "signup.waitlisted"; data: Ids & { round: number; by: string; at: string } }
  | { type: "signup.promoted"; data: Ids & { seatNo: number; at: string } }
  | { type: "signup.cancelled"; data: Ids & { releasedSeatNo: number; by: string; at: string } }
  | { type: "signup.checked_in"; data: Ids & { at: string } }
  | {
      type: "signup.checked_out";
      data: Ids & { checkedInAt: string; servedMinutes: number; automatic: boolean; at: string };
    }
  | { type: "signup.marked_no_show"; data: Ids & { by: string; at: string } }
  | { type: "signup.seat_claim_voided"; data: Ids & { seatNo: number; round: number; at: string } };

/** A seat claim names the sign-up and the round it was taken for. */
export interface SeatClaimRef {
  seatNo: number;
  round: number;
}

/** Sign-ups that hold (or wait for) a place. */
export const activeSignUpStatuses: SignUpStatus[] = ["confirmed", "waitlisted", "checked_in", "checked_out"];

export const signUpIdOf = (shiftId: string, volunteerId: string) => `${shiftId}~${volunteerId}`;
export const volunteerIdOfSignUp = (shiftId: string, signUpId: string) =>
  signUpId.slice(`${shiftId}~`.length);

export const initialSignUpState = (): SignUpState => ({
  status: "none",
  signUpId: "",
  activityId: "",
  shiftId: "",
  volunteerId: "",
  seatNo: 0,
  round: 0,
  waitlistedAt: "",
  checkedInAt: "",
  checkedOutAt: "",
  servedMinutes: 0,
  autoCheckedOut: false,
});

export function evolveSignUp(state: SignUpState, event: SignUpEvent): SignUpState {
  const ids = {
    activityId: event.data.activityId,
    shiftId: event.data.shiftId,
    volunteerId: event.data.volunteerId,
    signUpId: signUpIdOf(event.data.shiftId, event.data.volunteerId),
  };
  switch (event.type) {
    case "signup.confirmed":
      return {
        ...initialSignUpState(),
        ...ids,
        status: "confirmed",
        seatNo: event.data.seatNo,
        round: event.data.round,
      };
    case "signup.waitlisted":
      return {
        ...initialSignUpState(),
        ...ids,
        status: "waitlisted",
        round: event.data.round,
        waitlistedAt: event.data.at,
      };
    case "signup.promoted":
      return { ...state, status: "confirmed", seatNo: event.data.seatNo };
    case "signup.cancelled":
      return { ...state, status: "cancelled", seatNo: 0 };
    case "signup.checked_in":
      return { ...state, status: "checked_in", checkedInAt: event.data.at };
    case "signup.checked_out":
      return {
        ...state,
        status: "checked_out",
        checkedOutAt: event.data.at,
        servedMinutes: event.data.servedMinutes,
        autoCheckedOut: event.data.automatic,
      };
    case "signup.marked_no_show":
      return { ...state, status: "no_show" };
    case "signup.seat_claim_voided":
      // A later sign-up of this volunteer takes a new round, so it never relies on the void claim.
      return { ...state, ...ids, round: Math.max(state.round, event.data.round) };
  }
}

const idsOf = (state: SignUpState): Ids => ({
  activityId: state.activityId,
  shiftId: state.shiftId,
  volunteerId: state.volunteerId,
});

/** A seat when one was claimed, the waitlist otherwise. */
export function decideSignUp(
  ids: Ids,
  state: SignUpState,
  seatNo: number | undefined,
  round: number,
  caller: Caller,
  now: Date,
): SignUpEvent {
  if (activeSignUpStatuses.includes(state.status))
    throw new FailedPreconditionError(
      `volunteer ${ids.volunteerId} is already signed up for shift ${ids.shiftId}`,
      "ALREADY_SIGNED_UP",
    );
  const common = { ...ids, round, by: caller.subject, at: now.toISOString() };
  return seatNo === undefined
    ? { type: "signup.waitlisted", data: common }
    : { type: "signup.confirmed", data: { ...common, seatNo } };
}

export function decideCancelSignUp(
  state: SignUpState,
  signUpId: string,
  caller: Caller,
  now: Date,
): SignUpEvent {
  if (state.status === "none") throw new NotFoundError("sign-up", signUpId);
  if (state.status !== "confirmed" && state.status !== "waitlisted")
    throw new FailedPreconditionError(`a ${state.status} sign-up cannot be cancelled`, "NOT_CANCELLABLE");
  return {
    type: "signup.cancelled",
    data: { ...idsOf(state), releasedSeatNo: state.seatNo, by: caller.subject, at: now.toISOString() },
  };
}

/** Undefined when the sign-up stopped waiting meanwhile (cancelled): the seat goes to the next. */
export function decidePromote(state: SignUpState, seatNo: number, now: Date): SignUpEvent | undefined {
  if (state.status !== "waitlisted") return undefined;
  return { type: "signup.promoted", data: { ...idsOf(state), seatNo, at: now.toISOString() } };
}

export const holdsSeat = (state: SignUpState, claim: SeatClaimRef) =>
  state.seatNo === claim.seatNo && state.round === claim.round;

/**
 * Voids a seat claim the sign-up does not hold, so the seat can be given to someone else.
 * Every commit that relies on a claim was decided on a version read before the claim was
 * taken; this event takes the stream's next version, so such a commit, however late, loses
 * its version race (a unique key) instead of seating a second person on the seat.
 */
export function decideVoidSeatClaim(
  state: SignUpState,
  ids: Ids,
  claim: SeatClaimRef,
  now: Date,
): SignUpEvent | undefined {
  if (holdsSeat(state, claim)) return undefined;
  return {
    type: "signup.seat_claim_voided",
    data: { ...ids, seatNo: claim.seatNo, round: claim.round, at: now.toISOString() },
  };
}

/** Check-in opens an hour before the shift starts and closes when it ends. */
export function decideCheckIn(
  state: SignUpState,
  shift: { startsAt: string; endsAt: string },
  now: Date,
): SignUpEvent {
  if (state.status !== "confirmed")
    throw new FailedPreconditionError(
      state.status === "checked_in" || state.status === "checked_out"
        ? "already checked in"
        : "checking in needs a confirmed sign-up for this shift",
      state.status === "checked_in" || state.status === "checked_out"
        ? "ALREADY_CHECKED_IN"
        : "NOT_SIGNED_UP",
    );
  const opens = Date.parse(shift.startsAt) - 60 * 60_000;
  if (now.getTime() < opens || now.getTime() > Date.parse(shift.endsAt))
    throw new FailedPreconditionError(
      "check-in is open from an hour before the shift until it ends",
      "CHECK_IN_CLOSED",
    );
  return { type: "signup.checked_in", data: { ...idsOf(state), at: now.toISOString() } };
}

/** Served time counts within the shift only: early arrivals and late leavers are not credited more. */
export function servedMinutes(
  checkedInAt: string,
  checkedOutAt: Date,
  shift: { startsAt: string; endsAt: string },
): number {
  const from = Math.max(Date.parse(checkedInAt), Date.parse(shift.startsAt));
  const to = Math.min(checkedOutAt.getTime(), Date.parse(shift.endsAt));
  return Math.max(0, Math.floor((to - from) / 60_000));
}

export function decideCheckOut(
  state: SignUpState,
  shift: { startsAt: string; endsAt: string },
  now: Date,
  automatic: boolean,
): SignUpEvent {
  if (state.status !== "checked_in")
    throw new FailedPreconditionError(
      state.status === "checked_out" ? "already checked out" : "checking out needs a check-in first",
      state.status === "checked_out" ? "ALREADY_CHECKED_OUT" : "NOT_CHECKED_IN",
    );
  return {
    type: "signup.checked_out",
    data: {
      ...idsOf(state),
      checkedInAt: state.checkedInAt,
      servedMinutes: servedMinutes(state.checkedInAt, now, shift),
      automatic,
      at: now.toISOString(),
    },
  };
}

/** Confirmed volunteers who never checked in, once the shift has started. */
export function decideNoShow(
  state: SignUpState,
  shift: { startsAt: string },
  caller: Caller,
  now: Date,
): SignUpEvent | undefined {
  if (state.status !== "confirmed") return undefined;
  if (now.getTime() < Date.parse(shift.startsAt))
    throw new FailedPreconditionError("no-shows are marked once the shift has started", "SHIFT_NOT_STARTED");
  return {
    type: "signup.marked_no_show",
    data: { ...idsOf(state), by: caller.subject, at: now.toISOString() },
  };
}
