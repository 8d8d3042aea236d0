import { FailedPreconditionError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import type { CaseState } from "./case.js";
import {
  type Dispute,
  type DisputeEvent,
  decideFollowUp,
  decideOpenDispute,
  decideRecordOutcome,
  decideRecordSession,
  evolveDispute,
  initialDisputeState,
  isDisputeCategory,
  mayMediate,
} from "./dispute.js";
import {
  countMediation,
  emptyMediationCounters,
  mediationKeysOf,
  mediationRate,
  mediationRateKeyFor,
} from "./mediation-rate.js";

const at = new Date("2026-11-03T02:00:00Z");
const caseOf = (overrides: Record<string, unknown> = {}) =>
  ({
    status: "accepted",
    caseId: "case-1",
    areaId: "440402001002003",
    categoryCode: "neighbour-dispute",
    title: "Leak from above",
    ...overrides,
  }) as unknown as CaseState;
const participants = {
  key: false,
  parties: [
    { name: "Zhang", role: "applicant" },
    { name: "Li", role: "respondent" },
  ],
  mediators: [{ mediatorId: "med-chen", name: "Chen", kind: "building_head" }],
};

const replay = (...events: DisputeEvent[]) => events.reduce(evolveDispute, initialDisputeState()) as Dispute;
const opened = () => replay(decideOpenDispute(caseOf(), "case-1", { ...participants, by: "cs-1", at }));
const withSession = () => {
  const dispute = opened();
  return evolveDispute(
    dispute,
    decideRecordSession(dispute, {
      heldOn: "2026-11-03",
      place: "Room 1",
      summary: "Heard",
      by: "med-chen",
      at,
    }),
  ) as Dispute;
};

const violationsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error.violations.map((violation) => violation.field);
    throw error;
  }
  return [];
};

describe("dispute mediation", () => {
  it("knows a dispute by its category code", () => {
    expect(isDisputeCategory("neighbour-dispute")).toBe(true);
    expect(isDisputeCategory("noise-nuisance")).toBe(false);
  });

  it("opens only a dispute case that is still open, with an applicant, a respondent and a mediator", () => {
    expect(opened()).toMatchObject({
      status: "in_mediation",
      caseId: "case-1",
      sessions: [],
      openedBy: "cs-1",
    });
    const refusal = (state: CaseState) => () =>
      decideOpenDispute(state, "case-1", { ...participants, by: "cs-1", at });
    expect(refusal(caseOf({ categoryCode: "road-damage" }))).toThrow(FailedPreconditionError);
    expect(refusal(caseOf({ status: "closed" }))).toThrow(/closed/);
    expect(
      violationsOf(() =>
        decideOpenDispute(caseOf(), "case-1", {
          key: false,
          parties: [{ name: "Zhang", role: "applicant" }],
          mediators: [
            { mediatorId: "m", name: "A", kind: "judge" },
            { mediatorId: "m", name: "B", kind: "party_member" },
          ],
          by: "cs-1",
          at,
        }),
      ),
    ).toEqual(["parties", "mediators[0].kind", "mediators[1].mediatorId"]);
  });

  it("records sessions held on a day that has come, then one outcome after a session", () => {
    const dispute = opened();
    expect(
      violationsOf(() =>
        decideRecordSession(dispute, { heldOn: "2026-11-04", place: "", summary: "x", by: "m", at }),
      ),
    ).toEqual(["heldOn", "place"]);
    expect(() =>
      decideRecordOutcome(dispute, { outcome: "agreement", terms: "t", reason: "", by: "m", at }),
    ).toThrow(/no mediation session/);
    const agreed = evolveDispute(
      withSession(),
      decideRecordOutcome(withSession(), { outcome: "agreement", terms: "Repair", reason: "", by: "m", at }),
    ) as Dispute;
    expect(agreed).toMatchObject({ status: "agreed", outcome: { terms: "Repair", recordedBy: "m" } });
    expect(() =>
      decideRecordOutcome(agreed, { outcome: "failure", terms: "", reason: "r", by: "m", at }),
    ).toThrow(/closed/);
  });

  it("checks an outcome's fields by its kind", () => {
    const dispute = withSession();
    expect(
      violationsOf(() =>
        decideRecordOutcome(dispute, {
          outcome: "agreement",
          terms: "",
          reason: "r",
          referral: { body: "court", name: "" },
          by: "m",
          at,
        }),
      ),
    ).toEqual(["terms", "reason", "referral"]);
    expect(
      violationsOf(() =>
        decideRecordOutcome(dispute, {
          outcome: "failure",
          terms: "",
          reason: "r",
          referral: { body: "other", name: "" },
          by: "m",
          at,
        }),
      ),
    ).toEqual(["referral.name"]);
    expect(
      violationsOf(() =>
        decideRecordOutcome(dispute, { outcome: "maybe", terms: "", reason: "", by: "m", at }),
      ),
    ).toEqual(["outcome"]);
  });

  it("follows up an agreement once, not a failure", () => {
    const failed = evolveDispute(
      withSession(),
      decideRecordOutcome(withSession(), {
        outcome: "failure",
        terms: "",
        reason: "refused",
        referral: { body: "court", name: "Xiangzhou court" },
        by: "m",
        at,
      }),
    ) as Dispute;
    const visit = { visitedOn: "2026-11-03", agreementKept: true, note: "", by: "m", at };
    expect(() => decideFollowUp(failed, visit)).toThrow(/no agreement/);
    const agreed = evolveDispute(
      withSession(),
      decideRecordOutcome(withSession(), { outcome: "agreement", terms: "Repair", reason: "", by: "m", at }),
    ) as Dispute;
    const visited = evolveDispute(agreed, decideFollowUp(agreed, visit)) as Dispute;
    expect(visited.followUp).toMatchObject({ agreementKept: true, visitedBy: "m" });
    expect(() => decideFollowUp(visited, visit)).toThrow(/already/);
  });

  it("lets the area's staff and the dispute's own mediators mediate", () => {
    const dispute = opened();
    expect(mayMediate({ subject: "med-chen", roles: [], areas: [] }, dispute)).toBe(true);
    expect(mayMediate({ subject: "cs", roles: ["community_staff"], areas: ["440402001002"] }, dispute)).toBe(
      true,
    );
    expect(mayMediate({ subject: "cs", roles: ["community_staff"], areas: ["440402001003"] }, dispute)).toBe(
      false,
    );
    expect(mayMediate({ subject: "cc", roles: ["command_centre"], areas: [] }, dispute)).toBe(true);
  });
});

