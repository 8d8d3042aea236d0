import { FailedPreconditionError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  budgetOrDefault,
  countProject,
  decideApprove,
  decideCommit,
  decideContract,
  decideProposeMicroProject,
  decideReachMilestone,
  decideRecordAcceptance,
  decideRelease,
  decideSetBudget,
  decideShortlist,
  emptyFigures,
  evolveMicroProject,
  evolveMicroProjectBudget,
  initialMicroProjectBudgetState,
  initialMicroProjectState,
  type MicroProject,
  type MicroProjectBudget,
  type MicroProjectEvent,
  microProjectAcceptanceSubject,
  microProjectChoiceSubject,
  requireMicroProject,
} from "./micro-project.js";
import type { Vote } from "./vote.js";

const nancun = "440402001002";
const at = new Date("2026-12-01T02:00:00Z");

function proposal(): MicroProject {
  const proposed = decideProposeMicroProject({
    projectId: "p1",
    communityId: nancun,
    year: 2026,
    title: "休闲广场加装遮阳棚",
    description: "广场无遮阴",
    category: "leisure",
    proposerKind: "resident",
    proposerName: "李女士",
    estimatedFen: 4_500_000,
    by: "resident-li",
    at,
  });
  return requireMicroProject(evolveMicroProject(initialMicroProjectState(), proposed), "p1");
}

const apply = (project: MicroProject, event: MicroProjectEvent | undefined) =>
  requireMicroProject(evolveMicroProject(project, event as MicroProjectEvent), project.projectId);

function vote(overrides: Partial<Vote> = {}, elected = ["p1"], adopted = true): Vote {
  return {
    voteId: "vote-1",
    councilId: "council-1",
    areaId: nancun,
    title: "2026年民生微实事票决",
    method: "e_vote",
    rule: "plurality",
    candidates: [{ candidateId: "p1", name: "遮阳棚" }],
    seats: 1,
    building: "",
    electors: [],
    closesAt: at.toISOString(),
    subjectReference: microProjectChoiceSubject(nancun, 2026),
    openedBy: "staff-1",
    openedAt: at.toISOString(),
    status: "closed",
    result: {
      options: [],
      votesCast: 3,
      participatingAreaCentiM2: 0,
      adopted,
      reason: "the 1 candidates with most votes are elected",
      elected,
      chainHead: "",
      closedBy: "staff-1",
      closedAt: at.toISOString(),
    },
    ...overrides,
  };
}

function refusal(decide: () => unknown): string {
  try {
    decide();
  } catch (error) {
    if (error instanceof FailedPreconditionError) return error.reason;
    throw error;
  }
  throw new Error("expected a refusal");
}

const budget = (budgetFen: number): MicroProjectBudget =>
  budgetOrDefault(initialMicroProjectBudgetState(), nancun, 2026, budgetFen);

