import { devToken } from "./dev-token.js";

/**
 * Demo geography and departments from the seed documents (Zhuhai, Xiangzhou district), so
 * a fresh local platform can take cases at once. Already-defined entries are left alone.
 */
const areas = [
  { areaId: "440400", level: "city", name: "珠海市", population: 2_581_829, households: 902_738 },
  { areaId: "440402", level: "district", name: "香洲区" },
  { areaId: "440402001", level: "street", name: "拱北街道", gridSize: "big" },
  { areaId: "440402001002", level: "community", name: "南村社区", gridSize: "medium" },
  {
    areaId: "440402001002003",
    level: "grid",
    name: "南村第三网格",
    gridSize: "small",
    population: 1_865,
    households: 652,
  },
];
const departments = [
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
];

export async function loadDemoData(gatewayUrl: string): Promise<{ areas: number; departments: number }> {
  const authorization = `Bearer ${await devToken({ subject: "demo-loader", roles: ["platform_admin"] })}`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify(body),
    });
    if (response.status !== 201 && response.status !== 409) {
      throw new Error(`loading demo data: ${path} answered ${response.status} ${await response.text()}`);
    }
  };
  for (const area of areas) await post("/api/v1/areas", area);
  for (const [departmentId, name] of departments) await post("/api/v1/departments", { departmentId, name });
  return { areas: areas.length, departments: departments.length };
}
