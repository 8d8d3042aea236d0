import { AreaCode } from "@civic/domain-kit";
import { organisationCodeCheckCharacter, withCreditCodeCheck } from "@civic/social-registry";
import { between, pick, seededRandom } from "./random.js";
import {
  liaisonCounts,
  namedCommunities,
  seedFigures,
  stationKindNames,
  streetNames,
} from "./seed-figures.js";

export interface DemoArea {
  areaId: string;
  level: "city" | "district" | "street" | "community" | "grid";
  name: string;
  population: number;
  households: number;
  gridSize?: "big" | "medium" | "small";
}

export interface DemoGridStaff {
  gridId: string;
  member: { personId: string; name: string; role: "chief" | "worker" };
}

export interface DemoOrganisation {
  creditCode: string;
  name: string;
  legalForm: "social_group" | "private_non_enterprise_unit" | "foundation" | "community_organisation";
  category: "charity" | "social_affairs" | "community_service" | "culture_and_sports";
  areaId: string;
  filedOn: string;
  /** Registered organisations are approved and active; community organisations stay filed. */
  active: boolean;
}

/** A party organisation of the tree district committee → street working committees → community committees. */
export interface DemoPartyOrganisation {
  level: "district_committee" | "street_working_committee" | "community_committee";
  name: string;
  areaId: string;
  /** The area of the organisation above it; empty for the district committee. */
  parentAreaId: string;
}

export interface DemoStation {
  stationId: string;
  kind: keyof typeof seedFigures.stations;
  name: string;
  areaId: string;
  address: string;
}

/** How far a case has come: the statuses of the lifecycle in order. */
export const caseProgress = [
  "submitted",
  "accepted",
  "dispatched",
  "signed_for",
  "in_progress",
  "resolved",
  "visited",
  "closed",
] as const;
export type CaseProgress = (typeof caseProgress)[number];

export interface DemoCase {
  /** Its title carries it (【演示 000123】), which is how a later run finds the case again. */
  serial: number;
  gridId: string;
  /** Where in the catalogue (sorted by code) its category is, from 0 to 1. */
  categoryPick: number;
  /** The status the demo leaves it in. */
  target: CaseProgress;
  satisfaction: "satisfied" | "basically_satisfied" | "dissatisfied";
}

export interface DemoCityPlan {
  areas: DemoArea[];
  gridStaff: DemoGridStaff[];
  organisations: DemoOrganisation[];
  partyOrganisations: DemoPartyOrganisation[];
  stations: DemoStation[];
  cases: DemoCase[];
}

const surnames = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁郑谢宋唐许邓冯韩曹曾彭"];
const givenNames = [..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅文志海燕"];
const organisationKinds = [
  "社工服务中心",
  "志愿者协会",
  "慈善会",
  "文体协会",
  "长者服务中心",
  "青少年发展中心",
];
const categories: DemoOrganisation["category"][] = [
  "charity",
  "social_affairs",
  "community_service",
  "culture_and_sports",
];

const households = (population: number) => Math.round(population / seedFigures.personsPerHousehold);
const code = (prefix: string, serial: number) => `${prefix}${String(serial).padStart(3, "0")}`;

/** `total` split over `parts` as evenly as whole numbers allow, larger shares first. */
export function spread(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0),
  );
}

/**
 * The demo city: Zhuhai with Xiangzhou's streets, 126 communities and 404 grids (17 of the
 * communities and 137 small grids in Tangjiawan), a grid chief and three grid workers per
 * grid, and 13.61 registered organisations per 10,000 residents, all scaled by `scale`
 * (counts and the city's population alike, so every rate stays the seeds').
 */
