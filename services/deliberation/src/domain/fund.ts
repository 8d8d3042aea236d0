import { AreaCode, FailedPreconditionError, FieldChecks, NotFoundError } from "@civic/domain-kit";

/**
 * A happiness fund (幸福资金) or a compound's public fund: a ledger in integer fen. The
 * balance is what may still be allocated; each allocation waits for its disbursements.
 * Every decision is one event on the fund's stream, so two allocations racing for the
 * last yuan commit one after the other and the second sees the lower balance.
 */
export const fundKinds = ["community_happiness_fund", "compound_public_fund", "other"] as const;
export type FundKind = (typeof fundKinds)[number];

/** 10 million yuan: more than any single movement of a neighbourhood fund. */
export const maxMovementFen = 1_000_000_000;

export interface LedgerEntry {
  entryId: string;
  kind: "credit" | "allocation" | "disbursement" | "reversal";
  amountFen: number;
  /** Credit: where the money came from; allocation: the purpose; reversal: why. */
  note: string;
  /** Allocation: the adopted resolution (vote) it rests on; disbursement/reversal: the entry it settles. */
  reference: string;
  /** Co-funded allocations of one project share a project id. */
  projectId: string;
  by: string;
  at: string;
}

export interface FundOpenedData {
  fundId: string;
  areaId: string;
  name: string;
  kind: FundKind;
  openedBy: string;
  openedAt: string;
}

/**
 * What a movement event names besides its entry: the fund, and the fund's area and kind, so
 * that followers (the scorecard) can count it without the fund's first event. Events stored
 * before these were added lack `areaId` and `fundKind`.
 */
export interface MovementOf {
  fundId: string;
  areaId?: string;
  fundKind?: FundKind;
}

export type FundEvent =
  | { type: "fund.opened"; data: FundOpenedData }
  | { type: "fund.credited"; data: LedgerEntry & MovementOf }
  | { type: "fund.allocated"; data: LedgerEntry & MovementOf }
  | { type: "fund.disbursed"; data: LedgerEntry & MovementOf }
  | { type: "fund.reversed"; data: LedgerEntry & MovementOf };

const movementOf = (fund: Fund): Required<MovementOf> => ({
  fundId: fund.fundId,
  areaId: fund.areaId,
  fundKind: fund.kind,
});

export interface Allocation {
  entryId: string;
  amountFen: number;
  disbursedFen: number;
  reversed: boolean;
  reference: string;
  projectId: string;
}

export type FundState =
  | { status: "none" }
  | (FundOpenedData & {
      status: "open";
      balanceFen: number;
      creditedFen: number;
      allocatedFen: number;
      disbursedFen: number;
      /** What each allocation has left; the ledger itself is the fund's events, read a page at a time. */
      allocations: Allocation[];
    });
export type Fund = Exclude<FundState, { status: "none" }>;

export const initialFundState = (): FundState => ({ status: "none" });

export function evolveFund(state: FundState, event: FundEvent): FundState {
  if (event.type === "fund.opened") {
    return {
      ...event.data,
      status: "open",
      balanceFen: 0,
      creditedFen: 0,
      allocatedFen: 0,
      disbursedFen: 0,
      allocations: [],
    };
  }
  if (state.status === "none") return state;
  const entry = event.data;
  switch (event.type) {
    case "fund.credited":
      return {
        ...state,
        balanceFen: state.balanceFen + entry.amountFen,
        creditedFen: state.creditedFen + entry.amountFen,
      };
    case "fund.allocated":
      return {
        ...state,
        balanceFen: state.balanceFen - entry.amountFen,
        allocatedFen: state.allocatedFen + entry.amountFen,
        allocations: [
          ...state.allocations,
          {
            entryId: entry.entryId,
            amountFen: entry.amountFen,
            disbursedFen: 0,
            reversed: false,
            reference: entry.reference,
            projectId: entry.projectId,
          },
        ],
      };
    case "fund.disbursed":
      return {
        ...state,
        disbursedFen: state.disbursedFen + entry.amountFen,
        allocations: state.allocations.map((allocation) =>
          allocation.entryId === entry.reference
            ? { ...allocation, disbursedFen: allocation.disbursedFen + entry.amountFen }
            : allocation,
        ),
      };
    case "fund.reversed":
      return {
        ...state,
        balanceFen: state.balanceFen + entry.amountFen,
        allocatedFen: state.allocatedFen - entry.amountFen,
        allocations: state.allocations.map((allocation) =>
          allocation.entryId === entry.reference ? { ...allocation, reversed: true } : allocation,
        ),
      };
  }
}

export function requireFund(state: FundState, fundId: string): Fund {
  if (state.status === "none") throw new NotFoundError("fund", fundId);
  return state;
}

export function decideOpenFund(command: {
  fundId: string;
  areaId: string;
  name: string;
  kind: string;
  by: string;
  at: Date;
}): FundEvent {
  new FieldChecks()
    .check("areaId", AreaCode.isPrefix(command.areaId.trim()), "must be an area code (2 to 18 digits)")
    .requiredText("name", command.name, 100)
    .oneOf("kind", command.kind, fundKinds)
    .throwIfAny();
  return {
    type: "fund.opened",
    data: {
      fundId: command.fundId,
      areaId: command.areaId.trim(),
      name: command.name.trim(),
      kind: command.kind as FundKind,
      openedBy: command.by,
      openedAt: command.at.toISOString(),
    },
  };
}

export interface Movement {
  entryId: string;
  amountFen: number;
  note: string;
  reference: string;
  projectId: string;
  by: string;
  at: Date;
}

