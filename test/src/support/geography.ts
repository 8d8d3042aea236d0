import { bearer } from "./tokens.js";

/** The grid the tests file cases in: Nancun community, Gongbei street, Xiangzhou, Zhuhai. */
export const testGrid = "440402001002003";
export const testDepartments = ["water-affairs", "urban-management"];

/** Defines the test grid's branch of the area tree and the test departments through the gateway. */
export async function seedGeography(gatewayUrl: string): Promise<void> {
  const authorization = bearer("admin-1", { roles: ["platform_admin"] });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  const tree = [
    { areaId: "440400", level: "city", name: "珠海市", population: 2_581_829, households: 902_738 },
    { areaId: "440402", level: "district", name: "香洲区", population: 1_000_000, households: 350_000 },
    { areaId: "440402001", level: "street", name: "拱北街道", gridSize: "big" },
    { areaId: "440402001002", level: "community", name: "南村社区", gridSize: "medium" },
    {
      areaId: testGrid,
      level: "grid",
      name: "第三网格",
      gridSize: "small",
      population: 1_865,
      households: 652,
    },
  ];
  for (const area of tree) await post("/api/v1/areas", area);
  for (const departmentId of testDepartments)
    await post("/api/v1/departments", { departmentId, name: departmentId });
}
