/**
 * Figures of the seed documents (../shared/seeds) that the demo city reproduces. The demo
 * city is Zhuhai with its Xiangzhou district; Tangjiawan is the town of seed 000.
 */
export const seedFigures = {
  city: { areaId: "440400", name: "珠海市", population: 2_581_829, households: 902_738 },
  district: {
    areaId: "440402",
    name: "香洲区",
    communities: 126,
    grids: 404,
    gridChiefs: 404,
    gridWorkers: 1_212,
  },
  /** 唐家湾镇: one big grid, 17 communities as medium grids, 137 small grids. */
  tangjiawan: { name: "唐家湾镇", communities: 17, smallGrids: 137 },
  /** Registered social organisations per 10,000 residents of Zhuhai. */
  organisationsPer10k: 13.61,
  /** Zhuhai's volunteer stations by kind. */
  stations: { blue_sky_hut: 17, migrant_youth_home: 18, youth_station: 20, service_point: 485 },
  personsPerHousehold: 2.86,
  /** Cases of a year: collected and resolved (88.79%). */
  cases: { collected: 13_370, resolved: 11_871 },
  /**
   * A year of liaison work (seed 000): 84 stationed cadres received 2,515 households and
   * visited 18,156, collecting 511 problems of which 461 were solved (90.2%).
   */
  liaison: {
    cadres: 84,
    householdsReceived: 2_515,
    householdsVisited: 18_156,
    problemsCollected: 511,
    problemsSolved: 461,
  },
  /** Residents' representatives elected in Nancun and Shanchang (seed 002). */
  representatives: { "440402001002": 107, "440402001009": 63 } as Record<string, number>,
  /** Nancun's playground (seed 002): 45,000 yuan from the compound's public fund, 20,000 from the happiness fund. */
  playground: { communityId: "440402001002", compoundFundYuan: 45_000, happinessFundYuan: 20_000 },
} as const;

/** Below this many problems a solve rate could not be the seed's, so smaller scales keep ten. */
const leastLiaisonProblems = 10;

/** The seed's liaison figures at `scale`: problems at least ten, solved in the seed's proportion. */
export function liaisonCounts(scale: number) {
  const { liaison } = seedFigures;
  const problems = Math.max(leastLiaisonProblems, Math.round(liaison.problemsCollected * scale));
  return {
    cadres: Math.max(1, Math.round(liaison.cadres * scale)),
    householdsReceived: Math.max(1, Math.round(liaison.householdsReceived * scale)),
    householdsVisited: Math.max(1, Math.round(liaison.householdsVisited * scale)),
    problems,
    solved: Math.round((problems * liaison.problemsSolved) / liaison.problemsCollected),
  };
}

/** Streets and towns of Xiangzhou; the first keeps the code the docs' examples use (440402001). */
export const streetNames = [
  "拱北街道",
  "吉大街道",
  "香湾街道",
  "梅华街道",
  "前山街道",
  "翠香街道",
  "狮山街道",
  "湾仔街道",
  "凤山街道",
  "南屏镇",
  seedFigures.tangjiawan.name,
] as const;

/** Communities the seeds name, at the codes the docs' examples use. */
export const namedCommunities: Record<string, string> = {
  "440402001002": "南村社区",
  "440402001009": "山场社区",
};

export const stationKindNames = {
  blue_sky_hut: "蓝天小屋",
  migrant_youth_home: "新市民之家",
  youth_station: "青年驿站",
  service_point: "志愿服务点",
} as const;

/** Every department the shipped case catalogue dispatches to by default. */
export const departments: [departmentId: string, name: string][] = [
  ["urban-management", "城市管理和综合执法局"],
  ["water-affairs", "水务局"],
  ["housing-construction", "住房和城乡建设局"],
  ["transport", "交通运输局"],
  ["ecology-environment", "生态环境局"],
  ["public-security", "公安局"],
  ["market-regulation", "市场监督管理局"],
  ["fire-rescue", "消防救援支队"],
  ["community-mediation", "人民调解委员会"],
  ["community-affairs", "社区居委会"],
  ["command-centre", "区综合指挥中心"],
  ["power-supply", "供电局"],
  ["agriculture-rural", "农业农村局"],
  ["human-resources", "人力资源和社会保障局"],
];