/** The check every movement of a fund (this ledger or a compound's maintenance fund) makes of its amount. */
export function validAmount(violations: FieldChecks, amountFen: number): FieldChecks {
  return violations.check(
    "amountFen",
    Number.isInteger(amountFen) && amountFen > 0 && amountFen <= maxMovementFen,
    "must be a whole number of fen, more than 0 and at most 1,000,000,000 (10 million yuan)",
  );
}

const entryOf = (kind: LedgerEntry["kind"], movement: Movement): LedgerEntry => ({
  entryId: movement.entryId,
  kind,
  amountFen: movement.amountFen,
  note: movement.note.trim(),
  reference: movement.reference.trim(),
  projectId: movement.projectId.trim(),
  by: movement.by,
  at: movement.at.toISOString(),
});

/** A ledger entry as stored: the data of a fund's movement event. */
export function ledgerEntryOf(event: FundEvent): LedgerEntry | undefined {
  if (event.type === "fund.opened") return undefined;
  const { fundId: _fund, areaId: _area, fundKind: _kind, ...entry } = event.data;
  return entry;
}

export function decideCredit(fund: Fund, movement: Movement): FundEvent {
  validAmount(new FieldChecks(), movement.amountFen).requiredText("note", movement.note, 200).throwIfAny();
  return { type: "fund.credited", data: { ...movementOf(fund), ...entryOf("credit", movement) } };
}

/** Allocates against an adopted resolution (checked by the caller); never beyond the balance. */
export function decideAllocate(fund: Fund, movement: Movement): FundEvent {
  validAmount(new FieldChecks(), movement.amountFen)
    .requiredText("purpose", movement.note, 200)
    .requiredText("resolutionId", movement.reference, 128)
    .throwIfAny();
  if (movement.amountFen > fund.balanceFen) {
    throw new FailedPreconditionError(
      `fund ${fund.fundId} holds ${fund.balanceFen} fen: ${movement.amountFen} fen cannot be allocated`,
      "INSUFFICIENT_BALANCE",
    );
  }
  return { type: "fund.allocated", data: { ...movementOf(fund), ...entryOf("allocation", movement) } };
}

/** A share of a co-funded plan, as the plan names it (domain/co-funding.ts). */
export interface PlannedShare {
  shareId: string;
  reversalId: string;
  amountFen: number;
  projectId: string;
  resolutionId: string;
  purpose: string;
}

/** The ledger entry of a share's allocation. */
export const shareEntry = (share: PlannedShare, by: string, at: Date): LedgerEntry =>
  entryOf("allocation", {
    entryId: share.shareId,
    amountFen: share.amountFen,
    note: share.purpose,
    reference: share.resolutionId,
    projectId: share.projectId,
    by,
    at,
  });

/**
 * Takes a co-funded plan's share: an allocation whose entry id (and event id) is the share's.
 * A share already taken is nothing to do.
 */
export function decideAllocateShare(
  fund: Fund,
  share: PlannedShare,
  by: string,
  at: Date,
): (FundEvent & { id: string }) | undefined {
  if (fund.allocations.some((allocation) => allocation.entryId === share.shareId)) return undefined;
  const entry = shareEntry(share, by, at);
  const event = decideAllocate(fund, { ...entry, at });
  return { ...event, id: share.shareId };
}

/** Reverses a failed plan's share once, under the reversal id the plan names; a share not taken, or reversed, is nothing to do. */
export function decideReverseShare(
  fund: Fund,
  share: PlannedShare,
  reason: string,
  by: string,
  at: Date,
): (FundEvent & { id: string }) | undefined {
  const allocation = fund.allocations.find((candidate) => candidate.entryId === share.shareId);
  if (!allocation || allocation.reversed) return undefined;
  const event = decideReverse(fund, {
    entryId: share.reversalId,
    note: reason,
    reference: share.shareId,
    projectId: share.projectId,
    by,
    at,
  });
  return { ...event, id: share.reversalId };
}

export function decideDisburse(fund: Fund, movement: Movement): FundEvent {
  validAmount(new FieldChecks(), movement.amountFen).requiredText("note", movement.note, 200).throwIfAny();
  const allocation = liveAllocation(fund, movement.reference);
  if (allocation.disbursedFen + movement.amountFen > allocation.amountFen) {
    throw new FailedPreconditionError(
      `allocation ${allocation.entryId} has ${allocation.amountFen - allocation.disbursedFen} fen left to disburse`,
      "BEYOND_ALLOCATION",
    );
  }
  return { type: "fund.disbursed", data: { ...movementOf(fund), ...entryOf("disbursement", movement) } };
}

/** Reverses an allocation nothing has been paid from: its amount returns to the balance. */
export function decideReverse(fund: Fund, movement: Omit<Movement, "amountFen">): FundEvent {
  new FieldChecks().requiredText("reason", movement.note, 200).throwIfAny();
  const allocation = liveAllocation(fund, movement.reference);
  if (allocation.disbursedFen > 0) {
    throw new FailedPreconditionError(
      `allocation ${allocation.entryId} has disbursements: it cannot be reversed`,
      "ALREADY_DISBURSED",
    );
  }
  return {
    type: "fund.reversed",
    data: { ...movementOf(fund), ...entryOf("reversal", { ...movement, amountFen: allocation.amountFen }) },
  };
}

function liveAllocation(fund: Fund, entryId: string): Allocation {
  const allocation = fund.allocations.find((candidate) => candidate.entryId === entryId.trim());
  if (!allocation) throw new NotFoundError(`allocation of fund ${fund.fundId}`, entryId);
  if (allocation.reversed)
    throw new FailedPreconditionError(`allocation ${entryId} was reversed`, "ALLOCATION_REVERSED");
  return allocation;
}
