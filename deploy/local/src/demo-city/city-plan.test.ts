import { describe, expect, it } from "vitest";
import { demoCityPlan } from "./city-plan.js";
import { demoLiaisonPlan } from "./liaison-work.js";

describe("the demo city", () => {
  const plan = demoCityPlan();
  const areasAt = (level: string, prefix = "") =>
    plan.areas.filter((area) => area.level === level && area.areaId.startsWith(prefix));

  it("has Xiangzhou's 126 communities and 404 grids, 17 and 137 of them in Tangjiawan", () => {
    expect(areasAt("community")).toHaveLength(126);
    expect(areasAt("grid")).toHaveLength(404);
    expect(areasAt("community", "440402011")).toHaveLength(17);
    expect(areasAt("grid", "440402011")).toHaveLength(137);
    expect(areasAt("street").map((street) => street.name)).toContain("唐家湾镇");
    expect(areasAt("community").find((community) => community.areaId === "440402001002")?.name).toBe(
      "南村社区",
    );
  });

  it("gives every area below the city a parent that comes before it", () => {
    const seen = new Set<string>();
    for (const area of plan.areas) {
      if (area.level !== "city") {
        const parent = area.level === "district" ? "440400" : area.areaId.slice(0, area.areaId.length - 3);
        expect(seen.has(parent), `${area.areaId}'s parent ${parent}`).toBe(true);
      }
      seen.add(area.areaId);
    }
  });

  it("staffs each grid with a chief and three workers: 404 chiefs and 1,212 workers", () => {
    const roles = plan.gridStaff.map((staff) => staff.member.role);
    expect(roles.filter((role) => role === "chief")).toHaveLength(404);
    expect(roles.filter((role) => role === "worker")).toHaveLength(1_212);
  });

  it("registers 13.61 organisations per 10,000 of Zhuhai's 2,581,829 residents, at any scale", () => {
    for (const scale of [1, 0.2, 0.01]) {
      const scaled = demoCityPlan(scale);
      const city = scaled.areas[0];
      const registered = scaled.organisations.filter((organisation) => organisation.active).length;
      expect(((registered / (city?.population ?? 1)) * 10_000).toFixed(2), `scale ${scale}`).toBe("13.61");
    }
    expect(plan.areas[0]).toMatchObject({ areaId: "440400", population: 2_581_829, households: 902_738 });
  });

  it("has a party committee for the district, each street and each community, parents first", () => {
    const levels = plan.partyOrganisations.map((organisation) => organisation.level);
    expect(levels.filter((level) => level === "community_committee")).toHaveLength(126);
    expect(levels.filter((level) => level === "street_working_committee")).toHaveLength(11);
    expect(levels.indexOf("district_committee")).toBe(0);
  });

  it("has Zhuhai's 17 Blue Sky Huts, 18 migrant-youth homes, 20 youth stations and 485 service points", () => {
    const counts: Record<string, number> = {};
    for (const station of plan.stations) counts[station.kind] = (counts[station.kind] ?? 0) + 1;
    expect(counts).toEqual({
      blue_sky_hut: 17,
      migrant_youth_home: 18,
      youth_station: 20,
      service_point: 485,
    });
    expect(new Set(plan.stations.map((station) => station.name)).size).toBe(plan.stations.length);
  });

  it("collects the seed's 13,370 cases in a year, 511 of them from liaison visits, and resolves 11,871 of them (88.79%)", () => {
    const resolvedOrLater = new Set(["resolved", "visited", "closed"]);
    const liaisonCases = demoLiaisonPlan(plan.areas, 1).flatMap((cadre) =>
      cadre.visits.flatMap((visit) => visit.problems),
    );
    expect(plan.cases).toHaveLength(13_370 - 511);
    expect(liaisonCases).toHaveLength(511);
    const resolved = [...plan.cases, ...liaisonCases].filter((planned) =>
      resolvedOrLater.has(planned.target),
    );
    expect(resolved).toHaveLength(11_871);
    expect(liaisonCases.filter((planned) => resolvedOrLater.has(planned.target))).toHaveLength(461);
    expect(new Set(plan.cases.map((planned) => planned.gridId)).size).toBe(404);
  });

  it("has the seed's 84 stationed cadres receive 2,515 households and visit 18,156, and keeps ten problems, nine solved, at small scales", () => {
    const cadres = demoLiaisonPlan(plan.areas, 1);
    expect(cadres).toHaveLength(84);
    const households = (kind: string) =>
      cadres
        .flatMap((cadre) => cadre.visits)
        .filter((visit) => visit.kind === kind)
        .reduce((sum, visit) => sum + visit.households, 0);
    expect([households("reception"), households("household_visit")]).toEqual([2_515, 18_156]);
    const small = demoCityPlan(0.01);
    const smallProblems = demoLiaisonPlan(small.areas, 0.01).flatMap((cadre) =>
      cadre.visits.flatMap((visit) => visit.problems),
    );
    expect(
      smallProblems
        .map((problem) => problem.target)
        .filter((target) => target === "closed" || target === "visited" || target === "resolved"),
    ).toHaveLength(9);
    expect(smallProblems).toHaveLength(10);
    expect(small.cases).toHaveLength(134 - 10);
  });

  it("is the same on every run, so a second run finds what the first one made", () => {
    expect(demoCityPlan(0.05)).toEqual(demoCityPlan(0.05));
    const codes = plan.organisations.map((organisation) => organisation.creditCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
