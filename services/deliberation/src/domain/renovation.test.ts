import { FailedPreconditionError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  decideConcludeConsultation,
  decideCreateProgramme,
  decideCreateRenovationProject,
  decideLinkConsultation,
  decideListCompound,
  decideReportProgress,
  decideStartConstruction,
  evolveRenovationProgramme,
  evolveRenovationProject,
  initialRenovationProgrammeState,
  initialRenovationProjectState,
  progressByPhase,
  type RenovationProgramme,
  type RenovationProject,
  type RenovationProjectEvent,
  requireProgramme,
  requireRenovationProject,
} from "./renovation.js";

const street = "440402001";
const compound = "440402001002003";
const at = new Date("2026-12-01T02:00:00Z");

function programme(): RenovationProgramme {
  let state = evolveRenovationProgramme(
    initialRenovationProgrammeState(),
    decideCreateProgramme({
      programmeId: "prog-1",
      areaId: street,
      name: "老旧小区改造2021—2025",
      phases: [
        { name: "实施一批", startYear: 2021, endYear: 2021 },
        { name: "谋划一批", startYear: 2021, endYear: 2023 },
      ],
      by: "s",
      at,
    }),
  );
  for (const [compoundId, phaseId] of [
    [compound, "1"],
    ["440402001009", "2"],
  ] as const) {
    state = evolveRenovationProgramme(
      state,
      decideListCompound(requireProgramme(state, "prog-1"), {
        compoundId,
        name: compoundId,
        phaseId,
        by: "s",
        at,
      }),
    );
  }
  return requireProgramme(state, "prog-1");
}

const apply = (project: RenovationProject, event: RenovationProjectEvent) =>
  requireRenovationProject(evolveRenovationProject(project, event), project.projectId);

function project(compoundId = compound): RenovationProject {
  const created = decideCreateRenovationProject(programme(), {
    projectId: `p-${compoundId}`,
    compoundId,
    title: "外立面改造",
    works: ["facade", "fire_safety"],
    budgetFen: 0,
    plannedStart: "2021-03-01",
    plannedEnd: "2021-12-31",
    by: "s",
    at,
  });
  return requireRenovationProject(
    evolveRenovationProject(initialRenovationProjectState(), created),
    `p-${compoundId}`,
  );
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

describe("old-compound renovation", () => {
  it("lists a compound once, in a phase of the programme and within its area", () => {
    const listed = programme();
    expect(
      refusal(() =>
        decideListCompound(listed, { compoundId: compound, name: "", phaseId: "2", by: "s", at }),
      ),
    ).toBe("COMPOUND_ALREADY_LISTED");
    expect(() =>
      decideListCompound(listed, { compoundId: "440403001001", name: "", phaseId: "3", by: "s", at }),
    ).toThrow(/phaseId.*compoundId|compoundId/);
  });

  it("starts construction only after an adopted consultation, and never reports progress backwards", () => {
    let current = project();
    expect(current.phaseId).toBe("1");
    expect(refusal(() => decideStartConstruction(current, "s", at))).toBe("WRONG_PROJECT_STATUS");
    expect(
      refusal(() =>
        decideLinkConsultation(
          current,
          { kind: "vote", id: "v1", areaId: "440402001009", subjectReference: "" },
          "s",
          at,
        ),
      ),
    ).toBe("CONSULTATION_OF_ANOTHER_AREA");
    expect(
      refusal(() =>
        decideLinkConsultation(
          current,
          { kind: "vote", id: "v1", areaId: compound, subjectReference: "maintenance-fund:x" },
          "s",
          at,
        ),
      ),
    ).toBe("VOTE_ON_ANOTHER_SUBJECT");
    current = apply(
      current,
      decideLinkConsultation(
        current,
        { kind: "topic", id: "t1", areaId: "440402001002", subjectReference: "" },
        "s",
        at,
      ),
    );
    expect(refusal(() => decideConcludeConsultation(current, {}, "s", at))).toBe(
      "CONSULTATION_NOT_CONCLUDED",
    );
    const decided = {
      step: "decide" as const,
      record: "通过改造方案",
      reference: "vote-1",
      by: "s",
      at: at.toISOString(),
    };
    current = apply(
      current,
      decideConcludeConsultation(current, { topic: { steps: [decided] } as never }, "s", at),
    );
    expect(current).toMatchObject({ status: "approved", consultationOutcome: "通过改造方案" });
    current = apply(current, decideStartConstruction(current, "s", at));
    current = apply(
      current,
      decideReportProgress(current, { percent: 60, note: "过半", photoUrls: [], by: "s", at }),
    );
    expect(
      refusal(() => decideReportProgress(current, { percent: 50, note: "x", photoUrls: [], by: "s", at })),
    ).toBe("PROGRESS_BACKWARDS");
    current = apply(
      current,
      decideReportProgress(current, { percent: 100, note: "竣工", photoUrls: [], by: "s", at }),
    );
    expect(current.status).toBe("completed");

    const phases = progressByPhase(programme(), [current, project("440402001009")]);
    expect(
      phases.map((phase) => [
        phase.phase.phaseId,
        phase.projects,
        phase.meanProgressPercent,
        phase.compoundsCompleted,
      ]),
    ).toEqual([
      ["1", 1, 100, 1],
      ["2", 1, 0, 0],
    ]);
  });
});
