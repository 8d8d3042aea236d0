import { describe, expect, it } from "vitest";
import type { FoundedOrganisation } from "./organisation.js";
import { redCommitteeCoverage } from "./red-committee-coverage.js";
import {
  type CommitteeMemberInput,
  type CompoundEvent,
  type CompoundState,
  decideAddCommitteeMember,
  decideAssignPartyBranch,
  decideCommitteeDeparture,
  decideDissolveCommittee,
  decideFormCommittee,
  decideRegisterCompound,
  evolveCompound,
  initialCompoundState,
  isTermExpired,
  type ResidentialCompound,
  validateCommittee,
  validateCompound,
  validateDeparture,
  withCoverageChange,
} from "./residential-compound.js";

const now = new Date("2026-12-01T02:00:00Z");
const nancun = "440402001002";
const branch: FoundedOrganisation = {
  status: "founded",
  organisationId: "branch-1",
  level: "branch",
  branchKind: "owners_committee",
  name: "翠景花园业委会党支部",
  parentId: "committee-1",
  areaId: `${nancun}003`,
  history: [],
};
const person = (personId: string, post: string, extra: Partial<CommitteeMemberInput> = {}) => ({
  personId,
  name: `业主${personId}`,
  post,
  partyMemberId: "",
  alsoServesOn: [],
  ...extra,
});

const replay = (events: CompoundEvent[]): CompoundState =>
  events.reduce(evolveCompound, initialCompoundState());
const registered = (compoundId = "cuijing"): ResidentialCompound => {
  const event = decideRegisterCompound(
    { compoundId, name: "翠景花园", communityAreaId: nancun, households: 820, propertyCompany: "" },
    initialCompoundState(),
    true,
    "staff",
    now,
  );
  return replay([event]) as ResidentialCompound;
};
const apply = (compound: ResidentialCompound, event: CompoundEvent | undefined) =>
  (event ? evolveCompound(compound, event) : compound) as ResidentialCompound;

describe("residential compounds and owners' committees", () => {
  it("registers a compound only in a known community, once", () => {
    const command = {
      compoundId: "c1",
      name: " 翠景 ",
      communityAreaId: nancun,
      households: 1,
      propertyCompany: "",
    };
    expect(() => decideRegisterCompound(command, initialCompoundState(), false, "s", now)).toThrow(
      /not a community/,
    );
    expect(decideRegisterCompound(command, initialCompoundState(), true, "s", now).data).toMatchObject({
      name: "翠景",
    });
    expect(() => decideRegisterCompound(command, registered(), true, "s", now)).toThrow(/already registered/);
    expect(() =>
      validateCompound({
        compoundId: "c 1",
        name: "",
        communityAreaId: "440402001",
        households: 0,
        propertyCompany: "",
      }),
    ).toThrow(/compoundId.*name.*communityAreaId.*households/);
  });

  it("refuses a committee with a person twice, two directors or a term ending before it starts", () => {
    expect(() =>
      validateCommittee({
        termStart: "2026-01-01",
        termEnd: "2025-12-31",
        members: [person("p1", "director"), person("p1", "director"), person("p2", "chair")],
      }),
    ).toThrow(
      /termEnd must be after termStart; members\[1\]\.personId is on the committee twice; members\[2\]\.post .*; members may have one director/,
    );
  });

  it("forms one committee at a time and a person at most once on it", () => {
    const formation = { termStart: "2026-01-01", termEnd: "2030-12-31", members: [person("p1", "director")] };
    const compound = apply(registered(), decideFormCommittee(formation, registered(), new Map(), "s", now));
    expect(compound.ownersCommittee?.committeeId).toBe("cuijing-1");
    expect(() => decideFormCommittee(formation, compound, new Map(), "s", now)).toThrow(
      /already has an owners/,
    );
    expect(() => decideAddCommitteeMember(person("p1", "member"), compound, new Map(), "s", now)).toThrow(
      /already on the owners' committee/,
    );
    expect(() => decideAddCommitteeMember(person("p2", "director"), compound, new Map(), "s", now)).toThrow(
      /already has a director/,
    );
    const dissolved = apply(compound, decideDissolveCommittee(compound, "2026-06-30", "换届", "s", now));
    expect(dissolved.ownersCommittee).toBeNull();
    expect(dissolved.formerCommittees).toEqual([
      {
        committeeId: "cuijing-1",
        termStart: "2026-01-01",
        termEnd: "2030-12-31",
        endedOn: "2026-06-30",
        reason: "换届",
      },
    ]);
    const next = apply(dissolved, decideFormCommittee(formation, dissolved, new Map(), "s", now));
    expect(next.ownersCommittee?.committeeId).toBe("cuijing-2");
    expect(() => decideDissolveCommittee(dissolved, "2026-06-30", "", "s", now)).toThrow(
      /no owners' committee/,
    );
  });

  it("derives cross-appointments and one person holding both posts, also when the branch comes later", () => {
    const formation = {
      termStart: "2026-01-01",
      termEnd: "2030-12-31",
      members: [
        person("p1", "director", { partyMemberId: "m-secretary" }),
        person("p2", "deputy_director", { alsoServesOn: ["residents_committee"] }),
        person("p3", "member", { partyMemberId: "m-branch" }),
        person("p4", "member", { partyMemberId: "m-elsewhere" }),
      ],
    };
    const organisations = new Map([
      ["m-secretary", "branch-1"],
      ["m-branch", "branch-1"],
      ["m-elsewhere", "branch-9"],
    ]);
    const formed = apply(registered(), decideFormCommittee(formation, registered(), organisations, "s", now));
    const crossed = (compound: ResidentialCompound) =>
      compound.ownersCommittee?.members
        .filter((member) => member.crossAppointed)
        .map((member) => member.personId);
    expect(crossed(formed)).toEqual(["p2"]);
    expect(formed.redCommittee).toBe(false);
    const covered = apply(
      formed,
      decideAssignPartyBranch(
        formed,
        branch,
        { memberId: "m-secretary", organisationId: "branch-1" },
        "s",
        now,
      ),
    );
    expect(crossed(covered)).toEqual(["p1", "p2", "p3"]);
    expect(covered.ownersCommittee?.oneShoulder).toBe(true);
    expect(covered.redCommittee).toBe(true);
    expect(
      decideAssignPartyBranch(
        covered,
        branch,
        { memberId: "m-secretary", organisationId: "branch-1" },
        "s",
        now,
      ),
    ).toBeUndefined();
  });

  it("takes only a branch of the compound's community, with a secretary of that branch", () => {
    const compound = registered();
    expect(() =>
      decideAssignPartyBranch(compound, { ...branch, level: "community_committee" }, null, "s", now),
    ).toThrow(/not a branch/);
    expect(() =>
      decideAssignPartyBranch(compound, { ...branch, branchKind: "enterprise" }, null, "s", now),
    ).toThrow(/enterprise branch/);
    expect(() =>
      decideAssignPartyBranch(compound, { ...branch, areaId: "440402001009" }, null, "s", now),
    ).toThrow(/outside community/);
    expect(() =>
      decideAssignPartyBranch(compound, branch, { memberId: "m-x", organisationId: "branch-2" }, "s", now),
    ).toThrow(/not a member of branch/);
  });
});

