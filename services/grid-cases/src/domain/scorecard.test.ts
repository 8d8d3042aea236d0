import { describe, expect, it } from "vitest";
import { emptyCounters } from "./case-statistics.js";
import {
  checkScorecardRequest,
  countCompoundEvent,
  countFundEvent,
  countHappinessFundEvent,
  countLiaisonEvent,
  countRegistryEvent,
  countStaffingEvent,
  countVolunteerEvent,
  emptyCompoundCounters,
  emptyFundCounters,
  emptyHappinessFundCounters,
  emptyLiaisonCounters,
  emptyRegistryCounters,
  emptyStaffingCounters,
  emptyVolunteerCounters,
  per10k,
  scorecardOf,
  stockKeysOf,
  yearlyKeysOf,
} from "./scorecard.js";

const area = { areaId: "440400", name: "珠海市", level: "city", population: 2_581_829, households: 902_738 };
const inputs = {
  area,
  year: 2018,
  cases: emptyCounters(),
  liaison: emptyLiaisonCounters(),
  registry: emptyRegistryCounters(),
  volunteering: emptyVolunteerCounters(),
  funds: emptyFundCounters(),
  happinessFunds: emptyHappinessFundCounters(),
  staffing: emptyStaffingCounters(),
  compounds: emptyCompoundCounters(),
};