describe("mediation rate", () => {
  it("counts an outcome for its area and each above it up to the city, by month and year in China time", () => {
    const agreed = decideRecordOutcome(withSession(), {
      outcome: "agreement",
      terms: "Repair",
      reason: "",
      by: "m",
      at: new Date("2026-11-30T17:00:00Z"),
    });
    expect(mediationKeysOf(agreed)).toEqual([
      "440400/2026-12",
      "440400/2026",
      "440402/2026-12",
      "440402/2026",
      "440402001/2026-12",
      "440402001/2026",
      "440402001002/2026-12",
      "440402001002/2026",
      "440402001002003/2026-12",
      "440402001002003/2026",
    ]);
    expect(mediationKeysOf(withSessionEvent())).toEqual([]);
  });

  it("is agreements over disputes closed, two decimals, none when nothing closed", () => {
    let counters = emptyMediationCounters();
    expect(mediationRate(counters)).toBeNull();
    const agreement = decideRecordOutcome(withSession(), {
      outcome: "agreement",
      terms: "t",
      reason: "",
      by: "m",
      at,
    });
    const failure = decideRecordOutcome(withSession(), {
      outcome: "failure",
      terms: "",
      reason: "r",
      referral: { body: "court", name: "" },
      by: "m",
      at,
    });
    for (let index = 0; index < 24; index++) counters = countMediation(counters, agreement);
    counters = countMediation(counters, failure);
    expect(counters).toEqual({
      closed: 25,
      agreements: 24,
      failures: 1,
      referred: 1,
      keyClosed: 0,
      keyAgreements: 0,
    });
    expect(mediationRate(counters)).toBe(96);
    expect(mediationRate({ ...counters, closed: 3, agreements: 2 })).toBe(66.67);
  });

  it("is read by the command centre anywhere and by staff in their areas", () => {
    const staff = { subject: "cs", roles: ["community_staff"], areas: ["440402001002"] };
    expect(mediationRateKeyFor("440402001002", "2026", staff)).toBe("440402001002/2026");
    expect(() => mediationRateKeyFor("440402001", "2026-11", staff)).toThrow(/command centre/);
    expect(
      mediationRateKeyFor("440400", "2026-11", { subject: "cc", roles: ["command_centre"], areas: [] }),
    ).toBe("440400/2026-11");
    expect(violationsOf(() => mediationRateKeyFor("44x", "2026-13", staff))).toEqual(["areaId", "period"]);
  });
});

function withSessionEvent(): DisputeEvent {
  return decideRecordSession(opened(), { heldOn: "2026-11-03", place: "Room", summary: "s", by: "m", at });
}
