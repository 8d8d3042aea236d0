import { describe, expect, it } from "vitest";
import {
  type CadreState,
  decideAssign,
  decideLogVisit,
  evolveCadre,
  initialCadreState,
  type LogVisit,
} from "./liaison.js";
import { countLiaisonFact, emptyLiaisonFigures, liaisonKeysOf, solveRate } from "./liaison-statistics.js";

const now = new Date("2026-03-02T01:00:00Z");
const organiser = { subject: "po-1" };

function assign(state: CadreState, targetKind: string, targetId: string, areaId = ""): CadreState {
  const event = decideAssign(
    { cadreId: "cadre-1", name: "李挂点", targetKind, targetId, areaId },
    state,
    organiser,
    now,
  );
  return event ? evolveCadre(state, event) : state;
}

const visit = (command: Partial<LogVisit>): LogVisit => ({
  kind: "household_visit",
  areaId: "440402001002003",
  enterpriseId: "",
  households: 3,
  note: "",
  ...command,
});

describe("liaison", () => {
  const cadre = assign(
    assign(initialCadreState(), "community", "440402001002"),
    "enterprise",
    "gree-zhuhai",
    "440402001003001",
  );

  it("lets a cadre log visits where an assignment covers them, and nowhere else", () => {
    expect(decideLogVisit(visit({}), "v1", cadre, "cadre-1", now).data).toMatchObject({
      cadreId: "cadre-1",
      households: 3,
    });
    expect(
      decideLogVisit(
        visit({ areaId: "440402001003001", enterpriseId: "gree-zhuhai" }),
        "v2",
        cadre,
        "cadre-1",
        now,
      ).data.enterpriseId,
    ).toBe("gree-zhuhai");
    for (const [command, state] of [
      [visit({ areaId: "440402001009001" }), cadre],
      [visit({ areaId: "440402001003001", enterpriseId: "other-co" }), cadre],
      [visit({}), initialCadreState()],
    ] as const) {
      expect(() => decideLogVisit(command, "v", state, "cadre-1", now)).toThrow(
        expect.objectContaining({ reason: "NO_LIAISON_ASSIGNMENT" }),
      );
    }
  });

  it("assigns the same target once", () => {
    expect(assign(cadre, "community", "440402001002")).toBe(cadre);
    expect(cadre.status === "assigned" && cadre.assignments).toHaveLength(2);
  });

  it("counts by area and rounds the solve rate to one decimal", () => {
    let figures = emptyLiaisonFigures();
    for (let index = 0; index < 511; index++)
      figures = countLiaisonFact(figures, { type: "visit.problem_collected" });
    for (let index = 0; index < 461; index++) figures = countLiaisonFact(figures, { type: "problem.solved" });
    expect(solveRate(figures)).toBe(90.2);
    expect(solveRate(emptyLiaisonFigures())).toBeNull();
    expect(liaisonKeysOf("440402001002003")).toEqual(["all", "440402", "440402001", "440402001002"]);
  });
});