describe("the community scorecard", () => {
  it("reproduces the seeds: 461 of 511 problems solved is 90.2%, 3,514 organisations for Zhuhai 13.61 per 10,000", () => {
    const liaison = { problemsCollected: 511, problemsSolved: 461 };
    const registry = {
      organisationsByYear: { "2017": 3_000, "2018": 514, "2019": 99 },
      socialWorkersByYear: {},
    };
    const card = scorecardOf({ ...inputs, liaison, registry });
    expect(card.liaison.solveRate?.toFixed(1)).toBe("90.2");
    // Organisations are a stock: registered by the year's end, later years left out.
    expect(card.socialOrganisations).toMatchObject({ organisations: 3_514, organisationsPer10k: 13.61 });
    expect(per10k(2_582, 2_581_829)).toBe(10);
  });

  it("keys an event by its district, street and community and the year in China time", () => {
    expect(yearlyKeysOf("440402001002003", "2025-12-31T16:30:00.000Z")).toEqual([
      "440402@2026",
      "440402001@2026",
      "440402001002@2026",
    ]);
    expect(yearlyKeysOf(undefined, "2026-01-01T00:00:00.000Z")).toEqual([]);
    expect(stockKeysOf("440402001")).toEqual(["440402", "440402001"]);
    expect(stockKeysOf("440402")).toEqual(["440402"]);
    expect(stockKeysOf("440400")).toEqual([]);
  });

  it("counts each source's events", () => {
    expect(
      countLiaisonEvent(
        countLiaisonEvent(emptyLiaisonCounters(), "visit.problem_collected"),
        "problem.solved",
      ),
    ).toEqual({
      problemsCollected: 1,
      problemsSolved: 1,
    });
    expect(countRegistryEvent(emptyRegistryCounters(), "worker.registered", "2026-05-01T00:00:00Z")).toEqual({
      organisationsByYear: {},
      socialWorkersByYear: { "2026": 1 },
    });
    const approved = countVolunteerEvent(emptyVolunteerCounters(), "hours.approved", { minutes: 90 });
    expect(
      countVolunteerEvent(approved, "hours.corrected", { previousMinutes: 90, wasApproved: true }),
    ).toEqual({
      approvedMinutes: 0,
    });
    expect(
      countVolunteerEvent(approved, "hours.corrected", { previousMinutes: 90, wasApproved: false }),
    ).toEqual(approved);
    const deposited = countFundEvent(emptyFundCounters(), "maintenance_fund.deposited", {
      amountFen: 10_000,
    });
    const card = scorecardOf({
      ...inputs,
      funds: countFundEvent(deposited, "maintenance_fund.withdrawn", { amountFen: 2_500 }),
      volunteering: { approvedMinutes: 60 * 2_581_829 },
    });
    expect(card.maintenanceFunds).toEqual({
      depositedFen: 10_000,
      withdrawnFen: 2_500,
      withdrawals: 1,
      useRate: 25,
    });
    expect(card.volunteering.hoursPerResident).toBe(1);
  });

  it("counts a happiness fund's movements and the workers on the payroll at the year's end", () => {
    const happiness = { fundKind: "community_happiness_fund" };
    const funds = [
      ["fund.credited", 100_000],
      ["fund.allocated", 30_000],
      ["fund.allocated", 20_000],
      ["fund.reversed", 20_000],
      ["fund.disbursed", 10_000],
    ].reduce(
      (counters, [type, amountFen]) =>
        countHappinessFundEvent(counters, String(type), { ...happiness, amountFen }),
      emptyHappinessFundCounters(),
    );
    expect(funds).toEqual({ creditedFen: 100_000, allocatedFen: 30_000, disbursedFen: 10_000 });
    // Other kinds of fund, and movements stored before events named the kind, are not counted.
    expect(
      countHappinessFundEvent(funds, "fund.credited", { fundKind: "compound_public_fund", amountFen: 5 }),
    ).toEqual(funds);
    expect(countHappinessFundEvent(funds, "fund.credited", { amountFen: 5 })).toEqual(funds);

    const staffing = [
      ["community_staffing.worker_started", { startDate: "2017-03-01" }],
      ["community_staffing.worker_started", { startDate: "2018-05-01" }],
      ["community_staffing.worker_started", { startDate: "2019-01-02" }],
      ["community_staffing.worker_ended", { endDate: "2018-12-31" }],
    ].reduce(
      (counters, [type, data]) => countStaffingEvent(counters, String(type), data as Record<string, unknown>),
      emptyStaffingCounters(),
    );
    const card = scorecardOf({ ...inputs, happinessFunds: funds, staffing });
    // 2018: two started by its end, one gone on its last day.
    expect(card.staffing).toEqual({ workers: 1, workersPer10k: 0, householdsPerWorker: 902_738 });
    expect(scorecardOf({ ...inputs, year: 2019, staffing }).staffing.workers).toBe(2);
    expect(scorecardOf({ ...inputs, year: 2016, staffing }).staffing).toEqual({
      workers: 0,
      workersPer10k: 0,
      householdsPerWorker: null,
    });
    expect(card.happinessFunds.allocationRate).toBe(30);
  });

  it("moves the compound tallies by each change's coverage before and after, in the year it happened", () => {
    const none = { ownersCommittee: false, partyBranch: false, redCommittee: false };
    const committee = { ...none, ownersCommittee: true };
    const red = { ownersCommittee: true, partyBranch: true, redCommittee: true };
    const compounds = [
      ["compound.registered", {}, "2017-03-01T00:00:00Z"],
      ["compound.registered", {}, "2017-03-02T00:00:00Z"],
      ["owners_committee.formed", { coverage: { before: none, after: committee } }, "2017-06-01T00:00:00Z"],
      [
        "compound.party_branch_assigned",
        { coverage: { before: committee, after: red } },
        "2018-02-01T00:00:00Z",
      ],
      // A member leaving changes no coverage; a change stored without coverage moves nothing.
      ["owners_committee.member_left", { coverage: { before: red, after: red } }, "2018-03-01T00:00:00Z"],
      ["owners_committee.formed", {}, "2018-04-01T00:00:00Z"],
    ].reduce(
      (counters, [type, data, time]) =>
        countCompoundEvent(counters, String(type), data as Record<string, unknown>, String(time)),
      emptyCompoundCounters(),
    );
    expect(scorecardOf({ ...inputs, year: 2017, compounds }).compounds).toEqual({
      compounds: 2,
      withOwnersCommittee: 1,
      withPartyBranch: 0,
      redCommittees: 0,
      ownersCommitteeRate: 50,
      partyBranchRate: 0,
      redCommitteeCoverage: 0,
    });
    expect(scorecardOf({ ...inputs, year: 2018, compounds }).compounds).toMatchObject({
      withPartyBranch: 1,
      redCommittees: 1,
      redCommitteeCoverage: 100,
    });
    // A dissolved red committee: the branch stays, the committee and its redness go.
    const dissolved = countCompoundEvent(
      compounds,
      "owners_committee.dissolved",
      { coverage: { before: red, after: { ...none, partyBranch: true } } },
      "2019-01-10T00:00:00Z",
    );
    expect(scorecardOf({ ...inputs, year: 2019, compounds: dissolved }).compounds).toMatchObject({
      withOwnersCommittee: 0,
      withPartyBranch: 1,
      redCommittees: 0,
      redCommitteeCoverage: null,
    });
  });

  it("names every bad field, and lets only the caller's areas' staff read", () => {
    const command = { subject: "cc", roles: ["command_centre"], areas: [] };
    expect(() => checkScorecardRequest("4404021", 1999, command)).toThrow(/areaId.*year/);
    expect(() => checkScorecardRequest("440400", 2026, command)).toThrow(/areaId/);
    expect(() => checkScorecardRequest("440402001002", 2026, command)).not.toThrow();
    expect(() => checkScorecardRequest("440402", 2026, command)).not.toThrow();
    const staff = { subject: "cs", roles: ["community_staff"], areas: ["440402001002"] };
    expect(() => checkScorecardRequest("440402001002", 2026, staff)).not.toThrow();
    expect(() => checkScorecardRequest("440402001", 2026, staff)).toThrow(/outside/);
    expect(() => checkScorecardRequest("440402001002", 2026, { ...staff, roles: ["resident"] })).toThrow(
      /scorecards are for/,
    );
  });
});
