import { FailedPreconditionError, FieldChecks, NotFoundError } from "@civic/domain-kit";
import { validAmount } from "./fund.js";
import { ownersRules } from "./tally.js";
import type { Vote } from "./vote.js";

/**
 * A compound's residential special maintenance fund (住宅专项维修资金): one ledger in integer
 * fen per compound, with an account per household. Households deposit; interest is shared
 * by what each account holds; every withdrawal rests on an owners' vote under Civil Code
 * art. 278 and is shared among the households by floor area. The fund as a whole is never
 * overdrawn: all movements are events on the compound's one stream, so two withdrawals racing
 * for the last yuan commit one after the other and the second sees what the first left.
 */

/**
 * What a withdrawal pays for, as art. 278 sorts it: repairs, renewal and renovation of the
 * common parts use the fund (item 5, more than half of the participating area and owners);
 * rebuilding them (item 7) or changing their use (item 8) needs three quarters of both.
 */
export const maintenanceUses = ["repair", "rebuild", "change_of_use"] as const;
export type MaintenanceUse = (typeof maintenanceUses)[number];
const majorUses: readonly MaintenanceUse[] = ["rebuild", "change_of_use"];

/** The subject reference an owners' vote names when it decides a use of the compound's fund. */
export const maintenanceFundSubject = (compoundAreaId: string) => `maintenance-fund:${compoundAreaId}`;

/** An account whose balance is below this share of its deposits owes a top-up (续交). */
export const topUpThresholdPercent = 30;

/** 100,000 m² in hundredths: more than any one household owns. */
const maxFloorAreaCentiM2 = 10_000_000;

export interface HouseholdShare {
  householdId: string;
  amountFen: number;
}

export interface HouseholdAccount {
  householdId: string;
  floorAreaCentiM2: number;
  depositedFen: number;
  interestFen: number;
  withdrawnFen: number;
}

export interface MaintenanceFundOpenedData {
  areaId: string;
  openedBy: string;
  openedAt: string;
}

interface MovementData {
  areaId: string;
  entryId: string;
  amountFen: number;
  by: string;
  at: string;
}

export interface DepositData extends MovementData {
  householdId: string;
  floorAreaCentiM2: number;
  note: string;
}

export interface InterestData extends MovementData {
  /** The period the interest is for, as the bank states it (`2026`, `2026-H1`). */
  period: string;
  shares: HouseholdShare[];
}

export interface WithdrawalData extends MovementData {
  voteId: string;
  use: MaintenanceUse;
  purpose: string;
  shares: HouseholdShare[];
}

export type MaintenanceFundEvent =
  | { type: "maintenance_fund.opened"; data: MaintenanceFundOpenedData }
  | { type: "maintenance_fund.deposited"; data: DepositData }
  | { type: "maintenance_fund.interest_credited"; data: InterestData }
  | { type: "maintenance_fund.withdrawn"; data: WithdrawalData };

export type MaintenanceFundState =
  | { status: "none" }
  | (MaintenanceFundOpenedData & {
      status: "open";
      balanceFen: number;
      depositedFen: number;
      interestFen: number;
      withdrawnFen: number;
      households: HouseholdAccount[];
      /** Votes that back a withdrawal already: each backs one. */
      votesUsed: string[];
    });
export type MaintenanceFund = Exclude<MaintenanceFundState, { status: "none" }>;

export const initialMaintenanceFundState = (): MaintenanceFundState => ({ status: "none" });