describe("micro-projects", () => {
  it("approves a shortlisted project the residents' election chose, and nothing else", () => {
    const project = proposal();
    expect(refusal(() => decideApprove(project, vote(), { approvedFen: 1, by: "s", at }))).toBe(
      "WRONG_PROJECT_STATUS",
    );
    const shortlisted = apply(project, decideShortlist(project, "staff-1", at));
    expect(decideShortlist(shortlisted, "staff-1", at)).toBeUndefined();
    const approve = (chosenBy: Vote) => () =>
      decideApprove(shortlisted, chosenBy, { approvedFen: 1, by: "s", at });
    expect(refusal(approve(vote({}, ["p2"])))).toBe("NOT_CHOSEN");
    expect(refusal(approve(vote({ subjectReference: "micro-projects:440402001002:2025" })))).toBe(
      "VOTE_ON_ANOTHER_SUBJECT",
    );
    expect(refusal(approve(vote({ areaId: "440402001009" })))).toBe("VOTE_OF_ANOTHER_AREA");
    expect(refusal(approve(vote({ rule: "simple_majority" })))).toBe("NOT_A_CHOICE");
    expect(refusal(approve(vote({ status: "open", result: undefined })))).toBe("VOTE_NOT_CLOSED");
    const approved = apply(shortlisted, approve(vote())());
    expect(approved).toMatchObject({ status: "approved", approvedFen: 1, voteId: "vote-1" });
    // A retried approval is nothing to do.
    expect(decideApprove(approved, vote(), { approvedFen: 1, by: "s", at })).toBeUndefined();
  });

  it("commits approvals to the year's budget, never beyond it, once per project", () => {
    let kept = budget(1_000_000);
    for (const projectId of ["a", "b", "c"]) {
      const committed = decideCommit(kept, { projectId, amountFen: 300_000, by: "s", at });
      kept = evolveMicroProjectBudget(kept, committed as never) as MicroProjectBudget;
    }
    expect(kept).toMatchObject({ committedFen: 900_000, budgetFen: 1_000_000 });
    expect(refusal(() => decideCommit(kept, { projectId: "d", amountFen: 100_001, by: "s", at }))).toBe(
      "BUDGET_EXCEEDED",
    );
    expect(decideCommit(kept, { projectId: "a", amountFen: 999, by: "s", at })).toBeUndefined();
    const released = evolveMicroProjectBudget(
      kept,
      decideRelease(kept, { projectId: "b", by: "s", at }) as never,
    );
    expect(released).toMatchObject({ committedFen: 600_000 });
    expect(decideRelease(released as MicroProjectBudget, { projectId: "b", by: "s", at })).toBeUndefined();
    expect(decideCommit(kept, { projectId: "d", amountFen: 100_000, by: "s", at })).toBeDefined();
    expect(refusal(() => decideSetBudget(kept, { budgetFen: 899_999, reason: "cut", by: "s", at }))).toBe(
      "BUDGET_BELOW_COMMITTED",
    );
    const set = evolveMicroProjectBudget(
      kept,
      decideSetBudget(kept, { budgetFen: 900_000, reason: "cut", by: "s", at }),
    );
    expect(set).toMatchObject({ budgetFen: 900_000, setExplicitly: true });
  });

  it("keeps the budget a first commitment carried, the configured default, until the street sets one", () => {
    const first = decideCommit(budget(200_000_000), { projectId: "a", amountFen: 5, by: "s", at });
    const kept = evolveMicroProjectBudget(initialMicroProjectBudgetState(), first as never);
    expect(kept).toMatchObject({ budgetFen: 200_000_000, setExplicitly: false, committedFen: 5 });
  });

  it("follows milestones to completion and residents' acceptance or rework", () => {
    let project = apply(proposal(), decideShortlist(proposal(), "s", at));
    project = apply(project, decideApprove(project, vote(), { approvedFen: 10, by: "s", at }));
    project = apply(
      project,
      decideContract(project, {
        implementerKind: "organisation",
        implementerName: "某社工服务中心",
        creditCode: "52440400MJL1234567",
        milestones: [
          { title: "开班", dueDate: "2027-03-01" },
          { title: "结项", dueDate: "2027-06-30" },
        ],
        by: "s",
        at,
      }),
    );
    expect(project.status).toBe("under_way");
    const photo = ["https://img.example.cn/1.jpg"];
    project = apply(
      project,
      decideReachMilestone(project, { milestoneId: "1", note: "", photoUrls: photo, by: "s", at }),
    );
    expect(project.status).toBe("under_way");
    expect(
      refusal(() =>
        decideReachMilestone(project, { milestoneId: "1", note: "", photoUrls: [], by: "s", at }),
      ),
    ).toBe("MILESTONE_ALREADY_REACHED");
    project = apply(
      project,
      decideReachMilestone(project, { milestoneId: "2", note: "", photoUrls: [], by: "s", at }),
    );
    expect(project.status).toBe("completed");
    const acceptance = (voteId: string, adopted: boolean) =>
      vote(
        { voteId, rule: "simple_majority", subjectReference: microProjectAcceptanceSubject("p1") },
        [],
        adopted,
      );
    project = apply(
      project,
      decideRecordAcceptance(project, acceptance("v2", false), { photoUrls: [], by: "s", at }),
    );
    expect(project.status).toBe("rework");
    expect(
      refusal(() => decideRecordAcceptance(project, acceptance("v2", true), { photoUrls: [], by: "s", at })),
    ).toBe("VOTE_ALREADY_USED");
    project = apply(
      project,
      decideRecordAcceptance(project, acceptance("v3", true), { photoUrls: photo, by: "s", at }),
    );
    expect(project).toMatchObject({ status: "accepted", acceptanceVoteId: "v3", acceptancePhotoUrls: photo });

    const figures = emptyFigures(nancun, 2026);
    countProject(figures, project);
    countProject(figures, proposal());
    expect(figures).toMatchObject({ proposed: 2, approved: 1, approvedFen: 10 });
    expect(figures.byStatus).toMatchObject({ accepted: 1, proposed: 1 });
  });
});
