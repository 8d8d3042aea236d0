import { FailedPreconditionError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  type Cohort,
  decideChangeStage,
  decideEnterCohort,
  decideOpenCohort,
  decideOpenIncubator,
  evolveIncubation,
  type Incubation,
  type IncubationState,
  type Incubator,
  initialIncubationState,
} from "./incubation.js";
import type { Organisation, OrganisationState } from "./organisation.js";

const officer = { subject: "civil-affairs-1" };
const now = new Date("2026-06-02T02:00:00Z");
const creditCode = "51440402MJL000016P";
const filed = { status: "filed", creditCode } as Organisation;
const incubator: Incubator = {
  status: "open",
  incubatorId: "inc-1",
  name: "香洲区社会组织孵化基地",
  areaId: "440402",
  operatorCreditCode: creditCode,
};
const cohort: Cohort = {
  status: "open",
  cohortId: "cohort-1",
  incubatorId: "inc-1",
  areaId: "440402",
  name: "2026年第一期",
  startsOn: "2026-03-01",
  endsOn: "2026-12-31",
};

const violationsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations.map((violation) => violation.field);
  }
  throw new Error("expected an InvalidArgumentError");
};

function entered(state: IncubationState = initialIncubationState(), ofCohort = cohort): Incubation {
  return evolveIncubation(
    state,
    decideEnterCohort({ creditCode, appliedOn: "2026-03-05" }, ofCohort, filed, state, officer, now),
  ) as Incubation;
}

const step = (
  state: Incubation,
  action: string,
  extra: Partial<{ on: string; outcome: string; reason: string }> = {},
) =>
  evolveIncubation(
    state,
    decideChangeStage({ action, on: "2026-05-01", outcome: "", reason: "", ...extra }, state, officer, now),
  ) as Incubation;

describe("incubators and cohorts", () => {
  it("opens an incubator run by an organisation in the register, not by a revoked one", () => {
    const command = {
      incubatorId: "inc-1",
      name: "孵化基地",
      areaId: "440402",
      operatorCreditCode: creditCode,
    };
    expect(decideOpenIncubator(command, filed, officer, now).data.operatorCreditCode).toBe(creditCode);
    expect(() => decideOpenIncubator(command, { status: "none" }, officer, now)).toThrow(
      "is in the register",
    );
    expect(() =>
      decideOpenIncubator(command, { ...filed, status: "revoked" } as OrganisationState, officer, now),
    ).toThrow("an organisation that is revoked cannot operate an incubator");
    expect(
      violationsOf(() =>
        decideOpenIncubator({ ...command, name: "", operatorCreditCode: "X" }, filed, officer, now),
      ),
    ).toEqual(["name", "operatorCreditCode"]);
  });

  it("refuses a cohort that ends before it starts", () => {
    expect(
      violationsOf(() =>
        decideOpenCohort(
          { cohortId: "c", name: "第一期", startsOn: "2026-03-01", endsOn: "2026-02-01" },
          incubator,
          officer,
          now,
        ),
      ),
    ).toEqual(["endsOn"]);
  });
});

describe("an organisation's incubation", () => {
  it("goes applied → incubating → graduated with its date and outcome", () => {
    const applied = entered();
    expect(applied).toMatchObject({ stage: "applied", cohortId: "cohort-1", areaId: "440402" });
    const incubating = step(applied, "start", { on: "2026-03-10" });
    expect(incubating.enrolments[0]).toMatchObject({ stage: "incubating", incubatingSince: "2026-03-10" });
    const graduated = step(incubating, "graduate", { on: "2026-05-20", outcome: "registered" });
    expect(graduated.enrolments[0]).toMatchObject({
      stage: "graduated",
      endedOn: "2026-05-20",
      outcome: "registered",
    });
  });

  it("is in one cohort at a time, and may enter another after leaving", () => {
    const applied = entered();
    expect(() =>
      decideEnterCohort(
        { creditCode, appliedOn: "" },
        { ...cohort, cohortId: "cohort-2" },
        filed,
        applied,
        officer,
        now,
      ),
    ).toThrow("is already applied in cohort cohort-1: one cohort at a time");
    const withdrawn = step(applied, "withdraw", { reason: "负责人变更" });
    const again = entered(withdrawn, { ...cohort, cohortId: "cohort-2" });
    expect(again).toMatchObject({ cohortId: "cohort-2", stage: "applied" });
    expect(again.enrolments.map((enrolment) => enrolment.stage)).toEqual(["withdrawn", "applied"]);
  });

  it("refuses illegal stage transitions naming the stage", () => {
    const applied = entered();
    expect(() =>
      decideChangeStage({ action: "graduate", on: "", outcome: "filed", reason: "" }, applied, officer, now),
    ).toThrow(
      new FailedPreconditionError(
        "cannot graduate an incubation that is applied (only when incubating)",
        "ILLEGAL_STAGE_TRANSITION",
      ),
    );
    const graduated = step(step(applied, "start"), "graduate", { outcome: "filed" });
    expect(() =>
      decideChangeStage({ action: "withdraw", on: "", outcome: "", reason: "x" }, graduated, officer, now),
    ).toThrow("cannot withdraw an incubation that is graduated (only when applied or incubating)");
  });

  it("needs an outcome to graduate, a reason to withdraw, dates not before the stage began", () => {
    const incubating = step(entered(), "start", { on: "2026-03-10" });
    expect(
      violationsOf(() =>
        decideChangeStage({ action: "graduate", on: "", outcome: "", reason: "" }, incubating, officer, now),
      ),
    ).toEqual(["outcome"]);
    expect(
      violationsOf(() =>
        decideChangeStage(
          { action: "withdraw", on: "2999-01-01", outcome: "", reason: "" },
          incubating,
          officer,
          now,
        ),
      ),
    ).toEqual(["on", "reason"]);
    expect(
      violationsOf(() =>
        decideChangeStage(
          { action: "graduate", on: "2026-03-01", outcome: "filed", reason: "" },
          incubating,
          officer,
          now,
        ),
      ),
    ).toEqual(["on"]);
    expect(
      violationsOf(() =>
        decideEnterCohort(
          { creditCode, appliedOn: "2026-01-01" },
          { ...cohort, endsOn: "2025-12-31" },
          filed,
          initialIncubationState(),
          officer,
          now,
        ),
      ),
    ).toEqual(["appliedOn"]);
  });
});