describe("what a change of a compound tells its followers", () => {
  it("names the compound's community and its coverage before and after the change", () => {
    const compound = registered();
    const formation = { termStart: "2026-01-01", termEnd: "2030-12-31", members: [person("p1", "director")] };
    const formed = withCoverageChange(
      compound,
      decideFormCommittee(formation, compound, new Map(), "s", now),
    );
    const none = { ownersCommittee: false, partyBranch: false, redCommittee: false };
    expect(formed.data).toMatchObject({
      areaId: nancun,
      coverage: { before: none, after: { ...none, ownersCommittee: true } },
    });
    const covered = apply(compound, formed);
    const assigned = decideAssignPartyBranch(covered, branch, null, "s", now);
    expect(assigned && withCoverageChange(covered, assigned).data).toMatchObject({
      coverage: {
        before: { ...none, ownersCommittee: true },
        after: { ownersCommittee: true, partyBranch: true, redCommittee: true },
      },
    });
  });
});

describe("a member leaving the serving committee", () => {
  const secretary = { memberId: "m-secretary", organisationId: "branch-1" };
  const serving = () => {
    const base = registered();
    const formation = {
      termStart: "2026-01-01",
      termEnd: "2030-12-31",
      members: [
        person("p1", "director", { partyMemberId: "m-secretary" }),
        person("p2", "member", { alsoServesOn: ["residents_committee"] }),
      ],
    };
    const organisations = new Map([["m-secretary", "branch-1"]]);
    const formed = apply(base, decideFormCommittee(formation, base, organisations, "s", now));
    return apply(formed, decideAssignPartyBranch(formed, branch, secretary, "s", now));
  };
  const leave = (compound: ResidentialCompound, personId: string, kind = "resigned", leftOn = "2026-06-01") =>
    apply(
      compound,
      decideCommitteeDeparture(compound, personId, { kind, leftOn, reason: " 搬离 " }, "s", now),
    );

  it("takes the director off: no 一肩挑, no director, the departure kept; the committee stays red", () => {
    const before = serving();
    expect(before.ownersCommittee?.oneShoulder).toBe(true);
    const after = leave(before, "p1");
    expect(after.ownersCommittee?.members.map((member) => member.personId)).toEqual(["p2"]);
    expect(after.ownersCommittee?.oneShoulder).toBe(false);
    expect(after.ownersCommittee?.formerMembers).toEqual([
      {
        personId: "p1",
        name: "业主p1",
        post: "director",
        partyMemberId: "m-secretary",
        partyOrganisationId: "branch-1",
        alsoServesOn: [],
        kind: "resigned",
        leftOn: "2026-06-01",
        reason: "搬离",
      },
    ]);
    expect(after.redCommittee).toBe(true);
    const coverage = redCommitteeCoverage(nancun, [after], now);
    expect(coverage).toMatchObject({ committeesWithoutDirector: 1, oneShoulderCommittees: 0 });
    expect(coverage.crossAppointedMembers).toBe(1);
  });

  it("lowers the cross-appointed count when a cross-appointed member is removed", () => {
    const before = serving();
    expect(redCommitteeCoverage(nancun, [before], now).crossAppointedMembers).toBe(2);
    const after = leave(before, "p2", "removed");
    expect(redCommitteeCoverage(nancun, [after], now)).toMatchObject({
      crossAppointedMembers: 1,
      committeesWithoutDirector: 0,
      oneShoulderCommittees: 1,
    });
    expect(after.ownersCommittee?.formerMembers[0]).toMatchObject({ personId: "p2", kind: "removed" });
  });

  it("refuses someone not on it, a second departure, a date before the term and no committee", () => {
    const compound = serving();
    const departure = { kind: "resigned", leftOn: "2026-06-01", reason: "" };
    expect(() => decideCommitteeDeparture(compound, "p9", departure, "s", now)).toThrow(/p9 is not on/);
    expect(() => decideCommitteeDeparture(leave(compound, "p2"), "p2", departure, "s", now)).toThrow(
      /p2 is not on/,
    );
    expect(() =>
      decideCommitteeDeparture(compound, "p2", { ...departure, leftOn: "2025-12-31" }, "s", now),
    ).toThrow(/leftOn/);
    expect(() => decideCommitteeDeparture(registered(), "p2", departure, "s", now)).toThrow(
      /no owners' committee/,
    );
    expect(() =>
      validateDeparture("p 1", { kind: "fired", leftOn: "2026-6-1", reason: "x".repeat(201) }),
    ).toThrow(/personId.*kind.*leftOn.*reason/);
  });

  it("lets the person join again later", () => {
    const left = leave(serving(), "p2");
    const back = apply(left, decideAddCommitteeMember(person("p2", "member"), left, new Map(), "s", now));
    expect(back.ownersCommittee?.members.map((member) => member.personId)).toEqual(["p1", "p2"]);
    expect(back.ownersCommittee?.formerMembers).toHaveLength(1);
  });
});

