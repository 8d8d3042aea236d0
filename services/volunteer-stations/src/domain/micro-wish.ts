import {
  type Caller,
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import { managesArea } from "./authority.js";
import { StationFieldChecks } from "./field-checks.js";

/**
 * A micro-wish (民生微心愿): a resident's small wish, claimed by one volunteer, party member
 * or enterprise, fulfilled with proof, and confirmed by the resident. Who holds a wish is
 * decided by a unique-key insert (the claim document), not by this stream.
 */
export type MicroWishStatus = "none" | "posted" | "claimed" | "fulfilled" | "confirmed" | "withdrawn";

export const claimerKinds = ["volunteer", "party_member", "enterprise"] as const;
export type ClaimerKind = (typeof claimerKinds)[number];

export interface MicroWishState {
  status: MicroWishStatus;
  wishId: string;
  areaId: string;
  residentId: string;
  title: string;
  description: string;
  /** Integer fen (1 yuan = 100 fen), at most the configured cap. */
  valueFen: number;
  postedAt: string;
  claimerId: string;
  claimerKind: string;
  claimedAt: string;
  proof: string;
  fulfilledAt: string;
  confirmedAt: string;
}

export type MicroWishEvent =
  | {
      type: "wish.posted";
      data: Pick<
        MicroWishState,
        "wishId" | "areaId" | "residentId" | "title" | "description" | "valueFen"
      > & {
        by: string;
        at: string;
      };
    }
  | {
      type: "wish.claimed";
      data: { wishId: string; areaId: string; claimerId: string; claimerKind: string; at: string };
    }
  | {
      type: "wish.fulfilled";
      data: { wishId: string; areaId: string; claimerId: string; proof: string; at: string };
    }
  | { type: "wish.confirmed"; data: { wishId: string; areaId: string; residentId: string; at: string } };

export const initialMicroWishState = (): MicroWishState => ({
  status: "none",
  wishId: "",
  areaId: "",
  residentId: "",
  title: "",
  description: "",
  valueFen: 0,
  postedAt: "",
  claimerId: "",
  claimerKind: "",
  claimedAt: "",
  proof: "",
  fulfilledAt: "",
  confirmedAt: "",
});

export function evolveMicroWish(state: MicroWishState, event: MicroWishEvent): MicroWishState {
  switch (event.type) {
    case "wish.posted": {
      const { by: _by, at, ...wish } = event.data;
      return { ...initialMicroWishState(), ...wish, status: "posted", postedAt: at };
    }
    case "wish.claimed":
      return {
        ...state,
        status: "claimed",
        claimerId: event.data.claimerId,
        claimerKind: event.data.claimerKind,
        claimedAt: event.data.at,
      };
    case "wish.fulfilled":
      return { ...state, status: "fulfilled", proof: event.data.proof, fulfilledAt: event.data.at };
    case "wish.confirmed":
      return { ...state, status: "confirmed", confirmedAt: event.data.at };
  }
}

export interface PostWish {
  wishId: string;
  areaId: string;
  residentId: string;
  title: string;
  description: string;
  valueFen: number;
}

/** A resident posts for themselves, or staff of the area post for them. */
export function decidePostWish(
  command: PostWish,
  maxValueFen: number,
  caller: Caller,
  now: Date,
): MicroWishEvent {
  new StationFieldChecks()
    .personId("residentId", command.residentId)
    .areaCode("areaId", command.areaId)
    .text("title", command.title, { max: 100 })
    .text("description", command.description, { max: 1_000, optional: true })
    .check(
      "valueFen",
      Number.isInteger(command.valueFen) && command.valueFen >= 1 && command.valueFen <= maxValueFen,
      `must be a whole number of fen from 1 to ${maxValueFen}`,
    )
    .throwIfAny();
  if (caller.subject !== command.residentId && !managesArea(caller, command.areaId))
    throw new PermissionDeniedError("residents post their own wishes, or staff of their area post them");
  return {
    type: "wish.posted",
    data: {
      ...command,
      title: command.title.trim(),
      description: command.description.trim(),
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

/** The role a claimer of each kind must hold. */
export function requireClaimerRole(kind: string, caller: Caller): ClaimerKind {
  new StationFieldChecks().oneOf("claimerKind", kind, claimerKinds).throwIfAny();
  if (!caller.roles.includes(kind))
    throw new PermissionDeniedError(`claiming as ${kind} needs the ${kind} role`);
  return kind as ClaimerKind;
}

export function decideClaimWish(
  state: MicroWishState,
  wishId: string,
  kind: ClaimerKind,
  caller: Caller,
  now: Date,
): MicroWishEvent | undefined {
  if (state.status === "none") throw new NotFoundError("micro-wish", wishId);
  if (state.status !== "posted") {
    if (state.claimerId === caller.subject) return undefined;
    throw new FailedPreconditionError(`micro-wish ${wishId} is already claimed`, "WISH_CLAIMED");
  }
  if (state.residentId === caller.subject)
    throw new PermissionDeniedError("a resident does not claim their own wish");
  return {
    type: "wish.claimed",
    data: {
      wishId,
      areaId: state.areaId,
      claimerId: caller.subject,
      claimerKind: kind,
      at: now.toISOString(),
    },
  };
}

export function decideFulfilWish(
  state: MicroWishState,
  wishId: string,
  proof: string,
  caller: Caller,
  now: Date,
): MicroWishEvent | undefined {
  new StationFieldChecks().text("proof", proof, { max: 1_000 }).throwIfAny();
  if (state.status === "none") throw new NotFoundError("micro-wish", wishId);
  if (state.claimerId !== caller.subject)
    throw new PermissionDeniedError("only whoever claimed the wish fulfils it");
  if (state.status === "fulfilled" || state.status === "confirmed") return undefined;
  if (state.status !== "claimed")
    throw new FailedPreconditionError(`a ${state.status} wish cannot be fulfilled`, "WISH_NOT_CLAIMED");
  return {
    type: "wish.fulfilled",
    data: {
      wishId,
      areaId: state.areaId,
      claimerId: caller.subject,
      proof: proof.trim(),
      at: now.toISOString(),
    },
  };
}

export function decideConfirmWish(
  state: MicroWishState,
  wishId: string,
  caller: Caller,
  now: Date,
): MicroWishEvent | undefined {
  if (state.status === "none") throw new NotFoundError("micro-wish", wishId);
  if (state.residentId !== caller.subject)
    throw new PermissionDeniedError("only the resident who made the wish confirms it");
  if (state.status === "confirmed") return undefined;
  if (state.status !== "fulfilled")
    throw new FailedPreconditionError("a wish is confirmed once it is fulfilled", "WISH_NOT_FULFILLED");
  return {
    type: "wish.confirmed",
    data: { wishId, areaId: state.areaId, residentId: state.residentId, at: now.toISOString() },
  };
}
