import { InvalidArgumentError, PermissionDeniedError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  decideAssignStationManager,
  decideRegisterStation,
  evolveStation,
  initialStationState,
} from "./station.js";
import { decideFormTeam } from "./team.js";

const now = new Date("2026-11-23T08:00:00Z");
const staff = { subject: "staff-1", roles: ["community_staff"], areas: ["440402001"] };
const register = {
  stationId: "nancun-blue-sky-hut",
  kind: "blue_sky_hut",
  name: " 南村蓝天小屋 ",
  areaId: "440402001002",
  address: "",
  managerIds: ["m-1", "m-1"],
};

describe("stations", () => {
  it("registers a station in the staff member's street, trimmed and without duplicate managers", () => {
    const event = decideRegisterStation(register, initialStationState(), staff, now);
    expect(event.data).toMatchObject({ name: "南村蓝天小屋", managerIds: ["m-1"], by: "staff-1" });
    const state = evolveStation(initialStationState(), event);
    expect(state).toMatchObject({ status: "registered", registeredAt: now.toISOString() });
    expect(decideAssignStationManager("m-1", state, register.stationId, staff, now)).toBeUndefined();
  });

  it("names every bad field at once", () => {
    const attempt = () =>
      decideRegisterStation(
        { ...register, kind: "castle", name: "", areaId: "x" },
        initialStationState(),
        staff,
        now,
      );
    expect(attempt).toThrow(InvalidArgumentError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidArgumentError).violations.map((violation) => violation.field)).toEqual([
        "kind",
        "name",
        "areaId",
      ]);
    }
  });

  it("refuses staff of another street", () => {
    const elsewhere = { ...staff, areas: ["440402002"] };
    expect(() => decideRegisterStation(register, initialStationState(), elsewhere, now)).toThrow(
      PermissionDeniedError,
    );
  });
});

describe("teams", () => {
  const team = {
    teamId: "property-team",
    kind: "property_company",
    name: "物业志愿服务队",
    areaId: "440402001002",
    stationId: "nancun-blue-sky-hut",
    leaderId: "",
  };

  it("needs a known station serving the team's area", () => {
    expect(() => decideFormTeam(team, { status: "none" }, undefined, staff, now)).toThrow(
      InvalidArgumentError,
    );
    expect(() => decideFormTeam(team, { status: "none" }, { areaId: "440402001003" }, staff, now)).toThrow(
      InvalidArgumentError,
    );
    expect(decideFormTeam(team, { status: "none" }, { areaId: "440402001002" }, staff, now).type).toBe(
      "team.formed",
    );
  });
});
