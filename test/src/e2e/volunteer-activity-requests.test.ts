import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually, publishAsDomain } from "../support/domain-events.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";
import { restClient, startVolunteerStationsPlatform } from "../support/volunteer-stations-platform.js";

const nancun = "440402001002";
const compound = "440402001002003";
const hour = 60 * 60_000;

describe("activities that deliberation resolutions ask for, and their progress back", () => {
  const platform = platformForTheseTests(startVolunteerStationsPlatform);
  const send = restClient(() => platform().gatewayUrl);
  const staff = bearer("staff-nancun", { roles: ["community_staff"], areas: [nancun] });
  const streetStaff = bearer("staff-gongbei", { roles: ["street_staff"], areas: ["440402001"] });
  let nats: NatsConnection;
  let mongo: MongoClient;
  let db: Db;
  let activityEvents: Subscription;
  const seen: { type: string; data: Record<string, unknown> }[] = [];

  const task = (taskId: string, fields: Record<string, unknown> = {}) => ({
    taskId,
    resolutionId: "resolution-drains",
    kind: "volunteer_activity",
    areaId: compound,
    title: "清淤志愿活动",
    description: "周六上午清理3栋至5栋雨水井",
    categoryCode: "",
    budgetFen: 200_000,
    requestedBy: "cs-nancun",
    at: "2026-11-20T02:00:00.000Z",
    ...fields,
  });
  const requestTask = (data: Record<string, unknown>, id?: string) =>
    publishAsDomain(nats, platform().namespace, "deliberation", "resolution.task_requested", data, id);
  const listRequests = async () =>
    (await send("GET", `/api/v1/volunteer-activity-requests?areaId=${nancun}`, staff)).body
      .requestedActivities as { requestId: string; origin: { reference: string }; activityId: string }[];
  const shiftsFromTomorrow = () => {
    const startsAt = new Date(platform().clock.now.getTime() + 24 * hour);
    return [
      {
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3 * hour).toISOString(),
        capacity: 20,
      },
    ];
  };

  beforeAll(async () => {
    nats = await connect({ servers: inject("natsUrl") });
    mongo = await MongoClient.connect(inject("mongoUri"));
    db = mongo.db(platform().databaseName);
    activityEvents = nats.subscribe(`${platform().namespace}.volunteer-stations.activity.>`, {
      callback: (_error, message) => {
        seen.push(message.json());
      },
    });
    for (const [stationId, areaId] of [
      ["nancun-blue-sky-hut", nancun],
      ["other-community-hut", "440402001003"],
    ]) {
      const registered = await send("POST", "/api/v1/volunteer-stations", streetStaff, {
        stationId,
        kind: "blue_sky_hut",
        name: stationId,
        areaId,
      });
      expect(registered.status, JSON.stringify(registered.body)).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    activityEvents?.unsubscribe();
    await nats?.drain();
    await mongo?.close();
  });

  it("records each requested activity once, publishes it from a station, and reports progress to 100%", async () => {
    await requestTask(task("task-drains"), "event-1");
    await requestTask(task("task-drains"), "event-1-resent-under-a-new-id");
    await requestTask(task("task-for-a-case", { kind: "case", categoryCode: "sewage-discharge" }));

    const requests = await eventually(listRequests, (found) => found.length >= 1);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({
      origin: { domain: "deliberation", reference: "task-drains" },
      resolutionId: "resolution-drains",
      areaId: compound,
      title: "清淤志愿活动",
      budgetFen: 200_000,
      requestedBy: "cs-nancun",
      activityId: "",
    });
    const requestId = request?.requestId as string;

    const elsewhere = await send("POST", "/api/v1/volunteer-activities", streetStaff, {
      stationId: "other-community-hut",
      title: "清淤志愿活动",
      shifts: shiftsFromTomorrow(),
      requestId,
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors).toEqual([
      { field: "stationId", detail: `does not serve area ${compound} of the request` },
    ]);
    const unknown = await send("POST", "/api/v1/volunteer-activities", staff, {
      stationId: "nancun-blue-sky-hut",
      title: "x",
      shifts: shiftsFromTomorrow(),
      requestId: "no-such-request",
    });
    expect(unknown.status).toBe(404);

    const published = await send("POST", "/api/v1/volunteer-activities", staff, {
      stationId: "nancun-blue-sky-hut",
      title: "清淤志愿活动（周六）",
      shifts: shiftsFromTomorrow(),
      requestId,
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(published.body).toMatchObject({
      activityId: requestId,
      origin: { domain: "deliberation", reference: "task-drains" },
    });
    const again = await send("POST", "/api/v1/volunteer-activities", staff, {
      stationId: "nancun-blue-sky-hut",
      title: "清淤志愿活动（重复）",
      shifts: shiftsFromTomorrow(),
      requestId,
    });
    expect(again.status).toBe(409);
    expect((await send("GET", `/api/v1/volunteer-activity-requests/${requestId}`, staff)).body).toMatchObject(
      { requestId, activityId: requestId },
    );

    const closed = await send("POST", `/api/v1/volunteer-activities/${requestId}/closure`, staff, {
      outcome: "completed",
      note: "清理雨水井12个",
    });
    expect(closed.status).toBe(200);
    const reports = await eventually(
      async () => seen.filter((event) => event.data.taskProgress !== undefined),
      (found) => found.length >= 2,
    );
    expect(
      reports.map((event) => [
        event.type.split(".").slice(-2).join("."),
        event.data.origin,
        event.data.taskProgress,
      ]),
    ).toEqual([
      [
        "activity.published",
        { domain: "deliberation", reference: "task-drains" },
        { percent: 10, note: "activity published: 清淤志愿活动（周六）" },
      ],
      [
        "activity.completed",
        { domain: "deliberation", reference: "task-drains" },
        { percent: 100, note: "清理雨水井12个" },
      ],
    ]);
  });

  it("keeps a task that can never be an activity as a dead letter, and shows requests to their area's staff only", async () => {
    await requestTask(task("task-without-title", { title: "" }));
    await requestTask(task("task-bad-area", { areaId: "not-an-area" }));
    const letters = await eventually(
      () => db.collection("dead_letters").find({}).toArray(),
      (found) => found.length >= 2,
    );
    expect(letters.map((letter) => letter.reason).sort()).toEqual([
      expect.stringContaining("areaId"),
      expect.stringContaining("title is missing"),
    ]);
    expect((await listRequests()).map((request) => request.origin.reference)).toEqual(["task-drains"]);

    const otherStaff = bearer("staff-other", { roles: ["community_staff"], areas: ["440402001003"] });
    const [request] = await listRequests();
    expect(
      (await send("GET", `/api/v1/volunteer-activity-requests/${request?.requestId}`, otherStaff)).status,
    ).toBe(403);
    expect(
      (await send("GET", `/api/v1/volunteer-activity-requests?areaId=${nancun}`, otherStaff)).status,
    ).toBe(403);
    const volunteer = bearer("vol-1", { roles: ["volunteer"] });
    expect((await send("GET", "/api/v1/volunteer-activity-requests", volunteer)).status).toBe(403);
  });
});
