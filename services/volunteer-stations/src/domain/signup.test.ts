import type { Caller } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  decideSignUp,
  decideVoidSeatClaim,
  evolveSignUp,
  initialSignUpState,
  type SignUpState,
} from "./signup.js";

const ids = { activityId: "act-1", shiftId: "act-1-s1", volunteerId: "vol-1" };
const caller: Caller = { subject: "vol-1", roles: ["volunteer"], areas: [] };
const at = new Date("2026-11-23T08:00:00Z");

describe("voiding a seat claim", () => {
  it("leaves a claim the sign-up holds alone", () => {
    const confirmed = evolveSignUp(
      initialSignUpState(),
      decideSignUp(ids, initialSignUpState(), 3, 1, caller, at),
    );
    expect(decideVoidSeatClaim(confirmed, ids, { seatNo: 3, round: 1 }, at)).toBeUndefined();
  });

  it("voids a claim of a sign-up never committed; signing up again takes the next round", () => {
    const voided = decideVoidSeatClaim(initialSignUpState(), ids, { seatNo: 3, round: 1 }, at);
    expect(voided).toMatchObject({ type: "signup.seat_claim_voided", data: { seatNo: 3, round: 1 } });
    const state = evolveSignUp(initialSignUpState(), voided as NonNullable<typeof voided>);
    expect(state).toMatchObject({ status: "none", round: 1, seatNo: 0 });
    expect(decideSignUp(ids, state, 4, state.round + 1, caller, at)).toMatchObject({
      type: "signup.confirmed",
      data: { seatNo: 4, round: 2 },
    });
  });

  it("voids a claim taken for a promotion that never committed, keeping the sign-up waiting", () => {
    const waiting: SignUpState = evolveSignUp(
      initialSignUpState(),
      decideSignUp(ids, initialSignUpState(), undefined, 2, caller, at),
    );
    const voided = decideVoidSeatClaim(waiting, ids, { seatNo: 1, round: 2 }, at);
    const state = evolveSignUp(waiting, voided as NonNullable<typeof voided>);
    expect(state).toMatchObject({ status: "waitlisted", round: 2, seatNo: 0 });
  });

  it("voids a leftover claim of an earlier round even while the sign-up holds another seat", () => {
    const confirmed = evolveSignUp(
      initialSignUpState(),
      decideSignUp(ids, initialSignUpState(), 5, 2, caller, at),
    );
    expect(decideVoidSeatClaim(confirmed, ids, { seatNo: 2, round: 1 }, at)?.type).toBe(
      "signup.seat_claim_voided",
    );
    expect(decideVoidSeatClaim(confirmed, ids, { seatNo: 5, round: 1 }, at)?.type).toBe(
      "signup.seat_claim_voided",
    );
  });
});
