import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { generateCallerTokenKeys } from "@civic/service-kit";
import { freePort, uniqueDatabaseName } from "@civic/testing";
import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { containerEnvironment } from "./environment.js";
import { type KubeObject, kustomizeBuild } from "./kustomize.js";
import { dockerfileEntrypoint, repositoryRoot, serviceNames } from "./repository.js";

// What each image contains, tested without Docker: the bundle deploy/scripts/bundle-service.sh
// makes (the Dockerfile runs the same script), started with the Dockerfile's ENTRYPOINT and
// the environment the dev overlay's manifests set. Only what differs between a cluster and
// this machine is replaced: Secret values, the infrastructure's addresses, ports, and a
// database and event namespace of this test's own.
const exec = promisify(execFile);
const bundlesDir = mkdtempSync(join(tmpdir(), "civic-bundles-"));
const manifests = kustomizeBuild(resolve(repositoryRoot, "k8s/overlays/dev"));
const deploymentOf = (service: string) =>
  manifests.find((object) => object.kind === "Deployment" && object.metadata.name === service) as KubeObject;
const isGrpcService = (service: string) =>
  deploymentOf(service)?.metadata.labels?.["app.kubernetes.io/component"] === "grpc-service";
const grpcServices = serviceNames().filter(isGrpcService);
const httpServices = serviceNames().filter((service) => !isGrpcService(service));

const callerTokenKeys = generateCallerTokenKeys();
const secretTestValues: Record<string, () => string> = {
  CALLER_TOKEN_PRIVATE_KEY: () => callerTokenKeys.privateKey,
  CALLER_TOKEN_PUBLIC_KEY: () => callerTokenKeys.publicKey,
  MONGODB_URI: () => inject("mongoUri"),
  PERSONAL_DATA_KEY: () => randomBytes(32).toString("base64"),
  PERSONAL_DATA_PREVIOUS_KEYS: () => randomBytes(32).toString("base64"),
  JWT_SECRET: () => randomBytes(32).toString("hex"),
  // The test NATS server asks for no password and ignores the one given.
  NATS_PASSWORD: () => randomBytes(24).toString("hex"),
};

interface RunningBundle {
  process: ChildProcess;
  output: () => string;
  ports: Record<string, number>;
  graceMs: number;
}
const running = new Map<string, RunningBundle>();

function manifestEnvironment(service: string, overrides: Record<string, string>): Record<string, string> {
  const deployment = deploymentOf(service);
  const container = deployment.spec.template.spec.containers[0] as KubeObject;
  const { variables, problems } = containerEnvironment(deployment, container, manifests);
  expect(problems).toEqual([]);
  const environment: Record<string, string> = { PATH: process.env.PATH ?? "" };
  for (const [name, variable] of variables) {
    if (variable.source === "literal") environment[name] = variable.value ?? "";
    else if (variable.source === "secret") {
      const testValue = secretTestValues[name];
      if (!testValue)
        throw new Error(`${service}: no test value for its Secret variable ${name} (bundles.test.ts)`);
      environment[name] = testValue();
    }
  }
  return { ...environment, ...overrides };
}

function startBundle(service: string, environment: Record<string, string>): RunningBundle {
  const [command, ...args] = dockerfileEntrypoint();
  expect(command).toBe("node");
  const child = spawn(process.execPath, args, {
    cwd: join(bundlesDir, service),
    env: environment,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  return {
    process: child,
    output: () => output,
    ports: {},
    graceMs: Number(environment.SHUTDOWN_GRACE_MS ?? 10_000),
  };
}

async function waitFor(
  what: string,
  bundle: RunningBundle,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (bundle.process.exitCode !== null) {
      throw new Error(`exited (${bundle.process.exitCode}) before ${what}:\n${bundle.output()}`);
    }
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`no ${what} after ${timeoutMs} ms:\n${bundle.output()}`);
}

function healthStatus(port: number): Promise<string> {
  const Health = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, "Health");
  const client = new Health(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    Check(
      request: { service: string },
      options: grpc.CallOptions,
      callback: (error: Error | null, response: { status: string }) => void,
    ): void;
  };
  return new Promise<string>((done, fail) =>
    client.Check({ service: "" }, { deadline: Date.now() + 2_000 }, (error, response) =>
      error ? fail(error) : done(response.status),
    ),
  ).finally(() => client.close());
}

