import { FailedPreconditionError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  decideCreditInterest,
  decideDeposit,
  decideOpenMaintenanceFund,
  decideWithdraw,
  evolveMaintenanceFund,
  householdBalanceFen,
  initialMaintenanceFundState,
  type MaintenanceFund,
  type MaintenanceFundEvent,
  maintenanceFundSubject,
  requireHousehold,
  requireMaintenanceFund,
  shareOut,
  statementLineOf,
  topUpDue,
} from "./maintenance-fund.js";
import type { Vote } from "./vote.js";

const compound = "440402001002901";
const at = new Date("2026-12-01T02:00:00Z");
let entries = 0;
const movement = (amountFen: number) => ({ entryId: `e${++entries}`, amountFen, by: "staff-1", at });

function given(...events: MaintenanceFundEvent[]): MaintenanceFund {
  const opened = decideOpenMaintenanceFund({ areaId: compound, by: "staff-1", at });
  return requireMaintenanceFund(
    [opened, ...events].reduce(evolveMaintenanceFund, initialMaintenanceFundState()),
    compound,
  );
}

/** Two households of 90 m² and 60 m² who deposited 9,000 and 6,000 yuan. */
function fundWithTwoHouseholds(): MaintenanceFund {
  let fund = given();
  for (const [householdId, floorAreaCentiM2, amountFen] of [
    ["1-101", 9_000, 900_000],
    ["1-102", 6_000, 600_000],
  ] as const) {
    fund = evolveMaintenanceFund(
      fund,
      decideDeposit(fund, { ...movement(amountFen), householdId, floorAreaCentiM2, note: "first deposit" }),
    ) as MaintenanceFund;
  }
  return fund;
}

const closedResult = {
  options: [],
  votesCast: 3,
  participatingAreaCentiM2: 15_000,
  adopted: true,
  reason: "in favour: more than half of both",
  elected: [],
  chainHead: "",
  closedBy: "staff-1",
  closedAt: at.toISOString(),
};

function vote(overrides: Partial<Vote> = {}): Vote {
  return {
    voteId: "vote-1",
    councilId: "council-1",
    areaId: compound,
    title: "Replace the lift of building 1",
    method: "e_vote",
    rule: "owners_ordinary",
    candidates: [],
    seats: 0,
    building: "",
    electors: [],
    closesAt: at.toISOString(),
    subjectReference: maintenanceFundSubject(compound),
    openedBy: "staff-1",
    openedAt: at.toISOString(),
    status: "closed",
    result: closedResult,
    ...overrides,
  };
}

const withdrawal = (amountFen: number, use = "repair") => ({
  ...movement(amountFen),
  voteId: "vote-1",
  use,
  purpose: "lift repair",
});