export function evolveMaintenanceFund(
  state: MaintenanceFundState,
  event: MaintenanceFundEvent,
): MaintenanceFundState {
  if (event.type === "maintenance_fund.opened") {
    return {
      ...event.data,
      status: "open",
      balanceFen: 0,
      depositedFen: 0,
      interestFen: 0,
      withdrawnFen: 0,
      households: [],
      votesUsed: [],
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "maintenance_fund.deposited": {
      const { householdId, floorAreaCentiM2, amountFen } = event.data;
      const known = state.households.some((account) => account.householdId === householdId);
      const households = known
        ? state.households
        : [
            ...state.households,
            { householdId, floorAreaCentiM2, depositedFen: 0, interestFen: 0, withdrawnFen: 0 },
          ];
      return {
        ...state,
        balanceFen: state.balanceFen + amountFen,
        depositedFen: state.depositedFen + amountFen,
        households: withShares(households, [{ householdId, amountFen }], "depositedFen"),
      };
    }
    case "maintenance_fund.interest_credited":
      return {
        ...state,
        balanceFen: state.balanceFen + event.data.amountFen,
        interestFen: state.interestFen + event.data.amountFen,
        households: withShares(state.households, event.data.shares, "interestFen"),
      };
    case "maintenance_fund.withdrawn":
      return {
        ...state,
        balanceFen: state.balanceFen - event.data.amountFen,
        withdrawnFen: state.withdrawnFen + event.data.amountFen,
        households: withShares(state.households, event.data.shares, "withdrawnFen"),
        votesUsed: [...state.votesUsed, event.data.voteId],
      };
  }
}

function withShares(
  households: HouseholdAccount[],
  shares: HouseholdShare[],
  column: "depositedFen" | "interestFen" | "withdrawnFen",
): HouseholdAccount[] {
  const byHousehold = new Map(shares.map((share) => [share.householdId, share.amountFen]));
  return households.map((account) => {
    const amount = byHousehold.get(account.householdId);
    return amount === undefined ? account : { ...account, [column]: account[column] + amount };
  });
}

export const householdBalanceFen = (account: HouseholdAccount) =>
  account.depositedFen + account.interestFen - account.withdrawnFen;

/** Whether an account holds less than the top-up threshold of what it deposited. */
export const topUpDue = (account: HouseholdAccount) =>
  householdBalanceFen(account) * 100 < account.depositedFen * topUpThresholdPercent;

export function requireMaintenanceFund(state: MaintenanceFundState, areaId: string): MaintenanceFund {
  if (state.status === "none") throw new NotFoundError("maintenance fund of compound", areaId);
  return state;
}

export function requireHousehold(fund: MaintenanceFund, householdId: string): HouseholdAccount {
  const account = fund.households.find((candidate) => candidate.householdId === householdId.trim());
  if (!account) throw new NotFoundError(`household of maintenance fund ${fund.areaId}`, householdId);
  return account;
}

export function decideOpenMaintenanceFund(command: { areaId: string; by: string; at: Date }) {
  return {
    type: "maintenance_fund.opened",
    data: { areaId: command.areaId, openedBy: command.by, openedAt: command.at.toISOString() },
  } satisfies MaintenanceFundEvent;
}

interface Movement {
  entryId: string;
  amountFen: number;
  by: string;
  at: Date;
}

const movementData = (fund: MaintenanceFund, movement: Movement): MovementData => ({
  areaId: fund.areaId,
  entryId: movement.entryId,
  amountFen: movement.amountFen,
  by: movement.by,
  at: movement.at.toISOString(),
});

/**
 * A household's deposit. Its first deposit records its floor area, by which withdrawals are
 * shared; later deposits give the same area or none (0).
 */
export function decideDeposit(
  fund: MaintenanceFund,
  command: Movement & { householdId: string; floorAreaCentiM2: number; note: string },
): MaintenanceFundEvent {
  const householdId = command.householdId.trim();
  const known = fund.households.find((account) => account.householdId === householdId);
  const area = command.floorAreaCentiM2;
  validAmount(new FieldChecks(), command.amountFen)
    .requiredText("householdId", householdId, 64)
    .text("note", command.note, { max: 200, optional: true })
    .check(
      "floorAreaCentiM2",
      known
        ? area === 0 || area === known.floorAreaCentiM2
        : Number.isInteger(area) && area > 0 && area <= maxFloorAreaCentiM2,
      known
        ? `household ${householdId} is recorded with ${known.floorAreaCentiM2} hundredths of m²: give that or 0`
        : "a household's first deposit records its floor area: a whole number of hundredths of m², 1 to 10,000,000",
    )
    .throwIfAny();
  return {
    type: "maintenance_fund.deposited",
    data: {
      ...movementData(fund, command),
      householdId,
      floorAreaCentiM2: known?.floorAreaCentiM2 ?? area,
      note: command.note.trim(),
    },
  };
}

/** Interest for a period, shared among the accounts by what each holds. */
export function decideCreditInterest(
  fund: MaintenanceFund,
  command: Movement & { period: string },
): MaintenanceFundEvent {
  validAmount(new FieldChecks(), command.amountFen).requiredText("period", command.period, 20).throwIfAny();
  const weights = fund.households.map((account) => ({
    householdId: account.householdId,
    weight: Math.max(0, householdBalanceFen(account)),
  }));
  if (weights.every(({ weight }) => weight === 0)) {
    throw new FailedPreconditionError(
      `maintenance fund ${fund.areaId} holds nothing in any household's account: interest has no one to go to`,
      "NOTHING_EARNS_INTEREST",
    );
  }
  return {
    type: "maintenance_fund.interest_credited",
    data: {
      ...movementData(fund, command),
      period: command.period.trim(),
      shares: shareOut(command.amountFen, weights),
    },
  };
}

/**
 * A withdrawal backed by an owners' vote of the compound that decided this use of the fund
 * and met art. 278: participation by at least two thirds of the floor area and of the owners,
 * and approval by more than half (repairs) or at least three quarters (rebuilding, change of
 * use) of the participating area and owners. The tally that closed the vote decided those;
 * here the vote's rule must be the one the use needs. Each vote backs one withdrawal, which
 * is shared among the households by floor area.
 */
export function decideWithdraw(
  fund: MaintenanceFund,
  vote: Vote,
  command: Movement & { voteId: string; use: string; purpose: string },
): MaintenanceFundEvent {
  validAmount(new FieldChecks(), command.amountFen)
    .requiredText("voteId", command.voteId, 128)
    .oneOf("use", command.use, maintenanceUses)
    .requiredText("purpose", command.purpose, 200)
    .throwIfAny();
  const use = command.use as MaintenanceUse;
  requireVoteBacks(fund, vote, use);
  if (command.amountFen > fund.balanceFen) {
    throw new FailedPreconditionError(
      `maintenance fund ${fund.areaId} holds ${fund.balanceFen} fen: ${command.amountFen} fen cannot be withdrawn`,
      "INSUFFICIENT_BALANCE",
    );
  }
  return {
    type: "maintenance_fund.withdrawn",
    data: {
      ...movementData(fund, command),
      voteId: vote.voteId,
      use,
      purpose: command.purpose.trim(),
      shares: shareOut(
        command.amountFen,
        fund.households.map((account) => ({
          householdId: account.householdId,
          weight: account.floorAreaCentiM2,
        })),
      ),
    },
  };
}

function requireVoteBacks(fund: MaintenanceFund, vote: Vote, use: MaintenanceUse): void {
  const refuse = (why: string, reason: string): never => {
    throw new FailedPreconditionError(`vote ${vote.voteId} cannot back this withdrawal: ${why}`, reason);
  };
  if (vote.areaId !== fund.areaId) {
    refuse(`it was held in area ${vote.areaId}, not in compound ${fund.areaId}`, "VOTE_OF_ANOTHER_AREA");
  }
  if (vote.subjectReference !== maintenanceFundSubject(fund.areaId)) {
    refuse(
      `it decides "${vote.subjectReference}"; a use of the fund is voted on with the subject ${maintenanceFundSubject(fund.areaId)}`,
      "VOTE_ON_ANOTHER_SUBJECT",
    );
  }
  if (!ownersRules.includes(vote.rule)) {
    refuse(`it was not an owners' vote under art. 278 (rule ${vote.rule})`, "NOT_AN_OWNERS_VOTE");
  }
  if (majorUses.includes(use) && vote.rule !== "owners_major") {
    refuse(
      `${use} needs three quarters of the participating area and owners (rule owners_major); the vote was held under ${vote.rule}`,
      "MAJOR_USE_NEEDS_THREE_QUARTERS",
    );
  }
  const { result } = vote;
  if (vote.status !== "closed" || !result) refuse(`it is ${vote.status}, not closed`, "VOTE_NOT_CLOSED");
  else if (!result.adopted) refuse(`it was not adopted (${result.reason})`, "VOTE_NOT_ADOPTED");
  if (fund.votesUsed.includes(vote.voteId)) refuse("it backs an earlier withdrawal", "VOTE_ALREADY_USED");
}

/**
 * Splits an amount in proportion to the weights, in whole fen: each gets the floor of its
 * exact share, and the fen left over go one each to the largest remainders (ties by id), so
 * the shares add up to the amount exactly.
 */
export function shareOut(
  amountFen: number,
  weights: { householdId: string; weight: number }[],
): HouseholdShare[] {
  const total = weights.reduce((sum, { weight }) => sum + weight, 0);
  if (total === 0) return [];
  const exact = weights.map(({ householdId, weight }) => {
    const product = BigInt(amountFen) * BigInt(weight);
    return {
      householdId,
      amountFen: Number(product / BigInt(total)),
      remainder: Number(product % BigInt(total)),
    };
  });
  let left = amountFen - exact.reduce((sum, share) => sum + share.amountFen, 0);
  const byRemainder = [...exact].sort(
    (a, b) => b.remainder - a.remainder || a.householdId.localeCompare(b.householdId),
  );
  for (const share of byRemainder) {
    if (left === 0) break;
    share.amountFen += 1;
    left -= 1;
  }
  return exact
    .filter((share) => share.amountFen > 0)
    .map(({ householdId, amountFen }) => ({ householdId, amountFen }));
}

/** One line of a household's statement. */
export interface StatementLine {
  entryId: string;
  kind: "deposit" | "interest" | "withdrawal";
  amountFen: number;
  /** Deposit: its note; interest: the period; withdrawal: the purpose and the vote behind it. */
  note: string;
  reference: string;
  at: string;
}

/** The line an event of the fund puts on one household's statement, if any. */
export function statementLineOf(event: MaintenanceFundEvent, householdId: string): StatementLine | undefined {
  switch (event.type) {
    case "maintenance_fund.opened":
      return undefined;
    case "maintenance_fund.deposited":
      return event.data.householdId === householdId
        ? {
            entryId: event.data.entryId,
            kind: "deposit",
            amountFen: event.data.amountFen,
            note: event.data.note,
            reference: "",
            at: event.data.at,
          }
        : undefined;
    case "maintenance_fund.interest_credited":
    case "maintenance_fund.withdrawn": {
      const share = event.data.shares.find((candidate) => candidate.householdId === householdId);
      if (!share) return undefined;
      return event.type === "maintenance_fund.interest_credited"
        ? {
            entryId: event.data.entryId,
            kind: "interest",
            amountFen: share.amountFen,
            note: event.data.period,
            reference: "",
            at: event.data.at,
          }
        : {
            entryId: event.data.entryId,
            kind: "withdrawal",
            amountFen: share.amountFen,
            note: event.data.purpose,
            reference: event.data.voteId,
            at: event.data.at,
          };
    }
  }
}
