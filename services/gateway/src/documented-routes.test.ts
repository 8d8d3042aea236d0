import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openApiDocument } from "@civic/openapi";
import type { Express } from "express";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createGatewayApp } from "./app.js";
import { upstreamClients } from "./upstreams.js";

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

describe("the gateway's routes", () => {
  const document = openApiDocument() as Document;

  it("are exactly the operations of the OpenAPI document", () => {
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
    expect(await served.json()).toEqual(openApiDocument());

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
