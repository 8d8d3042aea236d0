import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inProcessCallerTokens } from "@civic/service-kit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Options } from "express-rate-limit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createGatewayApp } from "./app.js";
import { SharedRateLimitCounts } from "./rate-limit-counts.js";

// Two gateway replicas, each with its own NATS connection, counting in one bucket.
describe("rate-limit counts shared by gateway replicas", () => {
  const bucket = `rate_limits_${Date.now().toString(36)}`;
  const connections: NatsConnection[] = [];
  const servers: Server[] = [];
  const replica = async (windowMs: number) => {
    const nats = await connect({ servers: inject("natsUrl") });
    connections.push(nats);
    return SharedRateLimitCounts.open(nats, { bucket, windowMs });
  };

  beforeAll(async () => {
    await replica(60_000);
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    for (const nats of connections) await nats.drain();
  });

  it("counts every hit once when two replicas take a burst from one client", async () => {
    const options = { windowMs: 60_000 } as Options;
    const stores = [(await replica(60_000)).store("burst"), (await replica(60_000)).store("burst")];
    for (const store of stores) await store.init?.(options);
    const totals = await Promise.all(
      Array.from(
        { length: 60 },
        async (_, index) => (await stores[index % 2]?.increment("203.0.113.7"))?.totalHits,
      ),
    );
    expect(new Set(totals).size).toBe(60);
    expect(Math.max(...(totals as number[]))).toBe(60);
    expect((await stores[0]?.get?.("203.0.113.7"))?.totalHits).toBe(60);
    expect(await stores[1]?.get?.("another client")).toBeUndefined();
  });

  it("answers 429 once the limit is reached across replicas, not per replica", async () => {
    const { issuer } = await inProcessCallerTokens();
    const gateway = async () => {
      const app = createGatewayApp({
        upstreams: {},
        deadlineMs: 500,
        callerTokens: issuer,
        logger: pino({ level: "silent" }),
        rateLimits: { windowMs: 60_000, perIp: 3, perCaller: 3, counts: await replica(60_000) },
      });
      const server = app.listen(0, "127.0.0.1");
      servers.push(server);
      await once(server, "listening");
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const replicas = [await gateway(), await gateway()];
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) {
      const response = await fetch(`${replicas[index % 2]}/api/v1/no-such-route`);
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });
});
