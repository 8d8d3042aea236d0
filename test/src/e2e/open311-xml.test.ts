import { initTelemetry } from "@civic/telemetry";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedGeography, testGrid } from "../support/geography.js";
import { startTestPlatform, type TestPlatform } from "../support/platform.js";
import { bearer } from "../support/tokens.js";

/**
 * GeoReport v2 in XML, read the way FixMyStreet's Open311 client reads it: every resource as
 * `.xml`, every value as text, repeated elements as lists, POST as a form with `api_key`.
 */

const district = "440402";
/** The elements a GeoReport client treats as lists, even when one comes. */
const repeated = new Set([
  "service",
  "request",
  "attribute",
  "value",
  "error",
  "endpoint",
  "format",
  "note",
  "entry",
]);
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => repeated.has(name) });

describe("Open311 GeoReport v2 in XML, as an XML-only client reads it", () => {
  let platform: TestPlatform;
  let mongo: MongoClient;
  let apiKey: string;
  let commandCentreKey: string;
  const caseCount = () => mongo.db(platform.databaseName).collection("cases").countDocuments();

  /** One GeoReport call: GET with query parameters, or POST as a form; the answer parsed as XML. */
  const georeport = async (
    path: string,
    init: { query?: Record<string, string>; form?: Record<string, string> } = {},
  ) => {
    const search = init.query ? `?${new URLSearchParams(init.query)}` : "";
    const response = await fetch(`${platform.gatewayUrl}/open311/v2${path}${search}`, {
      method: init.form ? "POST" : "GET",
      ...(init.form
        ? {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams(init.form).toString(),
          }
        : {}),
    });
    const text = await response.text();
    expect(XMLValidator.validate(text), text).toBe(true);
    expect(response.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    // biome-ignore lint/suspicious/noExplicitAny: GeoReport documents are checked element by element
    const xml: any = parser.parse(text);
    return { status: response.status, headers: response.headers, xml, text };
  };

  const postForm = (overrides: Record<string, string> = {}) => ({
    api_key: apiKey,
    jurisdiction_id: district,
    service_code: "manhole-cover-missing",
    lat: "22.2716",
    long: "113.5767",
    description: `Cover gone at "Jida Rd" 12 & 14 <near the 'school'> ]]> 井盖缺失`,
    "attribute[area_id]": testGrid,
    first_name: "Chen",
    last_name: "Mei",
    phone: "13812345678",
    ...overrides,
  });

  beforeAll(async () => {
    initTelemetry({ serviceName: "e2e" });
    platform = await startTestPlatform(inject("mongoUri"), inject("natsUrl"));
    await seedGeography(platform.gatewayUrl);
    mongo = await MongoClient.connect(inject("mongoUri"));
    apiKey = bearer("resident-xml", { roles: ["resident"] }).slice("Bearer ".length);
    commandCentreKey = bearer("cc-xml", { roles: ["command_centre"], areas: [district] }).slice(
      "Bearer ".length,
    );
  });
  afterAll(async () => {
    await platform.stop();
    await mongo.db(platform.databaseName).dropDatabase();
    await mongo.close();
  });

  it("discovers the endpoint, lists services and reads a service definition", async () => {
    const discovery = await georeport("/discovery.xml");
    expect(discovery.status).toBe(200);
    expect(discovery.xml.discovery.endpoints.endpoint).toEqual([
      {
        specification: "http://wiki.open311.org/GeoReport_v2",
        url: `${platform.gatewayUrl}/open311/v2`,
        changeset: discovery.xml.discovery.changeset,
        type: "production",
        formats: { format: ["text/xml", "application/json"] },
      },
    ]);

    const services = await georeport("/services.xml", { query: { jurisdiction_id: district } });
    expect(services.status).toBe(200);
    expect(services.xml.services.service).toHaveLength(28);
    expect(services.xml.services.service).toContainEqual({
      service_code: "manhole-cover-missing",
      service_name: "井盖缺失 Missing manhole cover",
      description: expect.stringContaining("Urgent work order"),
      metadata: "true",
      type: "realtime",
      keywords: "urgent,report,urban-management",
      group: "urban-management",
    });

    const definition = await georeport("/services/neighbour-dispute.xml", {
      query: { jurisdiction_id: district },
    });
    expect(definition.status).toBe(200);
    const { service_code, attributes } = definition.xml.service_definition;
    expect(service_code).toBe("neighbour-dispute");
    expect(attributes.attribute.map((attribute: { code: string }) => attribute.code)).toEqual([
      "area_id",
      "request_type",
      "anonymous",
    ]);
    expect(attributes.attribute[0]).toMatchObject({
      variable: "true",
      datatype: "string",
      required: "true",
      order: "1",
    });
    expect(attributes.attribute[2].values.value).toEqual([
      { key: "false", name: "署名 With name and phone" },
      { key: "true", name: "匿名 Anonymous" },
    ]);
  });

  it("posts a form with api_key, looks the token up and reads the request back with its text intact", async () => {
    const form = postForm();
    const created = await georeport("/requests.xml", { form });
    expect(created.status).toBe(201);
    const [receipt] = created.xml.service_requests.request;
    expect(receipt).toEqual({
      service_request_id: expect.stringMatching(/^[\w-]+$/),
      service_notice: expect.stringContaining("Urgent"),
      account_id: "resident-xml",
    });
    const id = receipt.service_request_id as string;
    expect(created.headers.get("location")).toBe(`/open311/v2/requests/${id}.xml`);
    // Markup characters in the reporter's text are escaped, never wrapped in CDATA.
    expect(created.text).not.toContain("CDATA");

    const token = await georeport(`/tokens/${id}.xml`, { query: { api_key: apiKey } });
    expect(token.status).toBe(200);
    expect(token.xml.service_requests.request).toEqual([{ service_request_id: id, token: id }]);

    const read = await georeport(`/requests/${id}.xml`, {
      query: { api_key: apiKey, jurisdiction_id: district },
    });
    expect(read.status).toBe(200);
    const [request] = read.xml.service_requests.request;
    expect(request).toMatchObject({
      service_request_id: id,
      status: "open",
      service_code: "manhole-cover-missing",
      description: form.description,
      agency_responsible: "",
      lat: "22.2716",
      long: "113.5767",
      extended_attributes: { status: "submitted", area_id: testGrid, request_type: "report" },
    });
    expect(read.text).toContain("<agency_responsible/>");
    expect(read.text).toContain("&amp; 14 &lt;near the &apos;school&apos;&gt; ]]&gt;");
    expect(request.notes.note).toEqual([
      {
        datetime: request.requested_datetime,
        summary: expect.stringContaining("Submitted"),
        type: "case.submitted",
      },
    ]);
  });

  it("lists requests by an id list and by the spec's filters", async () => {
    const first = await georeport("/requests.xml", { form: postForm() });
    const second = await georeport("/requests.xml", {
      form: postForm({ service_code: "neighbour-dispute", description: "Noise after midnight" }),
    });
    const firstId = first.xml.service_requests.request[0].service_request_id as string;
    const secondId = second.xml.service_requests.request[0].service_request_id as string;

    const byIds = await georeport("/requests.xml", {
      query: { api_key: commandCentreKey, service_request_id: `${firstId},${secondId}` },
    });
    expect(byIds.status).toBe(200);
    expect(
      byIds.xml.service_requests.request
        .map((request: { service_request_id: string }) => request.service_request_id)
        .sort(),
    ).toEqual([firstId, secondId].sort());

    const filtered = await georeport("/requests.xml", {
      query: {
        api_key: commandCentreKey,
        jurisdiction_id: district,
        service_code: "neighbour-dispute",
        status: "open",
        start_date: new Date(Date.now() - 3_600_000).toISOString(),
        end_date: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    expect(filtered.status).toBe(200);
    const listed = filtered.xml.service_requests.request as {
      service_request_id: string;
      service_code: string;
    }[];
    expect(listed.map((request) => request.service_request_id)).toContain(secondId);
    expect(listed.every((request) => request.service_code === "neighbour-dispute")).toBe(true);

    // Nothing matches: the list element is there and empty.
    const none = await georeport("/requests.xml", {
      query: { api_key: commandCentreKey, service_code: "neighbour-dispute", status: "closed" },
    });
    expect(none.text).toContain("<service_requests/>");
  });

  it("answers errors as <errors><error><code/><description/></error></errors> and stores nothing", async () => {
    const before = await caseCount();
    const bad = await georeport("/requests.xml", {
      form: postForm({ lat: "north", "attribute[area_id]": "", description: "" }),
    });
    expect(bad.status).toBe(400);
    const errors = bad.xml.errors.error as { code: string; description: string }[];
    expect(errors.every((error) => error.code === "400")).toBe(true);
    const descriptions = errors.map((error) => error.description).join(" | ");
    expect(descriptions).toContain("lat");
    expect(descriptions).toContain("attribute[area_id]");
    expect(descriptions).toContain("description");
    expect(await caseCount()).toBe(before);

    const badKey = await georeport("/requests.xml", { form: postForm({ api_key: "not-a-token" }) });
    expect(badKey.status).toBe(403);
    expect(badKey.xml.errors.error[0].code).toBe("403");
    expect(await caseCount()).toBe(before);

    const unknown = await georeport("/services/alien-landing.xml");
    expect(unknown.status).toBe(404);
    expect(unknown.xml.errors.error).toEqual([
      { code: "404", description: "service_code: alien-landing is not a service of this endpoint" },
    ]);
    const nowhere = await georeport("/nowhere.xml");
    expect(nowhere.status).toBe(404);
    expect(nowhere.xml.errors.error[0].code).toBe("404");
  });
});
