import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  decideFound,
  decideMove,
  decideRename,
  evolveOrganisation,
  type FoundedOrganisation,
  type FoundOrganisation,
  initialOrganisationState,
  type OrganisationState,
} from "./organisation.js";

const now = new Date("2026-03-02T01:00:00Z");
const organiser = { subject: "po-1" };
const none = initialOrganisationState();

function found(
  command: Partial<FoundOrganisation> & Pick<FoundOrganisation, "organisationId" | "level" | "areaId">,
  parent: OrganisationState = none,
) {
  const state = evolveOrganisation(
    none,
    decideFound(
      { name: command.organisationId, branchKind: "", parentId: "", ...command },
      parent,
      organiser,
      now,
    ),
  );
  return state as FoundedOrganisation;
}

describe("organisation tree", () => {
  const district = found({ organisationId: "d", level: "district_committee", areaId: "440402" });
  const street = found(
    { organisationId: "s", level: "street_working_committee", areaId: "440402001", parentId: "d" },
    district,
  );
  const community = found(
    { organisationId: "c", level: "community_committee", areaId: "440402001002", parentId: "s" },
    street,
  );
  const branch = found(
    { organisationId: "b", level: "branch", branchKind: "grid", areaId: "440402001002003", parentId: "c" },
    community,
  );

  it("founds each level under the level above, inside the parent's area", () => {
    expect(branch).toMatchObject({
      level: "branch",
      branchKind: "grid",
      parentId: "c",
      history: [{ kind: "founded" }],
    });
    const group = found(
      { organisationId: "g", level: "party_group", areaId: "440402001002003", parentId: "b" },
      branch,
    );
    expect(group.parentId).toBe("b");
  });

  it.each([
    {
      refusal: "a wrong parent level",
      command: { level: "branch", branchKind: "grid", name: "x", parentId: "s", areaId: "440402001002" },
      parent: street,
      error: expect.objectContaining({ reason: "WRONG_PARENT_LEVEL" }),
    },
    {
      refusal: "an area outside the parent",
      command: {
        level: "community_committee",
        branchKind: "",
        name: "x",
        parentId: "s",
        areaId: "440402002001",
      },
      parent: street,
      error: expect.objectContaining({ reason: "AREA_OUTSIDE_PARENT" }),
    },
    {
      refusal: "a missing parent",
      command: {
        level: "community_committee",
        branchKind: "",
        name: "x",
        parentId: "s",
        areaId: "440402001009",
      },
      parent: none,
      error: NotFoundError,
    },
    {
      refusal: "bad fields",
      command: { level: "party_group", branchKind: "grid", name: " ", parentId: "", areaId: "1" },
      parent: none,
      error: InvalidArgumentError,
    },
  ] as const)("refuses $refusal", ({ command, parent, error }) => {
    expect(() => decideFound({ organisationId: "x", ...command }, parent, organiser, now)).toThrow(error);
  });

  it("keeps renames and moves in the history; the same name or place is no change", () => {
    const renamed = evolveOrganisation(branch, decideRename("网格党支部", branch, organiser, now) ?? fail());
    expect(decideRename("网格党支部", renamed as FoundedOrganisation, organiser, now)).toBeUndefined();
    const otherCommunity = found(
      { organisationId: "c2", level: "community_committee", areaId: "440402001003", parentId: "s" },
      street,
    );
    const moved = evolveOrganisation(
      renamed,
      decideMove(
        { newParentId: "c2", areaId: "440402001003" },
        renamed as FoundedOrganisation,
        otherCommunity,
        ["s", "d"],
        organiser,
        now,
      ) ?? fail(),
    );
    expect(moved).toMatchObject({ parentId: "c2", areaId: "440402001003" });
    expect((moved as FoundedOrganisation).history.map((change) => change.kind)).toEqual([
      "founded",
      "renamed",
      "moved",
    ]);
    expect(
      decideMove(
        { newParentId: "c2", areaId: "" },
        moved as FoundedOrganisation,
        otherCommunity,
        ["s", "d"],
        organiser,
        now,
      ),
    ).toBeUndefined();
  });

  it("names a cycle: under itself or under one of its descendants", () => {
    expect(() => decideMove({ newParentId: "s", areaId: "" }, street, street, ["d"], organiser, now)).toThrow(
      expect.objectContaining({ reason: "ORGANISATION_CYCLE" }),
    );
    expect(() =>
      decideMove({ newParentId: "b", areaId: "" }, street, branch, ["c", "s", "d"], organiser, now),
    ).toThrow(FailedPreconditionError);
  });
});

function fail(): never {
  throw new Error("expected an event");
}
