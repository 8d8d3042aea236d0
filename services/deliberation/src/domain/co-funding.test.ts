import { describe, expect, it } from "vitest";
import {
  type CoFundingEvent,
  type CoFundingPlan,
  type CoFundingState,
  decideFail,
  decideFunded,
  decidePlan,
  decideRolledBack,
  decideWithhold,
  evolveCoFunding,
  initialCoFundingState,
  isUnfinished,
} from "./co-funding.js";
import {
  decideAllocateShare,
  decideReverseShare,
  evolveFund,
  type Fund,
  type FundEvent,
  initialFundState,
  type PlannedShare,
} from "./fund.js";

const at = new Date("2026-12-03T10:00:00Z");
let counter = 0;
const newId = () => `id-${++counter}`;

const planOf = (...events: CoFundingEvent[]): CoFundingPlan =>
  events.reduce<CoFundingState>(evolveCoFunding, initialCoFundingState()) as CoFundingPlan;

const playground = () =>
  decidePlan({
    projectId: "p-1",
    resolutionId: "r-1",
    areaId: "440402001002003",
    purpose: "儿童游乐场改造",
    parts: [
      { fundId: "public", amountFen: 4_500_000 },
      { fundId: "happiness", amountFen: 2_000_000 },
    ],
    newId,
    by: "cs-nancun",
    at,
  });

const fundWith = (balanceFen: number, ...events: FundEvent[]): Fund =>
  [
    {
      type: "fund.opened",
      data: {
        fundId: "public",
        areaId: "440402001002003",
        name: "公共收益",
        kind: "compound_public_fund",
        openedBy: "x",
        openedAt: at.toISOString(),
      },
    } as FundEvent,
    {
      type: "fund.credited",
      data: {
        fundId: "public",
        entryId: "c-1",
        kind: "credit",
        amountFen: balanceFen,
        note: "",
        reference: "",
        projectId: "",
        by: "x",
        at: at.toISOString(),
      },
    } as FundEvent,
    ...events,
  ].reduce(evolveFund, initialFundState()) as Fund;

describe("planning a co-funded allocation", () => {
  it("names a share id and a reversal id per fund, all distinct", () => {
    const planned = playground();
    expect(planned.type).toBe("co_funding.planned");
    const plan = planOf(planned);
    expect(planned.data.areaId).toBe("440402001002003");
    expect(plan).toMatchObject({ status: "planned", resolutionId: "r-1", withheld: [] });
    expect(plan.shares.map((share) => [share.fundId, share.amountFen])).toEqual([
      ["public", 4_500_000],
      ["happiness", 2_000_000],
    ]);
    const ids = plan.shares.flatMap((share) => [share.shareId, share.reversalId]);
    expect(new Set(ids).size).toBe(4);
  });

  it("refuses no parts, a fund named twice, fractional fen and an empty purpose", () => {
    const refuse =
      (parts: { fundId: string; amountFen: number }[], purpose = "x") =>
      () =>
        decidePlan({ projectId: "p", resolutionId: "r", areaId: "4404", purpose, parts, newId, by: "x", at });
    expect(refuse([])).toThrow();
    expect(
      refuse([
        { fundId: "a", amountFen: 1 },
        { fundId: "a", amountFen: 2 },
      ]),
    ).toThrow();
    expect(refuse([{ fundId: "a", amountFen: 10.5 }])).toThrow();
    expect(refuse([{ fundId: "a", amountFen: 1 }], " ")).toThrow();
  });
});

describe("ending a plan", () => {
  it("is funded once, and a failed plan can no longer be funded", () => {
    const plan = planOf(playground());
    const funded = decideFunded(plan, at);
    expect(funded?.type).toBe("co_funding.funded");
    expect(decideFunded(planOf(playground(), funded as CoFundingEvent), at)).toBeUndefined();
    const failed = planOf(playground(), decideFail(plan, "余额不足", "x", at) as CoFundingEvent);
    expect(() => decideFunded(failed, at)).toThrow(/failed and was rolled back: 余额不足/);
  });

  it("fails once, and never a funded plan", () => {
    const plan = planOf(playground());
    const failedEvent = decideFail(plan, "余额不足", "x", at) as CoFundingEvent;
    expect(decideFail(planOf(playground(), failedEvent), "again", "x", at)).toBeUndefined();
    const funded = planOf(playground(), decideFunded(plan, at) as CoFundingEvent);
    expect(() => decideFail(funded, "late", "x", at)).toThrow();
  });

  it("withholds each share of a failed plan under the share's id, once, then ends rolled back", () => {
    const planned = playground();
    const failedEvent = decideFail(planOf(planned), "余额不足", "x", at) as CoFundingEvent;
    const failed = planOf(planned, failedEvent);
    const [first] = failed.shares;
    if (!first) throw new Error("no share");
    const withheld = decideWithhold(failed, first, at);
    expect(withheld).toMatchObject({ type: "co_funding.share_withheld", id: first.shareId });
    const after = planOf(planned, failedEvent, withheld as CoFundingEvent);
    expect(decideWithhold(after, first, at)).toBeUndefined();
    expect(decideRolledBack(after, at)?.type).toBe("co_funding.rolled_back");
    expect(() => decideWithhold(planOf(planned), first, at)).toThrow();
  });

  it("counts as unfinished once stale while planned or failed, never when funded", () => {
    const plan = planOf(playground());
    const later = new Date(at.getTime() + 120_000);
    expect(isUnfinished(plan, new Date(at.getTime() + 119_999), 120_000)).toBe(false);
    expect(isUnfinished(plan, later, 120_000)).toBe(true);
    const funded = planOf(playground(), decideFunded(plan, at) as CoFundingEvent);
    expect(isUnfinished(funded, later, 120_000)).toBe(false);
  });
});

describe("a fund's share of a plan", () => {
  const share: PlannedShare = {
    shareId: "share-1",
    reversalId: "reversal-1",
    amountFen: 4_500_000,
    projectId: "p-1",
    resolutionId: "r-1",
    purpose: "儿童游乐场改造",
  };

  it("is an allocation under the share id, taken once", () => {
    const fund = fundWith(10_000_000);
    const taken = decideAllocateShare(fund, share, "cs-nancun", at);
    expect(taken).toMatchObject({
      type: "fund.allocated",
      id: "share-1",
      data: { entryId: "share-1", amountFen: 4_500_000, reference: "r-1", projectId: "p-1" },
    });
    expect(
      decideAllocateShare(evolveFund(fund, taken as FundEvent) as Fund, share, "cs-nancun", at),
    ).toBeUndefined();
  });

  it("is refused beyond the balance", () => {
    expect(() => decideAllocateShare(fundWith(4_499_999), share, "x", at)).toThrow(/cannot be allocated/);
  });

  it("is reversed once under the plan's reversal id, and not at all if never taken", () => {
    const fund = fundWith(10_000_000);
    expect(decideReverseShare(fund, share, "失败", "x", at)).toBeUndefined();
    const taken = evolveFund(fund, decideAllocateShare(fund, share, "x", at) as FundEvent) as Fund;
    const reversal = decideReverseShare(taken, share, "失败", "x", at);
    expect(reversal).toMatchObject({
      type: "fund.reversed",
      id: "reversal-1",
      data: { reference: "share-1", amountFen: 4_500_000 },
    });
    const reversed = evolveFund(taken, reversal as FundEvent) as Fund;
    expect(reversed.balanceFen).toBe(10_000_000);
    expect(decideReverseShare(reversed, share, "失败", "x", at)).toBeUndefined();
  });
});
