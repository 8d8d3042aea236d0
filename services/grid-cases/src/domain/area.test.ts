import {
  AlreadyExistsError,
  AreaCode,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
} from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  type AreaState,
  type DefineArea,
  decideAssignStaff,
  decideDefineArea,
  decideUpdateFigures,
  evolveArea,
  initialAreaState,
} from "./area.js";

const now = new Date("2026-03-02T01:00:00Z");
const admin = { subject: "admin-1" };
const none = initialAreaState();

function define(
  command: Partial<DefineArea> & { areaId: string; level: string },
  parent: AreaState = none,
): AreaState {
  return evolveArea(
    none,
    decideDefineArea(
      { name: command.areaId, population: 0, households: 0, gridSize: "", ...command },
      none,
      parent,
      admin,
      now,
    ),
  );
}

describe("area tree", () => {
  const zhuhai = define({
    areaId: "440400",
    level: "city",
    name: "珠海市",
    population: 2_581_829,
    households: 902_738,
  });
  const xiangzhou = define({ areaId: "440402", level: "district", name: "香洲区" }, zhuhai);
  const street = define({ areaId: "440402001", level: "street", name: "拱北街道" }, xiangzhou);
  const community = define(
    { areaId: "440402001002", level: "community", name: "南村社区", gridSize: "medium" },
    street,
  );
  const grid = define(
    { areaId: "440402001002003", level: "grid", name: "第三网格", gridSize: "small" },
    community,
  );

  it("codes nest by prefix: a grid's parent is its community", () => {
    expect(AreaCode.parent("440402001002003", "grid")).toBe("440402001002");
    expect(AreaCode.parent("440402", "district")).toBe("440400");
    expect(grid).toMatchObject({
      status: "defined",
      parentId: "440402001002",
      level: "grid",
      gridSize: "small",
    });
  });

  it("carries population and households, and updates them", () => {
    expect(zhuhai).toMatchObject({ population: 2_581_829, households: 902_738 });
    const updated = evolveArea(
      zhuhai,
      decideUpdateFigures({ population: 2_600_000, households: 910_000 }, zhuhai, admin, now),
    );
    expect(updated).toMatchObject({ population: 2_600_000, households: 910_000 });
  });

  it("refuses negative figures, a code that does not fit its level, and an unknown or wrong parent", () => {
    expect(() => decideUpdateFigures({ population: -1, households: 2.5 }, zhuhai, admin, now)).toThrow(
      InvalidArgumentError,
    );
    expect(() => define({ areaId: "4404020010", level: "street" }, xiangzhou)).toThrow(InvalidArgumentError);
    expect(() => define({ areaId: "440402009", level: "street" })).toThrow(NotFoundError);
    expect(() => define({ areaId: "440402001002", level: "community" }, xiangzhou)).toThrow(
      FailedPreconditionError,
    );
    expect(() =>
      decideDefineArea(
        { areaId: "440400", level: "city", name: "x", population: 0, households: 0, gridSize: "" },
        zhuhai,
        none,
        admin,
        now,
      ),
    ).toThrow(AlreadyExistsError);
  });

  it("assigns one grid chief and any number of grid workers to a grid, and only to a grid", () => {
    let state = evolveArea(
      grid,
      decideAssignStaff({ personId: "p-1", name: "李网格长", role: "chief" }, grid, admin, now),
    );
    state = evolveArea(
      state,
      decideAssignStaff({ personId: "p-2", name: "王网格员", role: "worker" }, state, admin, now),
    );
    state = evolveArea(
      state,
      decideAssignStaff({ personId: "p-3", name: "陈网格员", role: "worker" }, state, admin, now),
    );
    expect(state.status === "defined" && state.staff.map((member) => member.role)).toEqual([
      "chief",
      "worker",
      "worker",
    ]);
    expect(() => decideAssignStaff({ personId: "p-4", name: "x", role: "chief" }, state, admin, now)).toThrow(
      "already has a grid chief",
    );
    expect(() =>
      decideAssignStaff({ personId: "p-5", name: "x", role: "worker" }, community, admin, now),
    ).toThrow(FailedPreconditionError);
    expect(() => decideAssignStaff({ personId: "", name: "", role: "boss" }, grid, admin, now)).toThrow(
      InvalidArgumentError,
    );
  });
});
