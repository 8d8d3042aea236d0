import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { jsonCall } from "../support/in-process-gateway.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

describe("geography through the gateway", () => {
  const platform = platformForTheseTests(startTestPlatform);
  const admin = bearer("admin-1", { roles: ["platform_admin"] });

  const send = (method: string, path: string, body?: unknown, authorization = admin) =>
    jsonCall(platform().gatewayUrl, method, path, authorization, body);

  beforeAll(async () => {
    await seedGeography(platform().gatewayUrl);
  });

  it("reads an area with its figures, and lists a community's grids a page at a time", async () => {
    expect((await send("GET", "/api/v1/areas/440400")).body).toMatchObject({
      level: "city",
      population: 2_581_829,
      households: 902_738,
      parentId: "",
    });
    for (const grid of ["440402001002001", "440402001002002"]) {
      expect(
        (await send("POST", "/api/v1/areas", { areaId: grid, level: "grid", name: grid, gridSize: "small" }))
          .status,
      ).toBe(201);
    }
    const first = await send("GET", "/api/v1/areas?parentId=440402001002&pageSize=2");
    expect((first.body.areas as { areaId: string }[]).map((area) => area.areaId)).toEqual([
      "440402001002001",
      "440402001002002",
    ]);
    const second = await send(
      "GET",
      `/api/v1/areas?parentId=440402001002&pageSize=2&pageToken=${first.body.nextPageToken}`,
    );
    expect((second.body.areas as { areaId: string }[]).map((area) => area.areaId)).toEqual([testGrid]);
    expect(second.body).not.toHaveProperty("nextPageToken");
  });

  it("assigns one grid chief and grid workers; updates populations", async () => {
    expect(
      (
        await send("POST", `/api/v1/areas/${testGrid}/staff`, {
          personId: "p-1",
          name: "李网格长",
          role: "chief",
        })
      ).status,
    ).toBe(200);
    const worker = await send("POST", `/api/v1/areas/${testGrid}/staff`, {
      personId: "p-2",
      name: "王网格员",
      role: "worker",
    });
    expect(worker.body.staff).toEqual([
      { personId: "p-1", name: "李网格长", role: "chief" },
      { personId: "p-2", name: "王网格员", role: "worker" },
    ]);
    const secondChief = await send("POST", `/api/v1/areas/${testGrid}/staff`, {
      personId: "p-3",
      name: "x",
      role: "chief",
    });
    expect(secondChief).toMatchObject({ status: 400, body: { reason: "GRID_CHIEF_TAKEN" } });
    const figures = await send("PUT", `/api/v1/areas/${testGrid}/figures`, {
      population: 1_900,
      households: 660,
    });
    expect(figures.body).toMatchObject({ population: 1_900, households: 660, version: 4 });
  });

  it("refuses negative populations, unknown parents, codes that do not fit, and callers who are not administrators", async () => {
    const negative = await send("PUT", `/api/v1/areas/${testGrid}/figures`, {
      population: -5,
      households: 1,
    });
    expect(negative.status).toBe(400);
    expect((negative.body.errors as { field: string }[]).map((error) => error.field)).toEqual(["population"]);
    expect(
      (await send("POST", "/api/v1/areas", { areaId: "440403001", level: "street", name: "x" })).status,
    ).toBe(404);
    expect(
      (await send("POST", "/api/v1/areas", { areaId: "44040", level: "district", name: "x" })).status,
    ).toBe(400);
    const resident = bearer("r-1", { roles: ["resident"] });
    expect(
      (await send("POST", "/api/v1/departments", { departmentId: "housing", name: "住建" }, resident)).status,
    ).toBe(403);
    expect(
      (await send("POST", "/api/v1/areas", { areaId: "440400", level: "city", name: "again" })).status,
    ).toBe(409);
  });

  it("publishes area changes for other services to copy", async () => {
    const nats = await connect({ servers: inject("natsUrl") });
    try {
      const jsm = await jetstreamManager(nats);
      const stream = `${platform().namespace.toUpperCase()}_GRID_CASES`;
      let messages = 0;
      for (let attempt = 0; attempt < 50 && messages === 0; attempt++) {
        messages =
          (await jsm.streams.info(stream, { subjects_filter: `${platform().namespace}.grid-cases.area.>` }))
            .state.subjects?.[`${platform().namespace}.grid-cases.area.defined`] ?? 0;
        if (messages === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(messages).toBeGreaterThanOrEqual(7);
    } finally {
      await nats.close();
    }
  });
});
