import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { Express } from "express";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createGatewayApp } from "../app.js";
import { upstreamClients } from "../upstreams.js";
import { gatewayOpenApiDocument } from "./index.js";

// Routes are only listed, never called, so what stands behind them can be empty; the
// transcoder mounts the routes of every service given a client, which reaches nothing.
const unused = {} as never;
const unreachable = "127.0.0.1:1";
const everyRoute = () =>
  createGatewayApp({
    upstreams: upstreamClients({
      "grid-cases": unreachable,
      deliberation: unreachable,
      "party-building": unreachable,
      "social-registry": unreachable,
      "volunteer-stations": unreachable,
    }),
    eventStream: { feed: unused, limits: { perCaller: 1, total: 1, keepAliveMs: 1_000 } },
    deadlineMs: 1_000,
    callerTokens: unused,
    logger: pino({ level: "silent" }),
  });

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `GET /api/v1/cases/{caseId}` for every route Express would dispatch, nested routers included. */
function routesOf(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = layer.route.path.replace(/:(\w+)/g, "{$1}");
        for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}

type Document = { paths: Record<string, Record<string, { operationId: string; summary: string }>> };
const documented = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

describe("the OpenAPI document", () => {
  const document = gatewayOpenApiDocument() as Document;

  it("has exactly the gateway's routes", () => {
    const routes = routesOf(everyRoute());
    const operations = documented(document);
    expect({ undocumented: routes.filter((route) => !operations.includes(route)) }).toEqual({
      undocumented: [],
    });
    expect({ withoutRoute: operations.filter((operation) => !routes.includes(operation)) }).toEqual({
      withoutRoute: [],
    });
    expect(new Set(routes).size).toBe(routes.length);
  });

  it("is valid OpenAPI 3.1 whose references all resolve", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it("describes every operation in words from its proto comment", () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const undescribed = operations.filter((operation) => operation.summary === operation.operationId);
    expect(undescribed.map((operation) => operation.operationId)).toEqual([]);
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(operations.length);
  });

  it("declares Idempotency-Key on every POST and the rate-limit headers on answers", () => {
    type Operation = {
      parameters: { $ref?: string }[];
      responses: Record<string, { headers?: Record<string, unknown> }>;
    };
    const operations = Object.entries(
      document.paths as unknown as Record<string, Record<string, Operation>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    const annotated = operations.filter(
      ({ path }) => path.startsWith("/api/v1/") && !path.includes("event-stream"),
    );
    const posts = annotated.filter(({ method }) => method === "post");
    expect(posts.length).toBeGreaterThan(50);
    for (const { path, operation } of posts) {
      expect(operation.parameters, path).toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
    }
    for (const { path, method, operation } of annotated) {
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith("2"));
      for (const [status, response] of success) {
        expect(Object.keys(response.headers ?? {}), `${method} ${path} ${status}`).toContain("RateLimit");
      }
    }
  });

  it("shows enums by their lowercase names and path fields as path parameters", () => {
    const anyDocument = document as unknown as {
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>>;
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    const caseSchema = anyDocument.components.schemas["civic.grid_cases.v1.Case"];
    expect(caseSchema?.properties.status?.enum).toContain("submitted");
    expect(caseSchema?.properties.status?.enum).not.toContain("unspecified");
    const getCase = anyDocument.paths["/api/v1/cases/{caseId}"]?.get;
    expect(getCase?.parameters).toEqual([expect.objectContaining({ name: "caseId", in: "path" })]);
  });
});

describe("serving the document", () => {
  let server: Server;
  afterAll(() => server?.close());

  it("serves the document, a docs page and the page's assets without a token", async () => {
    server = everyRoute().listen(0);
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const served = await fetch(`${url}/openapi.json`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(gatewayOpenApiDocument());

    const page = await fetch(`${url}/docs`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("/docs/assets/swagger-ui-bundle.js");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");

    for (const asset of [
      "/docs/assets/swagger-ui-bundle.js",
      "/docs/assets/swagger-ui.css",
      "/docs/start.js",
    ]) {
      const response = await fetch(`${url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length, asset).toBeGreaterThan(10);
    }
    expect(
      (await fetch(`${url}/docs/start.js`).then((response) => response.text())).includes("/openapi.json"),
    ).toBe(true);
  });
});
