import { FailedPreconditionError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  type CharityProject,
  type CharityProjectEvent,
  decideComplete,
  decideEvaluate,
  decidePostNeed,
  decideReachMilestone,
  decideRecordFunding,
  decideSelectProposal,
  decideStartCoordination,
  decideStartDelivery,
  decideSubmitProposal,
  evolveCharityProject,
  fundingTotals,
  initialCharityProjectState,
} from "./charity-project.js";

const hub = { subject: "hub-xz" };
const now = new Date("2026-11-20T02:00:00Z");
const organisation = "51440402MJL000016P";
const origin = { domain: "deliberation", reference: "task-7" };

function apply(project: CharityProject, event: CharityProjectEvent): CharityProject {
  return evolveCharityProject(project, event) as CharityProject;
}

/** A need from a deliberation task, coordinated, with the organisation's 100,000 fen proposal selected. */
function fundedProject(): { project: CharityProject; events: CharityProjectEvent[] } {
  const events: CharityProjectEvent[] = [];
  const step = (project: CharityProject, event: CharityProjectEvent) => {
    events.push(event);
    return apply(project, event);
  };
  const posted = decidePostNeed(
    {
      projectId: "p-1",
      areaId: "440402001002",
      title: "长者助餐",
      description: "为南村社区独居长者送餐",
      askedFen: 120_000,
      origin,
    },
    hub,
    now,
  );
  events.push(posted);
  let project = evolveCharityProject(initialCharityProjectState(), posted) as CharityProject;
  project = step(project, decideStartCoordination(project, hub, now));
  project = step(
    project,
    decideSubmitProposal(
      { proposalId: "pr-1", organisationCreditCode: organisation, plan: "每周三次送餐", budgetFen: 100_000 },
      project,
      hub,
      now,
    ),
  );
  project = step(project, decideSelectProposal("pr-1", project, hub, now));
  return { project, events };
}

const funding = (kind: string, funderKind: string, funderId: string, amountFen: number) => ({
  transactionId: `t-${Math.random()}`,
  kind,
  funder: { kind: funderKind, funderId, name: funderId },
  amountFen,
  on: "",
});

/** The project after a funding record that is allowed. */
const funded = (
  project: CharityProject,
  kind: string,
  funderKind: string,
  funderId: string,
  amountFen: number,
) => apply(project, decideRecordFunding(funding(kind, funderKind, funderId, amountFen), project, hub, now));