function refusal(decide: () => unknown): FailedPreconditionError {
  try {
    decide();
  } catch (error) {
    if (error instanceof FailedPreconditionError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("maintenance fund deposits", () => {
  it("records each household's deposits and floor area", () => {
    const fund = fundWithTwoHouseholds();
    expect(fund.balanceFen).toBe(1_500_000);
    expect(requireHousehold(fund, "1-101")).toMatchObject({ floorAreaCentiM2: 9_000, depositedFen: 900_000 });
  });

  it("refuses a first deposit without a floor area and a later one with another area", () => {
    const fund = fundWithTwoHouseholds();
    expect(() =>
      decideDeposit(fund, { ...movement(100), householdId: "2-201", floorAreaCentiM2: 0, note: "" }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      decideDeposit(fund, { ...movement(100), householdId: "1-101", floorAreaCentiM2: 8_000, note: "" }),
    ).toThrow(/recorded with 9000/);
    const again = decideDeposit(fund, {
      ...movement(100),
      householdId: "1-101",
      floorAreaCentiM2: 0,
      note: "",
    });
    expect(again.data).toMatchObject({ floorAreaCentiM2: 9_000 });
  });
});

describe("maintenance fund interest", () => {
  it("shares interest by what each account holds, to the fen", () => {
    const fund = fundWithTwoHouseholds();
    const interest = decideCreditInterest(fund, { ...movement(1_001), period: "2026" });
    expect(interest.type === "maintenance_fund.interest_credited" && interest.data.shares).toEqual([
      { householdId: "1-101", amountFen: 601 },
      { householdId: "1-102", amountFen: 400 },
    ]);
  });

  it("refuses interest when no account holds anything", () => {
    expect(refusal(() => decideCreditInterest(given(), { ...movement(100), period: "2026" })).reason).toBe(
      "NOTHING_EARNS_INTEREST",
    );
  });
});

describe("maintenance fund withdrawals under art. 278", () => {
  it("withdraws for a repair that an adopted ordinary owners' vote decided, shared by floor area", () => {
    const fund = fundWithTwoHouseholds();
    const event = decideWithdraw(fund, vote(), withdrawal(500_000));
    const after = evolveMaintenanceFund(fund, event) as MaintenanceFund;
    expect(after.balanceFen).toBe(1_000_000);
    expect(householdBalanceFen(requireHousehold(after, "1-101"))).toBe(600_000);
    expect(householdBalanceFen(requireHousehold(after, "1-102"))).toBe(400_000);
    expect(after.votesUsed).toEqual(["vote-1"]);
  });

  it("needs an owners_major vote for rebuilding or a change of use", () => {
    const fund = fundWithTwoHouseholds();
    expect(refusal(() => decideWithdraw(fund, vote(), withdrawal(100, "rebuild"))).reason).toBe(
      "MAJOR_USE_NEEDS_THREE_QUARTERS",
    );
    expect(decideWithdraw(fund, vote({ rule: "owners_major" }), withdrawal(100, "change_of_use")).type).toBe(
      "maintenance_fund.withdrawn",
    );
  });

  it.each([
    [
      "a vote that was not adopted",
      { result: { ...closedResult, adopted: false, reason: "participation below two thirds" } },
      "VOTE_NOT_ADOPTED",
    ],
    ["a vote still open", { status: "open" as const, result: undefined }, "VOTE_NOT_CLOSED"],
    ["a voided vote", { status: "void" as const, result: undefined }, "VOTE_NOT_CLOSED"],
    [
      "a vote under a rule that counts no floor area",
      { rule: "simple_majority" as const },
      "NOT_AN_OWNERS_VOTE",
    ],
    ["a vote of another compound", { areaId: "440402001002902" }, "VOTE_OF_ANOTHER_AREA"],
    ["a vote on another subject", { subjectReference: "topic-9" }, "VOTE_ON_ANOTHER_SUBJECT"],
  ])("refuses %s, saying why", (_, overrides: Partial<Vote>, code) => {
    const fund = fundWithTwoHouseholds();
    const refused = refusal(() => decideWithdraw(fund, vote(overrides), withdrawal(100)));
    expect(refused.reason).toBe(code);
    expect(refused.message).toContain("vote-1 cannot back this withdrawal");
  });

  it("lets each vote back one withdrawal", () => {
    const fund = fundWithTwoHouseholds();
    const after = evolveMaintenanceFund(
      fund,
      decideWithdraw(fund, vote(), withdrawal(100)),
    ) as MaintenanceFund;
    expect(refusal(() => decideWithdraw(after, vote(), withdrawal(100))).reason).toBe("VOTE_ALREADY_USED");
  });

  it("never withdraws more than the fund holds", () => {
    const fund = fundWithTwoHouseholds();
    expect(refusal(() => decideWithdraw(fund, vote(), withdrawal(1_500_001))).reason).toBe(
      "INSUFFICIENT_BALANCE",
    );
    expect(decideWithdraw(fund, vote(), withdrawal(1_500_000)).type).toBe("maintenance_fund.withdrawn");
  });

  it("refuses an unknown use as a field error", () => {
    expect(() => decideWithdraw(fundWithTwoHouseholds(), vote(), withdrawal(100, "party"))).toThrow(
      InvalidArgumentError,
    );
  });
});

describe("a household's statement", () => {
  it("lists its deposits, interest and shares of withdrawals, and flags a top-up below 30%", () => {
    let fund = fundWithTwoHouseholds();
    const interest = decideCreditInterest(fund, { ...movement(1_000), period: "2026" });
    fund = evolveMaintenanceFund(fund, interest) as MaintenanceFund;
    const withdrawn = decideWithdraw(fund, vote(), withdrawal(1_200_000));
    fund = evolveMaintenanceFund(fund, withdrawn) as MaintenanceFund;
    const events = [interest, withdrawn];
    const lines = events.flatMap((event) => statementLineOf(event, "1-102") ?? []);
    expect(lines.map(({ kind, amountFen }) => [kind, amountFen])).toEqual([
      ["interest", 400],
      ["withdrawal", 480_000],
    ]);
    const account = requireHousehold(fund, "1-102");
    expect(householdBalanceFen(account)).toBe(600_000 + 400 - 480_000);
    expect(topUpDue(account)).toBe(true);
  });
});

describe("shareOut", () => {
  it("adds up to the amount exactly and gives the odd fen to the largest remainders", () => {
    const shares = shareOut(100, [
      { householdId: "a", weight: 1 },
      { householdId: "b", weight: 1 },
      { householdId: "c", weight: 1 },
    ]);
    expect(shares).toEqual([
      { householdId: "a", amountFen: 34 },
      { householdId: "b", amountFen: 33 },
      { householdId: "c", amountFen: 33 },
    ]);
  });
});