describe("production bundles (what each image contains)", () => {
  beforeAll(async () => {
    for (const service of serviceNames()) {
      await exec(
        "bash",
        [resolve(repositoryRoot, "deploy/scripts/bundle-service.sh"), service, join(bundlesDir, service)],
        {
          cwd: repositoryRoot,
        },
      );
    }
  }, 600_000);

  afterAll(() => {
    for (const bundle of running.values()) bundle.process.kill("SIGKILL");
    rmSync(bundlesDir, { recursive: true, force: true });
  });

  it.each(serviceNames())("%s: compiled code and production dependencies only", (service) => {
    const bundle = join(bundlesDir, service);
    expect(existsSync(join(bundle, "dist/main.js"))).toBe(true);
    expect(existsSync(join(bundle, "healthcheck.mjs"))).toBe(true);
    expect(existsSync(join(bundle, "src")), `${service}: add "files": ["dist"] to its package.json`).toBe(
      false,
    );
    expect(existsSync(join(bundle, "node_modules/@civic/testing")), "a devDependency was bundled").toBe(
      false,
    );
  });

  it.each(serviceNames())("%s: its SBOM lists every production dependency it ships", (service) => {
    const bundle = join(bundlesDir, service);
    const sbom = JSON.parse(readFileSync(join(bundle, "sbom.cdx.json"), "utf8"));
    expect(sbom.bomFormat).toBe("CycloneDX");
    expect(sbom.metadata.component.name).toBe(service);
    const listed = new Set(
      (sbom.components as { group?: string; name: string; version: string }[]).map(
        (component) =>
          `${component.group ? `${component.group}/` : ""}${component.name}@${component.version}`,
      ),
    );
    const dependencies = Object.keys(
      JSON.parse(readFileSync(join(bundle, "package.json"), "utf8")).dependencies,
    );
    expect(dependencies.length).toBeGreaterThan(0);
    for (const dependency of dependencies) {
      const shipped = JSON.parse(
        readFileSync(join(bundle, "node_modules", dependency, "package.json"), "utf8"),
      );
      expect(listed, `${service}: ${dependency}`).toContain(`${dependency}@${shipped.version}`);
    }
  });

  it.each(grpcServices)(
    "%s starts with the manifests' environment and answers grpc.health.v1 SERVING",
    async (service) => {
      const ports = { GRPC_PORT: await freePort(), METRICS_PORT: await freePort() };
      const environment = manifestEnvironment(service, {
        NATS_URL: inject("natsUrl"),
        MONGODB_DATABASE: uniqueDatabaseName(`bundle_${service}`),
        EVENT_NAMESPACE: `bundle_${randomBytes(4).toString("hex")}`,
        GRPC_PORT: String(ports.GRPC_PORT),
        METRICS_PORT: String(ports.METRICS_PORT),
      });
      const bundle = startBundle(service, environment);
      bundle.ports = ports;
      running.set(service, bundle);
      await waitFor("SERVING", bundle, async () => (await healthStatus(ports.GRPC_PORT)) === "SERVING");
      // The image's own health check (compose, plain Docker) agrees.
      await exec(process.execPath, ["healthcheck.mjs", "grpc", String(ports.GRPC_PORT)], {
        cwd: join(bundlesDir, service),
        env: { PATH: process.env.PATH ?? "" },
      });
      const metrics = await fetch(`http://127.0.0.1:${ports.METRICS_PORT}/metrics`);
      expect(metrics.status).toBe(200);
    },
    60_000,
  );

  it.each(httpServices)(
    "%s starts with the manifests' environment, answers /healthz and reaches the services",
    async (service) => {
      const ports = { PORT: await freePort(), METRICS_PORT: await freePort() };
      // Service addresses point at the bundles started above, instead of cluster DNS names.
      const addresses = Object.fromEntries(
        grpcServices.map((name) => [
          `${name.toUpperCase().replaceAll("-", "_")}_ADDRESS`,
          `127.0.0.1:${running.get(name)?.ports.GRPC_PORT}`,
        ]),
      );
      const environment = manifestEnvironment(service, {
        NATS_URL: inject("natsUrl"),
        PORT: String(ports.PORT),
        METRICS_PORT: String(ports.METRICS_PORT),
        ...addresses,
      });
      const bundle = startBundle(service, environment);
      bundle.ports = ports;
      running.set(service, bundle);
      const base = `http://127.0.0.1:${ports.PORT}`;
      await waitFor("/healthz", bundle, async () => (await fetch(`${base}/healthz`)).status === 200);
      await exec(process.execPath, ["healthcheck.mjs", "http", String(ports.PORT), "/healthz"], {
        cwd: join(bundlesDir, service),
        env: { PATH: process.env.PATH ?? "" },
      });
      // An answer from grid-cases (a list, or its refusal of an anonymous caller), not 502/503/504.
      const areas = await fetch(`${base}/api/v1/areas`);
      expect([200, 401, 403]).toContain(areas.status);
      // The operations dashboard ships in the bundle: its page, style, compiled script and the
      // domain kit's modules its import map names.
      const dashboard = await fetch(`${base}/dashboard/`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<script type="module" src="/dashboard/assets/main.js">');
      for (const asset of ["main.js", "sla-colour.js", "dashboard.css", "domain-kit/area-code.js"])
        expect((await fetch(`${base}/dashboard/assets/${asset}`)).status, asset).toBe(200);
      // The gateway's latency to the service, and what is running.
      const exposition = await (await fetch(`http://127.0.0.1:${ports.METRICS_PORT}/metrics`)).text();
      expect(exposition).toMatch(
        /^rpc_client_duration_seconds_count\{method="civic\.grid_cases\.v1\.[A-Za-z]+\/[A-Za-z]+",code="[A-Z_]+"\} [1-9]/m,
      );
      expect(exposition).toMatch(
        new RegExp(
          `^civic_build_info\\{service="${service}",version="dev",commit="unknown",node_version="${process.versions.node}"\\} 1$`,
          "m",
        ),
      );
    },
    60_000,
  );

  it.each(serviceNames())(
    "%s with an invalid variable logs why as one JSON line and exits with 1",
    async (service) => {
      const environment = manifestEnvironment(service, { METRICS_PORT: "not-a-port" });
      const bundle = startBundle(service, environment);
      const code = await new Promise((done) => bundle.process.once("exit", done));
      expect(code, bundle.output()).toBe(1);
      const lines = bundle.output().trim().split("\n");
      expect(lines, bundle.output()).toHaveLength(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        level: "fatal",
        service,
        msg: expect.stringContaining('METRICS_PORT: expected a port number 0-65535, got "not-a-port"'),
      });
    },
    30_000,
  );

  it("each stops on SIGTERM with exit code 0 within its SHUTDOWN_GRACE_MS", async () => {
    const exits = [...running].map(([service, bundle]) => {
      const started = Date.now();
      const exited = new Promise<{ service: string; code: number | null; ms: number }>((done) =>
        bundle.process.once("exit", (code) => done({ service, code, ms: Date.now() - started })),
      );
      bundle.process.kill("SIGTERM");
      return exited;
    });
    for (const exit of await Promise.all(exits)) {
      expect(exit, running.get(exit.service)?.output()).toMatchObject({ code: 0 });
      expect(exit.ms).toBeLessThan(running.get(exit.service)?.graceMs ?? 10_000);
    }
  }, 60_000);
});