export function demoCityPlan(scale = 1): DemoCityPlan {
  const random = seededRandom(440_400);
  const scaled = (count: number, least = 1) => Math.max(least, Math.round(count * scale));
  const { city, district, tangjiawan } = seedFigures;
  const streets = streetNames.map((name, index) => ({ areaId: code(district.areaId, index + 1), name }));
  const otherStreets = streets.slice(0, -1);

  const communitiesPerStreet = [
    ...spread(scaled(district.communities - tangjiawan.communities), otherStreets.length),
    scaled(tangjiawan.communities),
  ];
  const otherCommunities = communitiesPerStreet.slice(0, -1).reduce((sum, count) => sum + count, 0);
  const otherGrids = spread(
    Math.max(otherCommunities, scaled(district.grids - tangjiawan.smallGrids)),
    otherCommunities,
  );
  const tangjiawanGrids = spread(
    Math.max(communitiesPerStreet.at(-1) ?? 1, scaled(tangjiawan.smallGrids)),
    communitiesPerStreet.at(-1) ?? 1,
  );

  const communities: DemoArea[] = [];
  const grids: DemoArea[] = [];
  streets.forEach((street, streetIndex) => {
    const gridCounts = streetIndex === streets.length - 1 ? tangjiawanGrids : otherGrids;
    for (let serial = 1; serial <= (communitiesPerStreet[streetIndex] ?? 0); serial++) {
      const areaId = code(street.areaId, serial);
      const population = between(random, 3_000, 15_000);
      communities.push({
        areaId,
        level: "community",
        name: namedCommunities[areaId] ?? `${street.name.slice(0, 2)}第${serial}社区`,
        population,
        households: households(population),
        gridSize: "medium",
      });
      const gridCount = gridCounts.shift() ?? 1;
      spread(population, gridCount).forEach((gridPopulation, gridIndex) => {
        grids.push({
          areaId: code(areaId, gridIndex + 1),
          level: "grid",
          name: `${namedCommunities[areaId]?.slice(0, 2) ?? `${street.name.slice(0, 2)}${serial}`}第${gridIndex + 1}网格`,
          population: gridPopulation,
          households: households(gridPopulation),
          gridSize: "small",
        });
      });
    }
  });

  const sumOf = (areas: DemoArea[]) => areas.reduce((sum, area) => sum + area.population, 0);
  const streetAreas: DemoArea[] = streets.map((street) => {
    const population = sumOf(communities.filter((community) => community.areaId.startsWith(street.areaId)));
    return { ...street, level: "street", population, households: households(population), gridSize: "big" };
  });
  const districtPopulation = sumOf(streetAreas);
  const registered = Math.round((city.population * scale * seedFigures.organisationsPer10k) / 10_000);
  // Scaled down, the city has the population that makes the registered organisations the
  // seed's 13.61 per 10,000 exactly; whole, it has the seed's own.
  const cityPopulation =
    scale === 1 ? city.population : Math.round((registered * 10_000) / seedFigures.organisationsPer10k);
  const areas: DemoArea[] = [
    {
      areaId: city.areaId,
      level: "city",
      name: city.name,
      population: cityPopulation,
      households: Math.round(city.households * scale),
    },
    {
      areaId: district.areaId,
      level: "district",
      name: district.name,
      population: districtPopulation,
      households: households(districtPopulation),
    },
    ...streetAreas,
    ...communities,
    ...grids,
  ];

  const personName = () => `${pick(random, surnames)}${pick(random, givenNames)}${pick(random, givenNames)}`;
  const gridStaff = grids.flatMap((grid): DemoGridStaff[] => [
    { gridId: grid.areaId, member: { personId: `gc-${grid.areaId}`, name: personName(), role: "chief" } },
    ...[1, 2, 3].map((worker) => ({
      gridId: grid.areaId,
      member: { personId: `gw-${grid.areaId}-${worker}`, name: personName(), role: "worker" as const },
    })),
  ]);

  const organisations: DemoOrganisation[] = [];
  for (let serial = 1; serial <= registered; serial++) {
    const legalForm =
      serial % 50 === 0 ? "foundation" : serial % 2 === 0 ? "social_group" : "private_non_enterprise_unit";
    const digit = { social_group: "1", private_non_enterprise_unit: "2", foundation: "3" }[legalForm];
    const community = pick(random, communities);
    organisations.push({
      creditCode: creditCode(digit, serial),
      name: `${community.name}${pick(random, organisationKinds)}${serial}`,
      legalForm,
      category: pick(random, categories),
      areaId: legalForm === "foundation" ? district.areaId : community.areaId,
      filedOn: `20${String(between(random, 10, 25))}-${String(between(random, 1, 12)).padStart(2, "0")}-15`,
      active: true,
    });
  }
  communities.forEach((community, index) => {
    organisations.push({
      creditCode: creditCode("9", index + 1),
      name: `${community.name}邻里互助队`,
      legalForm: "community_organisation",
      category: "community_service",
      areaId: community.areaId,
      filedOn: "2025-03-01",
      active: false,
    });
  });
  const partyOrganisations: DemoPartyOrganisation[] = [
    { level: "district_committee", name: "中共香洲区委员会", areaId: district.areaId, parentAreaId: "" },
    ...streetAreas.map((street) => ({
      level: "street_working_committee" as const,
      name: `中共${street.name}工作委员会`,
      areaId: street.areaId,
      parentAreaId: district.areaId,
    })),
    ...communities.map((community) => ({
      level: "community_committee" as const,
      name: `中共${community.name}委员会`,
      areaId: community.areaId,
      parentAreaId: AreaCode.parent(community.areaId),
    })),
  ];

  const stations = Object.entries(seedFigures.stations).flatMap(([kind, count]) =>
    Array.from({ length: scaled(count) }, (_, index): DemoStation => {
      const community = communities[index % communities.length] as DemoArea;
      return {
        stationId: `demo-${kind.replaceAll("_", "-")}-${index + 1}`,
        kind: kind as DemoStation["kind"],
        name: `${community.name}${stationKindNames[kind as DemoStation["kind"]]}${
          index < communities.length ? "" : `${Math.floor(index / communities.length) + 1}号`
        }`,
        areaId: community.areaId,
        address: `${community.name}党群服务中心`,
      };
    }),
  );
  return {
    areas,
    gridStaff,
    organisations,
    partyOrganisations,
    stations,
    cases: demoCases(random, grids, scale),
  };
}