describe("red owners' committee coverage", () => {
  const red = (id: string) => {
    const base = registered(id);
    const formation = { termStart: "2026-01-01", termEnd: "2030-12-31", members: [person("p1", "director")] };
    const formed = apply(base, decideFormCommittee(formation, base, new Map(), "s", now));
    return apply(formed, decideAssignPartyBranch(formed, branch, null, "s", now));
  };

  it("is 100% when every compound with a committee has a branch", () => {
    expect(redCommitteeCoverage(nancun, [red("a"), red("b"), red("c")], now)).toMatchObject({
      compounds: 3,
      withOwnersCommittee: 3,
      withPartyBranch: 3,
      redCommittees: 3,
      redCommitteeCoverage: 100,
      ownersCommitteeRate: 100,
    });
  });

  it("falls below 100% with a committee lacking a branch, and ignores compounds without a committee", () => {
    const base = registered("d");
    const formation = { termStart: "2026-01-01", termEnd: "2030-12-31", members: [person("p1", "member")] };
    const withoutBranch = apply(base, decideFormCommittee(formation, base, new Map(), "s", now));
    const coverage = redCommitteeCoverage(nancun, [red("a"), red("b"), withoutBranch, registered("e")], now);
    expect(coverage).toMatchObject({
      compounds: 4,
      withOwnersCommittee: 3,
      withPartyBranch: 2,
      redCommittees: 2,
      ownersCommitteeRate: 75,
      partyBranchRate: 50,
      redCommitteeCoverage: 66.7,
    });
    expect(redCommitteeCoverage(nancun, [], now).redCommitteeCoverage).toBeNull();
  });
});

describe("committee terms", () => {
  const termEnding = (termEnd: string, id = "t") => {
    const base = registered(id);
    const formation = { termStart: "2021-01-01", termEnd, members: [person("p1", "director")] };
    return apply(base, decideFormCommittee(formation, base, new Map(), "s", now));
  };

  it("expires once the term's last day has passed in China, not in UTC", () => {
    const committee = { termEnd: "2026-12-31" };
    expect(isTermExpired(committee, new Date("2026-12-31T15:59:59Z"))).toBe(false);
    // 16:30 UTC on 31 December is already 1 January in China.
    expect(isTermExpired(committee, new Date("2026-12-31T16:30:00Z"))).toBe(true);
  });

  it("counts serving committees past their term separately, still as serving", () => {
    const lastEvening = new Date("2026-11-30T16:30:00Z");
    const coverage = redCommitteeCoverage(
      nancun,
      [
        termEnding("2026-11-30", "a"),
        termEnding("2026-12-01", "b"),
        termEnding("2025-06-30", "c"),
        registered("d"),
      ],
      lastEvening,
    );
    expect(coverage).toMatchObject({ compounds: 4, withOwnersCommittee: 3, committeesPastTerm: 2 });
    expect(redCommitteeCoverage(nancun, [termEnding("2026-11-30")], now).committeesPastTerm).toBe(1);
    expect(redCommitteeCoverage(nancun, [termEnding("2026-12-01")], now).committeesPastTerm).toBe(0);
  });
});
