import { randomUUID } from "node:crypto";
import { ensureDomainStream, toCloudEvent } from "@civic/event-log";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import { restClient, startVolunteerStationsPlatform } from "../support/volunteer-stations-platform.js";

const nancun = "440402001002";
const beishan = "440402001003";
const nancunGrid = `${nancun}003`;
const beishanGrid = `${beishan}001`;
const building = (grid: string, n: number) => `${grid}${String(n).padStart(3, "0")}`;

/** Building heads, with the buildings known from grid-cases' area events (published here as grid-cases would). */
describe("building heads through the gateway", () => {
  const platform = platformForTheseTests(startVolunteerStationsPlatform);
  const send = restClient(() => platform().gatewayUrl);
  let nats: NatsConnection;
  const staff = bearer("staff-gongbei", { roles: ["street_staff"], areas: ["440402001"] });

  const coverage = async (areaId: string) =>
    (await send("GET", `/api/v1/building-head-coverage?areaId=${areaId}`, staff)).body.communities as {
      communityId: string;
      buildings: number;
      withHead: number;
      coverage: number;
      roles: Record<string, number>;
    }[];

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
    const gridCases = await ensureDomainStream(
      await jetstreamManager(nats),
      "grid-cases",
      platform().namespace,
    );
    const js = jetstream(nats);
    const areas = [
      { areaId: nancun, level: "community", name: "南村社区", parentId: "440402001" },
      { areaId: nancunGrid, level: "grid", name: "第三网格", parentId: nancun },
      ...[1, 2, 3, 4].map((n) => ({
        areaId: building(nancunGrid, n),
        level: "building",
        name: `${n}栋`,
        parentId: nancunGrid,
      })),
      { areaId: beishan, level: "community", name: "北山社区", parentId: "440402001" },
      { areaId: beishanGrid, level: "grid", name: "第一网格", parentId: beishan },
      { areaId: building(beishanGrid, 1), level: "building", name: "1栋", parentId: beishanGrid },
    ];
    for (const area of areas)
      await js.publish(
        `${gridCases.subjectPrefix}.area.defined`,
        JSON.stringify(
          toCloudEvent({
            _id: randomUUID(),
            stream: `area-${area.areaId}`,
            version: 1,
            type: "area.defined",
            subject: `${gridCases.subjectPrefix}.area.defined`,
            source: `${platform().namespace}/grid-cases`,
            data: { ...area, population: 0, households: 0 },
            time: new Date(),
          }),
        ),
      );
    const deadline = Date.now() + 20_000;
    while ((await coverage("440402001")).length < 2 || (await coverage("440402001"))[0]?.buildings !== 4) {
      if (Date.now() > deadline) throw new Error("the area replica never caught up");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(() => nats.drain());

  it("appoints heads with their roles, checks buildings against the area tree, and reports coverage per community", async () => {
    const first = await send("PUT", `/api/v1/buildings/${building(nancunGrid, 1)}/head`, staff, {
      headId: "resident-zhang",
      headName: "张阿姨",
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: "headed",
      communityId: nancun,
      headId: "resident-zhang",
      roles: ["mediator", "publicist", "informant", "patroller", "liaison"],
    });
    const second = await send("PUT", `/api/v1/buildings/${building(nancunGrid, 2)}/head`, staff, {
      headId: "resident-huang",
      headName: "黄叔",
      roles: ["liaison", "mediator"],
    });
    expect(second.body.roles).toEqual(["mediator", "liaison"]);

    const unknown = await send("PUT", `/api/v1/buildings/${building(nancunGrid, 99)}/head`, staff, {
      headId: "resident-x",
      headName: "x",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe("buildingId");
    const badRole = await send("PUT", `/api/v1/buildings/${building(nancunGrid, 3)}/head`, staff, {
      headId: "resident-x",
      headName: "x",
      roles: ["cook"],
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.errors[0].field).toBe("roles[0]");
    const outsider = await send(
      "PUT",
      `/api/v1/buildings/${building(nancunGrid, 3)}/head`,
      bearer("staff-elsewhere", { roles: ["community_staff"], areas: ["440403"] }),
      { headId: "resident-x", headName: "x" },
    );
    expect(outsider.status).toBe(403);
    expect((await send("GET", `/api/v1/buildings/${building(nancunGrid, 3)}/head`, "")).status).toBe(404);

    const communities = await coverage("440402001");
    expect(communities).toEqual([
      {
        communityId: nancun,
        communityName: "南村社区",
        buildings: 4,
        withHead: 2,
        coverage: 0.5,
        roles: { mediator: 2, publicist: 1, informant: 1, patroller: 1, liaison: 2 },
      },
      {
        communityId: beishan,
        communityName: "北山社区",
        buildings: 1,
        withHead: 0,
        coverage: 0,
        roles: { mediator: 0, publicist: 0, informant: 0, patroller: 0, liaison: 0 },
      },
    ]);
    const resident = bearer("resident-zhang", { roles: ["resident"] });
    expect((await send("GET", "/api/v1/building-head-coverage?areaId=440402001", resident)).status).toBe(403);
  });

  it("relieves a head: the building is vacant and coverage drops", async () => {
    const relieved = await send("POST", `/api/v1/buildings/${building(nancunGrid, 2)}/head/relief`, staff, {
      reason: "moved away",
    });
    expect(relieved.body).toMatchObject({ status: "vacant", headId: "" });
    const again = await send("POST", `/api/v1/buildings/${building(nancunGrid, 2)}/head/relief`, staff, {
      reason: "twice",
    });
    expect(again.status).toBe(400);
    expect(again.body.reason).toBe("NO_BUILDING_HEAD");
    expect((await coverage(nancun))[0]).toMatchObject({ buildings: 4, withHead: 1, coverage: 0.25 });
  });
});
