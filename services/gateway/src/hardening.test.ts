import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inProcessCallerTokens } from "@civic/service-kit";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createGatewayApp, type GatewayOptions } from "./app.js";
import { upstreamClients } from "./upstreams.js";

// The gateway's own HTTP behaviour: none of these requests reaches a service (nothing
// listens at the clients' address), so a 502/503 would show a request leaked through.
const nowhere = "127.0.0.1:1";
const secret = "a-test-secret-that-is-long-enough-for-hs256";
const servers: Server[] = [];

async function gateway(options: Partial<GatewayOptions> = {}): Promise<string> {
  const app = createGatewayApp({
    upstreams: upstreamClients({ "grid-cases": nowhere }),
    deadlineMs: 500,
    callerTokens: (await inProcessCallerTokens()).issuer,
    logger: pino({ level: "silent" }),
    jwtSecret: secret,
    ...options,
  });
  const server = app.listen(0);
  servers.push(server);
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(() => {
  for (const server of servers) server.close();
});

const hs256Token = (subject: string) =>
  new SignJWT({ roles: ["community_staff"], areas: ["440402"] })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(secret));

describe("request size", () => {
  it("answers 413 problem+json for a body over the limit", async () => {
    const url = await gateway({ bodyLimit: "1kb" });
    const response = await fetch(`${url}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "x".repeat(2_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 413, type: "urn:civic:problem:payload-too-large" });
  });
});

describe("security headers and CORS", () => {
  it("sends helmet's headers and no X-Powered-By", async () => {
    const response = await fetch(`${await gateway()}/healthz`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("lets the dashboard page run its import map and no other inline script", async () => {
    const response = await fetch(`${await gateway()}/dashboard`);
    const importMap = /<script type="importmap">([^<]*)<\/script>/.exec(await response.text())?.[1];
    expect(importMap).toContain('"@civic/domain-kit"');
    const hash = createHash("sha256")
      .update(importMap ?? "")
      .digest("base64");
    const scriptSources = /script-src ([^;]*)/.exec(
      response.headers.get("content-security-policy") ?? "",
    )?.[1];
    expect(scriptSources?.split(" ").sort()).toEqual([`'self'`, `'sha256-${hash}'`]);
    // The API's own answers keep helmet's policy, with no inline script at all.
    const api = await fetch(`${await gateway()}/healthz`);
    expect(api.headers.get("content-security-policy")).toContain("script-src 'self';");
  });

  it("allows only the configured origins", async () => {
    const url = await gateway({ corsOrigins: ["https://dashboard.example.gov.cn"] });
    const preflight = (origin: string) =>
      fetch(`${url}/api/v1/cases`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
    const allowed = await preflight("https://dashboard.example.gov.cn");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dashboard.example.gov.cn");
    const refused = await preflight("https://elsewhere.example.com");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sends no CORS headers when no origin is configured", async () => {
    const response = await fetch(`${await gateway()}/healthz`, { headers: { origin: "https://a.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("rate limits", () => {
  it("limits each IP and answers 429 problem+json with Retry-After", async () => {
    const url = await gateway({ rateLimits: { windowMs: 60_000, perIp: 3, perCaller: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${url}/api/v1/nothing-here`)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const limited = await fetch(`${url}/api/v1/nothing-here`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429, type: "urn:civic:problem:too-many-requests" });
  });

  it("limits each caller by token subject, separately from other callers", async () => {
    const url = await gateway({ rateLimits: { windowMs: 60_000, perIp: 100, perCaller: 2 } });
    const as = async (subject: string) =>
      (
        await fetch(`${url}/api/v1/nothing-here`, {
          headers: { authorization: `Bearer ${await hs256Token(subject)}` },
        })
      ).status;
    expect([await as("staff-a"), await as("staff-a"), await as("staff-a")]).toEqual([404, 404, 429]);
    expect(await as("staff-b")).toBe(404);
  });
});

describe("asymmetric tokens", () => {
  const claims = { roles: ["community_staff"], areas: ["440402"] };

  it("accepts a token signed by the configured public key and refuses others", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const stranger = await generateKeyPair("ES256");
    const url = await gateway({
      jwtSecret: undefined,
      tokens: {
        publicKey: { pem: await exportSPKI(publicKey), algorithm: "ES256" },
        issuer: "https://idp.example",
      },
    });
    const sign = (key: Parameters<SignJWT["sign"]>[0], issuer: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256" })
        .setSubject("staff-1")
        .setIssuer(issuer)
        .setExpirationTime("5m")
        .sign(key);
    const statusWith = async (token: string) =>
      (await fetch(`${url}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await statusWith(await sign(privateKey, "https://idp.example"))).toBe(404);
    expect(await statusWith(await sign(stranger.privateKey, "https://idp.example"))).toBe(401);
    expect(await statusWith(await sign(privateKey, "https://other.example"))).toBe(401);
    expect(await statusWith(await hs256Token("staff-1"))).toBe(401);
  });

  it("verifies tokens against the identity provider's JWKS", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
    const jwks = createServer((_request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ keys: [jwk] }));
    }).listen(0);
    servers.push(jwks);
    await once(jwks, "listening");
    const url = await gateway({
      jwtSecret: undefined,
      tokens: { jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` },
    });
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "key-1" })
      .setSubject("staff-1")
      .setExpirationTime("5m")
      .sign(privateKey);
    const accepted = await fetch(`${url}/api/v1/nothing-here`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(accepted.status).toBe(404);
    const forged = `${token.slice(0, -4)}AAAA`;
    const refused = await fetch(`${url}/api/v1/nothing-here`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("invalid_token");
  });
});

describe("database operators in input", () => {
  it("refuses a body key or query parameter named like a MongoDB operator before any route", async () => {
    const url = await gateway();
    const posted = await fetch(`${url}/api/v1/cases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "x", reporter: { name: { $gt: "" } } }),
    });
    expect(posted.status).toBe(400);
    expect(await posted.json()).toMatchObject({
      type: "urn:civic:problem:invalid-request",
      errors: [{ field: "reporter.name.$gt", detail: "is named like a database operator" }],
    });
    const queried = await fetch(`${url}/api/v1/case-statistics?scope=all&value[$ne]=1`);
    expect(queried.status).toBe(400);
    expect(await queried.json()).toMatchObject({ errors: [{ field: "value[$ne]" }] });
  });
});
