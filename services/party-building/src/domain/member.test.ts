import { describe, expect, it } from "vitest";
import {
  type AdmittedMember,
  decideAdmit,
  decideRecordCommunityService,
  decideRegisterWithCommunity,
  decideTransfer,
  evolveMember,
  initialMemberState,
} from "./member.js";
import type { FoundedOrganisation } from "./organisation.js";

const now = new Date("2026-03-02T01:00:00Z");
const organiser = { subject: "po-1" };
const organisation = (organisationId: string, level: FoundedOrganisation["level"], areaId: string) =>
  ({
    status: "founded",
    organisationId,
    level,
    branchKind: level === "branch" ? "grid" : "",
    name: organisationId,
    parentId: "c",
    areaId,
    history: [],
  }) as FoundedOrganisation;
const gridBranch = organisation("b1", "branch", "440402001002003");
const enterpriseBranch = organisation("b2", "branch", "440402001005");
const points = new Map([
  ["volunteering", 2],
  ["dispute_mediation", 3],
]);

function admitted(inService: boolean): AdmittedMember {
  return evolveMember(
    initialMemberState(),
    decideAdmit(
      { memberId: "m-1", name: "陈党员", standing: "probationary", organisationId: "b1", inService },
      gridBranch,
      organiser,
      now,
    ),
  ) as AdmittedMember;
}

describe("party member", () => {
  it("is in exactly one organisation: a transfer replaces it and is remembered", () => {
    const member = admitted(false);
    const moved = evolveMember(
      member,
      decideTransfer(member, enterpriseBranch, organiser, now),
    ) as AdmittedMember;
    expect(moved).toMatchObject({ organisationId: "b2", areaId: "440402001005" });
    expect(moved.transfers).toEqual([
      { fromOrganisationId: "b1", toOrganisationId: "b2", by: "po-1", at: now.toISOString() },
    ]);
  });

  it("belongs to branches only", () => {
    const committee = organisation("c", "community_committee", "440402001002");
    expect(() =>
      decideAdmit(
        { memberId: "m-2", name: "x", standing: "formal", organisationId: "c", inService: false },
        committee,
        organiser,
        now,
      ),
    ).toThrow(expect.objectContaining({ reason: "NOT_A_BRANCH" }));
    expect(() => decideTransfer(admitted(false), committee, organiser, now)).toThrow(
      expect.objectContaining({ reason: "NOT_A_BRANCH" }),
    );
  });

  it("earns the configured points for community service after registering; registering again is no change", () => {
    const member = admitted(true);
    expect(() =>
      decideRecordCommunityService(
        { serviceId: "s1", kind: "volunteering", note: "" },
        member,
        points,
        organiser,
        now,
      ),
    ).toThrow(expect.objectContaining({ reason: "NOT_REGISTERED_WITH_COMMUNITY" }));
    const registered = evolveMember(
      member,
      decideRegisterWithCommunity("440402001003", member, organiser, now) ?? fail(),
    ) as AdmittedMember;
    expect(decideRegisterWithCommunity("440402001003", registered, organiser, now)).toBeUndefined();
    let served = registered;
    for (const kind of ["volunteering", "dispute_mediation", "dispute_mediation"]) {
      served = evolveMember(
        served,
        decideRecordCommunityService({ serviceId: kind, kind, note: "" }, served, points, organiser, now),
      ) as AdmittedMember;
    }
    expect(served).toMatchObject({ communityServices: 3, communityPoints: 8 });
    expect(() => decideRegisterWithCommunity("440402001003", admitted(false), organiser, now)).toThrow(
      expect.objectContaining({ reason: "NOT_IN_SERVICE" }),
    );
  });
});

function fail(): never {
  throw new Error("expected an event");
}