describe("a micro-charity venture project", () => {
  it("follows the chain from need to evaluation, the task's progress on each step", () => {
    let { project, events } = fundedProject();
    expect(project).toMatchObject({
      status: "funding",
      deliveringOrganisation: organisation,
      requestedFen: 100_000,
    });
    const record = (event: CharityProjectEvent) => {
      events.push(event);
      project = apply(project, event);
    };
    record(
      decideRecordFunding(funding("commitment", "government", "xz-civil-affairs", 60_000), project, hub, now),
    );
    record(decideRecordFunding(funding("commitment", "enterprise", "gree", 40_000), project, hub, now));
    record(decideStartDelivery(project, hub, now));
    record(
      decideReachMilestone(
        { title: "首月送餐完成", progressPercent: 60, reachedOn: "", note: "" },
        project,
        hub,
        now,
      ),
    );
    record(decideComplete({ peopleServed: 86, completedOn: "" }, project, hub, now));
    record(
      decideEvaluate(
        { scores: { relevance: 92, delivery: 85, effect: 88, finance: 90 }, comment: "第三方评估" },
        project,
        { subject: "evaluator-1" },
        now,
      ),
    );
    expect(project).toMatchObject({ status: "evaluated", peopleServed: 86, evaluation: { overall: 88.8 } });
    expect(events.map((event) => event.data.origin)).toEqual(events.map(() => origin));
    expect(
      events.flatMap((event) => ("taskProgress" in event.data ? [event.data.taskProgress?.percent] : [])),
    ).toEqual([0, 10, 25, 40, 60, 100]);
  });

  it("never commits more than the project asks", () => {
    let { project } = fundedProject();
    project = funded(project, "commitment", "government", "gov", 70_000);
    expect(() =>
      decideRecordFunding(funding("commitment", "enterprise", "gree", 30_001), project, hub, now),
    ).toThrow(
      expect.objectContaining({
        reason: "FUNDING_EXCEEDS_NEED",
        message: "a commitment of 30001 fen would exceed the need: 30000 of 100000 fen still open",
      }),
    );
    expect(() =>
      decideRecordFunding(funding("application", "enterprise", "gree", 30_001), project, hub, now),
    ).toThrow(FailedPreconditionError);
    project = funded(project, "commitment", "enterprise", "gree", 30_000);
    expect(fundingTotals(project)).toMatchObject({ committedFen: 100_000, openFen: 0 });
  });

  it("disburses at most what a funder committed and has not paid", () => {
    let { project } = fundedProject();
    project = funded(project, "commitment", "enterprise", "gree", 40_000);
    project = funded(project, "disbursement", "enterprise", "gree", 25_000);
    expect(() =>
      decideRecordFunding(funding("disbursement", "enterprise", "gree", 15_001), project, hub, now),
    ).toThrow(expect.objectContaining({ reason: "DISBURSEMENT_EXCEEDS_COMMITMENT" }));
    expect(() =>
      decideRecordFunding(funding("disbursement", "government", "gov", 1), project, hub, now),
    ).toThrow(FailedPreconditionError);
    expect(fundingTotals(project)).toMatchObject({ disbursedFen: 25_000, committedFen: 40_000 });
  });

  it("computes the leverage ratio: social money committed per government yuan", () => {
    let { project } = fundedProject();
    expect(fundingTotals(project).leverageRatio).toBeNull();
    // The seed: 57.69 million yuan of government money leveraged about 10 million → 0.17.
    project = { ...project, requestedFen: 6_769_000_000 };
    project = funded(project, "commitment", "government", "xz", 5_769_000_000);
    project = funded(project, "commitment", "enterprise", "many", 1_000_000_000);
    expect(fundingTotals(project).leverageRatio).toBe(0.17);
  });

  it("refuses evaluation scores out of range, naming each", () => {
    let { project } = fundedProject();
    project = funded(project, "commitment", "government", "gov", 1);
    project = apply(project, decideStartDelivery(project, hub, now));
    project = apply(project, decideComplete({ peopleServed: 3, completedOn: "" }, project, hub, now));
    try {
      decideEvaluate(
        { scores: { relevance: 101, delivery: -1, effect: 80.5, taste: 3 }, comment: "" },
        project,
        hub,
        now,
      );
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).violations.map((violation) => violation.field)).toEqual([
        "scores.relevance",
        "scores.delivery",
        "scores.effect",
        "scores.finance",
        "scores.taste",
      ]);
    }
  });

  it("refuses steps out of order and proposals above what the need asks", () => {
    const { project } = fundedProject();
    expect(() => decideStartCoordination(project, hub, now)).toThrow(
      "cannot start coordinating a project that is funding (only when need posted)",
    );
    expect(() => decideStartDelivery(project, hub, now)).toThrow(
      expect.objectContaining({ reason: "NOTHING_COMMITTED" }),
    );
    const coordinating = { ...project, status: "coordinating" as const, proposals: [] };
    expect(() =>
      decideSubmitProposal(
        { proposalId: "pr-2", organisationCreditCode: organisation, plan: "x", budgetFen: 120_001 },
        coordinating,
        hub,
        now,
      ),
    ).toThrow(InvalidArgumentError);
  });

  it("needs milestones to move forward, below completion", () => {
    let { project } = fundedProject();
    project = funded(project, "commitment", "government", "gov", 1);
    project = apply(project, decideStartDelivery(project, hub, now));
    project = apply(
      project,
      decideReachMilestone(
        { title: "一半", progressPercent: 50, reachedOn: "", note: "" },
        project,
        hub,
        now,
      ),
    );
    for (const progressPercent of [50, 100]) {
      expect(() =>
        decideReachMilestone({ title: "x", progressPercent, reachedOn: "", note: "" }, project, hub, now),
      ).toThrow(InvalidArgumentError);
    }
  });
});
