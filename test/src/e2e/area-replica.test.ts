import { type RunningAreaReplica, startAreaReplica } from "@civic/area-replica";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { quietLogger, startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

/** Another service's copy of grid-cases' areas, as the other services keep it. */
describe("area replica", () => {
  const platform = platformForTheseTests(startTestPlatform);
  let mongo: MongoClient;
  let consumerDb: Db;
  let nats: NatsConnection;
  let replica: RunningAreaReplica;

  const until = async <T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const value = await read();
      if (accept(value) || attempt > 200) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    mongo = await MongoClient.connect(inject("mongoUri"));
    consumerDb = mongo.db(`${platform().databaseName}_consumer`);
    nats = await connect({ servers: inject("natsUrl") });
    replica = await startAreaReplica({
      consumer: "replica-test",
      js: jetstream(nats),
      jsm: await jetstreamManager(nats),
      db: consumerDb,
      logger: quietLogger,
      namespace: platform().namespace,
    });
    await seedGeography(platform().gatewayUrl);
  });
  afterAll(async () => {
    await replica.stop();
    await nats.drain();
    await consumerDb.dropDatabase();
    await mongo.close();
  });

  it("copies each defined area with its population and households", async () => {
    const city = await until(
      () => replica.directory.get("440400"),
      (area) => area !== undefined,
    );
    expect(city).toEqual({
      areaId: "440400",
      level: "city",
      name: "珠海市",
      parentId: "",
      population: 2_581_829,
      households: 902_738,
    });
    const grid = await until(
      () => replica.directory.get(testGrid),
      (area) => area !== undefined,
    );
    expect(grid).toMatchObject({ level: "grid", parentId: "440402001002", population: 1_865 });
    expect(await replica.directory.get("440499")).toBeUndefined();
    const street = await replica.directory.within("440402001");
    expect(street.map((area) => area.areaId)).toEqual(["440402001", "440402001002", testGrid]);
    expect((await replica.directory.within("440402001", "grid")).map((area) => area.areaId)).toEqual([
      testGrid,
    ]);
    expect(await replica.directory.within("not-a-code")).toEqual([]);
  });

  it("follows updated figures", async () => {
    const response = await fetch(`${platform().gatewayUrl}/api/v1/areas/440402/figures`, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        authorization: bearer("admin-1", { roles: ["platform_admin"] }),
      },
      body: JSON.stringify({ population: 1_050_000, households: 367_000 }),
    });
    expect(response.status).toBe(200);
    const district = await until(
      () => replica.directory.get("440402"),
      (area) => area?.population === 1_050_000,
    );
    expect(district).toMatchObject({ population: 1_050_000, households: 367_000, name: "香洲区" });
  });
});
