import { AlreadyExistsError, FailedPreconditionError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { violationsOf } from "../testing/thrown.js";
import {
  currentCreditLists,
  decideChangeStatus,
  decideEnterCreditList,
  decideRecordAnnualReport,
  decideRegisterOrganisation,
  decideRemoveFromCreditList,
  decideSetPartyBranchCoverage,
  evolveOrganisation,
  initialOrganisationState,
  type Organisation,
  type OrganisationEvent,
  type OrganisationState,
} from "./organisation.js";

const officer = { subject: "civil-affairs-1" };
const now = new Date("2026-03-02T02:00:00Z");
const register = {
  creditCode: "51440402MJL000016P",
  name: "拱北街道南村社区长者关爱协会",
  legalForm: "social_group",
  category: "community_service",
  areaId: "440402001002",
  filedOn: "2026-03-01",
};

function replay(...events: OrganisationEvent[]): OrganisationState {
  return events.reduce(evolveOrganisation, initialOrganisationState());
}

function organisationWith(...actions: string[]): Organisation {
  let state = replay(decideRegisterOrganisation(register, initialOrganisationState(), officer, now));
  for (const action of actions) {
    state = evolveOrganisation(
      state,
      decideChangeStatus(
        { action, reason: "年检不合格", effectiveOn: "" },
        state as Organisation,
        officer,
        now,
      ),
    );
  }
  return state as Organisation;
}

describe("registering an organisation", () => {
  it("files it with its code, form, category and area", () => {
    const state = replay(decideRegisterOrganisation(register, initialOrganisationState(), officer, now));
    expect(state).toMatchObject({
      status: "filed",
      creditCode: "51440402MJL000016P",
      legalForm: "social_group",
      statusHistory: [{ status: "filed", effectiveOn: "2026-03-01", recordedBy: "civil-affairs-1" }],
      partyBranchCovered: false,
    });
  });

  it("refuses a wrong check character, naming the expected one", () => {
    expect(
      violationsOf(() =>
        decideRegisterOrganisation(
          { ...register, creditCode: "51440402MJL000016Q" },
          initialOrganisationState(),
          officer,
          now,
        ),
      ),
    ).toEqual([{ field: "creditCode", description: "has the wrong check character: expected 'P'" }]);
  });

  it("refuses a civil-affairs legal form whose code says another form", () => {
    expect(
      violationsOf(() =>
        decideRegisterOrganisation(
          { ...register, legalForm: "foundation" },
          initialOrganisationState(),
          officer,
          now,
        ),
      ),
    ).toEqual([
      {
        field: "creditCode",
        description: "a foundation registered with civil affairs has a code starting 53",
      },
    ]);
  });

  it("lists every bad field at once", () => {
    const fields = violationsOf(() =>
      decideRegisterOrganisation(
        {
          creditCode: "",
          name: " ",
          legalForm: "club",
          category: "sports",
          areaId: "44",
          filedOn: "2026-02-30",
        },
        initialOrganisationState(),
        officer,
        now,
      ),
    ).map((violation) => violation.field);
    expect(fields).toEqual(["creditCode", "name", "legalForm", "category", "areaId", "filedOn"]);
  });

  it("refuses a code that is already registered", () => {
    const existing = replay(decideRegisterOrganisation(register, initialOrganisationState(), officer, now));
    expect(() => decideRegisterOrganisation(register, existing, officer, now)).toThrow(AlreadyExistsError);
  });
});

describe("the status lifecycle", () => {
  it("goes filed → registered → active ⇄ suspended → revoked with reasons and dates", () => {
    const organisation = organisationWith(
      "approve_registration",
      "activate",
      "suspend",
      "resume",
      "suspend",
      "revoke",
    );
    expect(organisation.status).toBe("revoked");
    expect(organisation.statusHistory.map((change) => change.status)).toEqual([
      "filed",
      "registered",
      "active",
      "suspended",
      "active",
      "suspended",
      "revoked",
    ]);
    expect(organisation.statusHistory.at(-1)).toMatchObject({
      reason: "年检不合格",
      effectiveOn: "2026-03-02",
    });
  });

  it("refuses an illegal transition, naming the current status", () => {
    const filed = organisationWith();
    expect(() =>
      decideChangeStatus({ action: "activate", reason: "", effectiveOn: "" }, filed, officer, now),
    ).toThrow(
      expect.objectContaining({
        name: "FailedPreconditionError",
        reason: "ILLEGAL_STATUS_TRANSITION",
        message: "cannot activate an organisation that is filed (only when registered)",
      }),
    );
    const deregistered = organisationWith("approve_registration", "activate", "deregister");
    expect(() =>
      decideChangeStatus({ action: "resume", reason: "", effectiveOn: "" }, deregistered, officer, now),
    ).toThrow(/that is deregistered/);
  });

  it("needs a reason to suspend, deregister or revoke, and a date not before the last change", () => {
    const active = organisationWith("approve_registration", "activate");
    expect(
      violationsOf(() =>
        decideChangeStatus({ action: "suspend", reason: " ", effectiveOn: "" }, active, officer, now),
      ),
    ).toEqual([{ field: "reason", description: "is required to suspend" }]);
    expect(
      violationsOf(() =>
        decideChangeStatus(
          { action: "suspend", reason: "x", effectiveOn: "2026-02-01" },
          active,
          officer,
          now,
        ),
      ),
    ).toEqual([{ field: "effectiveOn", description: "must not be before the last change, 2026-03-02" }]);
  });
});

describe("credit lists, annual reports and party-branch coverage", () => {
  it("enters and removes an organisation from a list, keeping the history", () => {
    let organisation = organisationWith("approve_registration", "activate");
    const entered = decideEnterCreditList(
      { list: "abnormal_activity", reason: "未按时年检", enteredOn: "2026-03-02" },
      organisation,
      officer,
      now,
    );
    organisation = evolveOrganisation(organisation, entered) as Organisation;
    expect(currentCreditLists(organisation)).toEqual(["abnormal_activity"]);
    expect(() =>
      decideEnterCreditList(
        { list: "abnormal_activity", reason: "again", enteredOn: "" },
        organisation,
        officer,
        now,
      ),
    ).toThrow(/already on the abnormal_activity list/);
    expect(
      violationsOf(() =>
        decideRemoveFromCreditList(
          { list: "abnormal_activity", reason: "补报", removedOn: "2026-01-01" },
          organisation,
          officer,
          now,
        ),
      ),
    ).toEqual([{ field: "removedOn", description: "must not be before the entry, 2026-03-02" }]);
    organisation = evolveOrganisation(
      organisation,
      decideRemoveFromCreditList(
        { list: "abnormal_activity", reason: "已补报年检", removedOn: "" },
        organisation,
        officer,
        now,
      ),
    ) as Organisation;
    expect(currentCreditLists(organisation)).toEqual([]);
    expect(organisation.creditListEntries).toEqual([
      {
        list: "abnormal_activity",
        reason: "未按时年检",
        enteredOn: "2026-03-02",
        removedOn: "2026-03-02",
        removalReason: "已补报年检",
      },
    ]);
    expect(() =>
      decideRemoveFromCreditList(
        { list: "serious_illegality", reason: "x", removedOn: "" },
        organisation,
        officer,
        now,
      ),
    ).toThrow(/not on the serious_illegality list/);
  });

  it("keeps a filed organisation off the lists", () => {
    expect(() =>
      decideEnterCreditList(
        { list: "serious_illegality", reason: "x", enteredOn: "" },
        organisationWith(),
        officer,
        now,
      ),
    ).toThrow(FailedPreconditionError);
  });

  it("records one annual report per past year", () => {
    let organisation = organisationWith("approve_registration", "activate");
    organisation = evolveOrganisation(
      organisation,
      decideRecordAnnualReport(
        { year: 2025, result: "basically_qualified", note: "" },
        organisation,
        officer,
        now,
      ),
    ) as Organisation;
    expect(organisation.annualReports).toMatchObject([{ year: 2025, result: "basically_qualified" }]);
    expect(() =>
      decideRecordAnnualReport({ year: 2025, result: "qualified", note: "" }, organisation, officer, now),
    ).toThrow(/2025 is already recorded/);
    expect(
      violationsOf(() =>
        decideRecordAnnualReport({ year: 2026, result: "excellent", note: "" }, organisation, officer, now),
      ),
    ).toEqual([
      { field: "year", description: "must be a past year, 2000 to 2025" },
      { field: "result", description: "must be one of qualified, basically_qualified, unqualified" },
    ]);
  });

  it("records party-branch coverage only when it changes", () => {
    const organisation = organisationWith();
    const covered = decideSetPartyBranchCoverage(true, organisation, officer, now);
    expect(covered).toMatchObject({
      type: "organisation.party_branch_coverage_set",
      data: { covered: true },
    });
    expect(decideSetPartyBranchCoverage(false, organisation, officer, now)).toBeUndefined();
  });
});