/**
 * The year's hotline cases: the seed's collected count, of which the seed's share resolved
 * (most of them visited and closed), the rest still open at an earlier step; less the cases
 * that liaison visits' problems become (and those solved), so that all cases together are the
 * seed's figures.
 */
function demoCases(random: () => number, grids: DemoArea[], scale: number): DemoCase[] {
  const { collected, resolved } = seedFigures.cases;
  const all = Math.max(1, Math.round(collected * scale));
  const liaison = liaisonCounts(scale);
  const count = Math.max(1, all - liaison.problems);
  const resolvedCount = Math.min(
    count,
    Math.max(0, Math.round((all * resolved) / collected) - liaison.solved),
  );
  const open: CaseProgress[] = ["submitted", "accepted", "dispatched", "in_progress"];
  return Array.from({ length: count }, (_, index): DemoCase => {
    const satisfactionDraw = random();
    const isResolved = index < resolvedCount;
    const closedDraw = random();
    return {
      serial: index + 1,
      gridId: (grids[index % grids.length] as DemoArea).areaId,
      categoryPick: random(),
      target: isResolved
        ? closedDraw < 0.9
          ? "closed"
          : closedDraw < 0.95
            ? "visited"
            : "resolved"
        : pick(random, open),
      satisfaction:
        satisfactionDraw < 0.9
          ? "satisfied"
          : satisfactionDraw < 0.97
            ? "basically_satisfied"
            : "dissatisfied",
    };
  });
}

/** A valid unified social credit code of a Xiangzhou civil-affairs registration. */
function creditCode(categoryDigit: string, serial: number): string {
  const body = `DM${String(serial).padStart(6, "0")}`;
  return withCreditCodeCheck(
    `5${categoryDigit}${seedFigures.district.areaId}${body}${organisationCodeCheckCharacter(body)}`,
  );
}
