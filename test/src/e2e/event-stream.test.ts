import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayApp, DomainEventFeed } from "@civic/gateway";
import { inProcessCallerTokens } from "@civic/service-kit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openEventStream } from "../support/event-stream-client.js";
import { quietLogger, testJwtSecret } from "../support/platform.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const elsewhere = "440403001001";

describe("the event stream: domain events for dashboards, by the caller's areas", () => {
  let nats: NatsConnection;
  let feed: DomainEventFeed;
  let server: Server;
  let baseUrl: string;
  const namespace = `es_${randomUUID().slice(0, 8)}`;

  const publish = async (type: string, subject: string, data: Record<string, unknown>) => {
    const id = randomUUID();
    nats.publish(
      `${namespace}.${type}`,
      JSON.stringify({
        specversion: "1.0",
        id,
        source: `${namespace}/${type.split(".")[0]}`,
        type: `${namespace}.${type}`,
        subject,
        time: new Date().toISOString(),
        datacontenttype: "application/json",
        data,
      }),
    );
    await nats.flush();
    return id;
  };
  const until = async (done: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error("timed out waiting for events");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
    feed = DomainEventFeed.start(nats, namespace, quietLogger);
    await nats.flush();
    const app = createGatewayApp({
      upstreams: {},
      eventStream: { feed, limits: { perCaller: 2, total: 50, keepAliveMs: 60_000 } },
      deadlineMs: 5_000,
      callerTokens: (await inProcessCallerTokens()).issuer,
      jwtSecret: testJwtSecret,
      logger: quietLogger,
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/event-stream`;
  });
  afterAll(async () => {
    feed.close();
    await new Promise((resolve) => server.close(resolve));
    await nats.drain();
  });

  it("shows staff the events of their areas, also those that name no area, and admins everything", async () => {
    const staff = await openEventStream(
      `${baseUrl}?types=grid-cases.case`,
      bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] }),
    );
    const admin = await openEventStream(baseUrl, bearer("admin", { roles: ["platform_admin"] }));
    expect(staff.response.headers.get("content-type")).toContain("text/event-stream");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(feed.listenerCount).toBe(2);

    const ours = await publish("grid-cases.case.submitted", "case-ours", {
      areaId: nancun,
      title: "路灯不亮",
    });
    const theirs = await publish("grid-cases.case.submitted", "case-theirs", { areaId: elsewhere });
    // case.assigned names no area: the feed remembers the case's area from its submission.
    const assigned = await publish("grid-cases.case.assigned", "case-ours", { departmentId: "municipal" });
    const theirsAssigned = await publish("grid-cases.case.assigned", "case-theirs", {
      departmentId: "water",
    });
    const otherType = await publish("volunteer-stations.station.registered", "station-1", { areaId: nancun });
    const unknownArea = await publish("grid-cases.case.escalated", "case-never-seen", {});

    await until(() => admin.received.length === 6);
    expect(admin.received.map((event) => event.id)).toEqual([
      ours,
      theirs,
      assigned,
      theirsAssigned,
      otherType,
      unknownArea,
    ]);
    await until(() => staff.received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(staff.received.map((event) => [event.id, event.event, event.data.areaId])).toEqual([
      [ours, "grid-cases.case.submitted", nancun],
      [assigned, "grid-cases.case.assigned", nancun],
    ]);
    expect(staff.received[0]?.data.data).toEqual({ areaId: nancun, title: "路灯不亮" });
    await staff.close();
    await admin.close();
    await until(() => feed.listenerCount === 0);
  });

  it("refuses anonymous callers, callers without areas, foreign areas, bad filters, and too many streams", async () => {
    expect((await fetch(baseUrl)).status).toBe(401);
    const resident = bearer("resident-1", { roles: ["resident"] });
    expect((await fetch(baseUrl, { headers: { authorization: resident } })).status).toBe(403);
    const staff = bearer("staff-2", { roles: ["community_staff"], areas: [nancun] });
    expect(
      (await fetch(`${baseUrl}?areaId=${elsewhere}`, { headers: { authorization: staff } })).status,
    ).toBe(403);
    const bad = await fetch(`${baseUrl}?types=grid-cases.case.$gt`, { headers: { authorization: staff } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");

    const first = await openEventStream(baseUrl, staff);
    const second = await openEventStream(baseUrl, staff);
    const third = await fetch(baseUrl, { headers: { authorization: staff } });
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("30");
    await first.close();
    await until(() => feed.listenerCount === 1);
    const again = await openEventStream(baseUrl, staff);
    expect(again.response.status).toBe(200);
    await second.close();
    await again.close();
  });
});
