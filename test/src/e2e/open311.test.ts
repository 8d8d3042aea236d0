import { initTelemetry } from "@civic/telemetry";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { startTestPlatform, type TestPlatform } from "../support/platform.js";
import { bearer } from "../support/tokens.js";

const district = "440402";
const chinaTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

describe("Open311 GeoReport v2 over grid cases", () => {
  let platform: TestPlatform;
  let mongo: MongoClient;
  let residentToken: string;
  let otherResident: string;
  let commandCentre: string;
  const caseCount = () => mongo.db(platform.databaseName).collection("cases").countDocuments();
  const eventCount = () => mongo.db(platform.databaseName).collection("events").countDocuments();

  const open311 = async (
    path: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; authorization?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (init.authorization) headers.authorization = init.authorization;
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    const response = await fetch(`${platform.gatewayUrl}/open311/v2${path}`, {
      method: init.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      ...(body === undefined ? {} : { body }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: Open311 answers are checked field by field
    const json: any = await response.json();
    return { status: response.status, headers: response.headers, body: json };
  };

  const manholeForm = (overrides: Record<string, string> = {}) => ({
    jurisdiction_id: district,
    service_code: "manhole-cover-missing",
    lat: "22.2716",
    long: "113.5767",
    description: "井盖缺失，吉大路12号门口\nThe cover outside No. 12 is gone.",
    "attribute[area_id]": testGrid,
    first_name: "Chen",
    last_name: "Mei",
    phone: "13812345678",
    email: "chen@example.cn",
    ...overrides,
  });

  /** The Open311 error answer: `[{code, description}]` with the status as code. */
  const expectErrors = (answer: { status: number; body: unknown }, status: number, text: string) => {
    expect(answer.status).toBe(status);
    expect(Array.isArray(answer.body)).toBe(true);
    const errors = answer.body as { code: number; description: string }[];
    for (const error of errors) expect(error.code).toBe(status);
    expect(errors.map((error) => error.description).join(" | ")).toContain(text);
  };

  beforeAll(async () => {
    initTelemetry({ serviceName: "e2e" });
    platform = await startTestPlatform(inject("mongoUri"), inject("natsUrl"));
    await seedGeography(platform.gatewayUrl);
    mongo = await MongoClient.connect(inject("mongoUri"));
    residentToken = bearer("resident-chen", { roles: ["resident"] }).slice("Bearer ".length);
    otherResident = bearer("resident-wang", { roles: ["resident"] });
    commandCentre = bearer("cc-1", { roles: ["command_centre"], areas: [district] });
  });
  afterAll(async () => {
    await platform.stop();
    await mongo.db(platform.databaseName).dropDatabase();
    await mongo.close();
  });

  it("discovery names the GeoReport v2 endpoint in XML and JSON", async () => {
    const discovery = await open311("/discovery.json");
    expect(discovery.status).toBe(200);
    expect(discovery.body).toMatchObject({
      changeset: expect.stringMatching(chinaTime),
      contact: expect.any(String),
    });
    expect(discovery.body.key_service).toEqual(expect.any(String));
    expect(discovery.body.endpoints).toEqual([
      {
        specification: "http://wiki.open311.org/GeoReport_v2",
        url: `${platform.gatewayUrl}/open311/v2`,
        changeset: discovery.body.changeset,
        type: "production",
        formats: ["text/xml", "application/json"],
      },
    ]);
  });

  it("lists every catalogue category as a service, and defines a service's attributes", async () => {
    const services = await open311(`/services.json?jurisdiction_id=${district}`);
    expect(services.status).toBe(200);
    expect(services.body).toHaveLength(28);
    expect(services.body).toContainEqual({
      service_code: "manhole-cover-missing",
      service_name: "井盖缺失 Missing manhole cover",
      description: expect.stringContaining("Urgent work order"),
      metadata: true,
      type: "realtime",
      keywords: "urgent,report,urban-management",
      group: "urban-management",
    });

    const definition = await open311("/services/neighbour-dispute.json");
    expect(definition.status).toBe(200);
    expect(definition.body.service_code).toBe("neighbour-dispute");
    const [area, requestType, anonymous] = definition.body.attributes;
    expect(area).toMatchObject({
      code: "area_id",
      datatype: "string",
      required: true,
      order: 1,
      variable: true,
    });
    expect(requestType).toMatchObject({
      code: "request_type",
      datatype: "singlevaluelist",
      required: false,
      order: 2,
    });
    expect(requestType.datatype_description).toContain("help");
    expect(requestType.values.map((value: { key: string }) => value.key)).toEqual([
      "consultation",
      "help",
      "complaint",
      "report",
      "suggestion",
      "praise",
    ]);
    expect(anonymous.values.map((value: { key: string }) => value.key)).toEqual(["false", "true"]);

    expectErrors(await open311("/services/alien-landing.json"), 404, "alien-landing");
    expectErrors(await open311("/services.json?jurisdiction_id=440499"), 400, "jurisdiction_id");
    expectErrors(await open311("/services.yaml"), 404, ".xml or .json");
  });

  it("creates a request from a form with api_key, and reads it back as a GeoReport request", async () => {
    const created = await open311("/requests.json", { form: { ...manholeForm(), api_key: residentToken } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual([
      {
        service_request_id: expect.any(String),
        service_notice: expect.stringContaining("Urgent"),
        account_id: "resident-chen",
      },
    ]);
    const id = created.body[0].service_request_id as string;
    expect(created.headers.get("location")).toBe(`/open311/v2/requests/${id}.json`);

    const read = await open311(`/requests/${id}.json?api_key=${residentToken}`);
    expect(read.status).toBe(200);
    expect(read.body).toHaveLength(1);
    const [request] = read.body;
    expect(request).toMatchObject({
      service_request_id: id,
      status: "open",
      status_notes: "",
      service_name: "井盖缺失 Missing manhole cover",
      service_code: "manhole-cover-missing",
      description: "井盖缺失，吉大路12号门口\nThe cover outside No. 12 is gone.",
      agency_responsible: null,
      expected_datetime: null,
      address: "",
      lat: 22.2716,
      long: 113.5767,
      media_url: null,
      extended_attributes: {
        status: "submitted",
        area_id: testGrid,
        request_type: "report",
        title: "井盖缺失，吉大路12号门口",
      },
    });
    expect(request.requested_datetime).toMatch(chinaTime);
    expect(request.updated_datetime).toBe(request.requested_datetime);
    expect(request.notes).toEqual([
      {
        datetime: request.requested_datetime,
        summary: "Submitted 已提交: 井盖缺失，吉大路12号门口",
        type: "case.submitted",
      },
    ]);
    expect(request.extended_attributes.timeline).toEqual([
      {
        type: "case.submitted",
        by: "resident-chen",
        datetime: request.requested_datetime,
        note: "井盖缺失，吉大路12号门口",
      },
    ]);

    // Through the REST API the reporter sees the Open311 channel, and the phone stays masked.
    const viaRest = (await (
      await fetch(`${platform.gatewayUrl}/api/v1/cases/${id}`, {
        headers: { authorization: `Bearer ${residentToken}` },
      })
    ).json()) as Record<string, unknown>;
    expect(viaRest).toMatchObject({
      channel: "open311",
      reporterName: "Chen Mei",
      reporterPhone: "138****5678",
    });
  });

  it("creates a request from JSON with a bearer token and nested attributes; the lifecycle shows in status and notes", async () => {
    const authorization = `Bearer ${residentToken}`;
    const created = await open311("/requests.json", {
      authorization,
      json: {
        service_code: "neighbour-dispute",
        address_string: "吉大路12号3栋",
        description: "楼上邻居深夜装修 Renovation upstairs after midnight",
        media_url: "https://img.example.cn/noise.jpg",
        attribute: { area_id: testGrid, request_type: "complaint" },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body[0].service_request_id as string;

    const staff = bearer("cs-1", { roles: ["community_staff"], areas: [testGrid] });
    const step = async (body: unknown, as: string) => {
      const moved = await fetch(`${platform.gatewayUrl}/api/v1/cases/${id}/transitions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: as },
        body: JSON.stringify(body),
      });
      expect(moved.status).toBe(200);
    };
    await step({ accept: {} }, staff);
    await step({ dispatch: { departmentId: "urban-management" } }, commandCentre);

    const read = await open311(`/requests/${id}.json`, { authorization });
    const [request] = read.body;
    expect(request).toMatchObject({
      status: "open",
      agency_responsible: "urban-management",
      address: "吉大路12号3栋",
      lat: null,
      long: null,
      media_url: "https://img.example.cn/noise.jpg",
      extended_attributes: { status: "dispatched", request_type: "complaint", sla_policy: "standard" },
    });
    expect(request.expected_datetime).toMatch(chinaTime);
    expect(request.notes.map((note: { type: string }) => note.type)).toEqual([
      "case.submitted",
      "case.accepted",
      "case.dispatched",
    ]);
    expect(request.notes[2].summary).toBe("Dispatched 已派单: urban-management");
    expect(request.updated_datetime >= request.requested_datetime).toBe(true);
  });

  it("lists requests with the spec's filters and pages, and finds a token", async () => {
    const closedOne = await open311("/requests.json", {
      form: manholeForm({ service_code: "policy-consultation", description: "社保转移怎么办理？" }),
      authorization: commandCentre,
    });
    const closedId = closedOne.body[0].service_request_id as string;
    const staff = bearer("cs-1", { roles: ["community_staff"], areas: [testGrid] });
    const rejected = await fetch(`${platform.gatewayUrl}/api/v1/cases/${closedId}/transitions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: staff },
      body: JSON.stringify({ reject: { reason: "请咨询社保局窗口 Ask the social-security office" } }),
    });
    expect(rejected.status).toBe(200);

    const all = await open311("/requests.json", { authorization: commandCentre });
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(3);
    const ids = all.body.map((request: { service_request_id: string }) => request.service_request_id);

    const closed = await open311("/requests.json?status=closed", { authorization: commandCentre });
    expect(closed.body.map((request: { service_request_id: string }) => request.service_request_id)).toEqual([
      closedId,
    ]);
    expect(closed.body[0]).toMatchObject({
      status: "closed",
      status_notes: "请咨询社保局窗口 Ask the social-security office",
      extended_attributes: { status: "rejected" },
    });
    const open = await open311("/requests.json?status=open", { authorization: commandCentre });
    expect(open.body).toHaveLength(2);
    expect(
      (await open311("/requests.json?status=open,closed", { authorization: commandCentre })).body,
    ).toHaveLength(3);

    const byCode = await open311("/requests.json?service_code=neighbour-dispute", {
      authorization: commandCentre,
    });
    expect(byCode.body.map((request: { service_code: string }) => request.service_code)).toEqual([
      "neighbour-dispute",
    ]);
    const byIds = await open311(`/requests.json?service_request_id=${ids[0]},${ids[2]}&service_code=none`, {
      authorization: commandCentre,
    });
    expect(byIds.body.map((request: { service_request_id: string }) => request.service_request_id)).toEqual([
      ids[0],
      ids[2],
    ]);
    const past = await open311(
      "/requests.json?start_date=2020-01-01T00:00:00%2B08:00&end_date=2020-02-01T00:00:00Z",
      {
        authorization: commandCentre,
      },
    );
    expect(past.body).toEqual([]);
    const inJurisdiction = await open311(`/requests.json?jurisdiction_id=${district}`, {
      authorization: commandCentre,
    });
    expect(inJurisdiction.body).toHaveLength(3);

    const page1 = await open311("/requests.json?page_size=2", { authorization: commandCentre });
    expect(page1.body).toHaveLength(2);
    expect(page1.headers.get("link")).toBe('</open311/v2/requests.json?page_size=2&page=2>; rel="next"');
    const page2 = await open311("/requests.json?page_size=2&page=2", { authorization: commandCentre });
    expect(page2.body.map((request: { service_request_id: string }) => request.service_request_id)).toEqual([
      ids[2],
    ]);
    expect(page2.headers.get("link")).toBeNull();
    expect(
      (await open311("/requests.json?page_size=2&page=5", { authorization: commandCentre })).body,
    ).toEqual([]);

    // A resident sees their own requests only.
    const mine = await open311(`/requests.json?api_key=${residentToken}`);
    expect(mine.body).toHaveLength(2);
    expect(
      mine.body.map((request: { service_request_id: string }) => request.service_request_id),
    ).not.toContain(closedId);

    const token = await open311(`/tokens/${closedId}.json`);
    expect(token.status).toBe(200);
    expect(token.body).toEqual([{ service_request_id: closedId, token: closedId }]);
    expectErrors(await open311("/tokens/0193f5a2-0000-7000-8000-000000000000.json"), 404, "token");

    expectErrors(
      await open311("/requests.json?status=pending", { authorization: commandCentre }),
      400,
      "status",
    );
    expectErrors(
      await open311("/requests.json?start_date=yesterday", { authorization: commandCentre }),
      400,
      "start_date",
    );
    expectErrors(await open311("/requests.json?page=21", { authorization: commandCentre }), 400, "page");
  });

  it("hides another resident's request (404) and shows it to nobody anonymous", async () => {
    const created = await open311("/requests.json", { form: { ...manholeForm(), api_key: residentToken } });
    const id = created.body[0].service_request_id as string;
    expectErrors(await open311(`/requests/${id}.json`, { authorization: otherResident }), 404, id);
    expectErrors(await open311(`/requests/${id}.json`), 404, id);
    expect((await open311(`/requests/${id}.json`, { authorization: commandCentre })).status).toBe(200);
  });

  it("refuses bad requests with the spec's error list and stores nothing", async () => {
    const casesBefore = await caseCount();
    const eventsBefore = await eventCount();

    expectErrors(
      await open311("/requests.json", { form: manholeForm({ "attribute[area_id]": "440403001001001" }) }),
      400,
      "attribute[area_id]: 440403001001001 lies outside jurisdiction 440402",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ jurisdiction_id: "440499" }) }),
      400,
      "jurisdiction_id",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ jurisdiction_id: "440402001" }) }),
      400,
      "jurisdiction_id: must be a district code",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ service_code: "alien-landing" }) }),
      400,
      "service_code: alien-landing",
    );
    const { lat: _lat, long: _long, ...withoutLocation } = manholeForm();
    expectErrors(
      await open311("/requests.json", { form: withoutLocation }),
      400,
      "address_string: is required when lat and long",
    );
    const { long: _onlyLong, ...onlyLat } = manholeForm();
    expectErrors(await open311("/requests.json", { form: onlyLat }), 400, "long: is required");
    const { "attribute[area_id]": _area, ...withoutArea } = manholeForm();
    expectErrors(
      await open311("/requests.json", { form: withoutArea }),
      400,
      "attribute[area_id]: is required",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ lat: "95" }) }),
      400,
      "lat: must be -90 to 90",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ phone: "12345" }) }),
      400,
      "phone: must be a mobile",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ "attribute[area_id]": "440402001002999" }) }),
      400,
      "attribute[area_id]: 440402001002999 is not a known area",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ colour: "red" }) }),
      400,
      "colour: is not a known field",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ address_id: "A-17" }) }),
      400,
      "address_id: is not supported",
    );
    expectErrors(
      await open311("/requests.json", { form: manholeForm({ "attribute[anonymous]": "true" }) }),
      400,
      "attribute[anonymous]: an anonymous report has no reporter name or phone",
    );
    expectErrors(
      await open311("/requests.json", { form: { ...manholeForm(), api_key: "not-a-token" } }),
      403,
      "api_key",
    );

    const malformed = await fetch(`${platform.gatewayUrl}/open311/v2/requests.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual([{ code: 400, description: "the body is not valid JSON" }]);
    expect(malformed.headers.get("content-type")).toContain("application/json");

    expect(await caseCount()).toBe(casesBefore);
    expect(await eventCount()).toBe(eventsBefore);
  });
});
