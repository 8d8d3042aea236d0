import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gridCasesV1 } from "@civic/contracts";
import { freePort } from "@civic/testing";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testJwtSecret } from "../support/platform.js";
import { descendants, isAlive, type ProcessInfo } from "../support/process-tree.js";
import { bearer } from "../support/tokens.js";

// `pnpm start` exactly as the README gives it, on free ports and in a temporary data
// directory: a service killed with SIGKILL comes back while the rest keep serving, and a
// SIGTERM to the pnpm process stops every process it started.
const repositoryRoot = resolve(import.meta.dirname, "../../..");
const dataDir = mkdtempSync(join(tmpdir(), "civic-local-start-"));
const portVariables = [
  "GATEWAY_PORT",
  "GATEWAY_METRICS_PORT",
  ...["GRID_CASES", "PARTY_BUILDING", "DELIBERATION", "SOCIAL_REGISTRY", "VOLUNTEER_STATIONS"].flatMap(
    (service) => [`${service}_GRPC_PORT`, `${service}_METRICS_PORT`],
  ),
];

let platform: ChildProcess;
let output = "";
let gatewayUrl: string;
let ports: Record<string, string>;
let everyProcessStarted: ProcessInfo[] = [];

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (platform.exitCode !== null || platform.signalCode !== null) {
      throw new Error(
        `pnpm start ended (${platform.exitCode ?? platform.signalCode}) before ${what}:\n${output}`,
      );
    }
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no ${what} after ${timeoutMs} ms:\n${output.slice(-5_000)}`);
}

const tcpConnects = (host: string, port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const end = (connected: boolean) => {
      socket.destroy();
      done(connected);
    };
    socket.once("connect", () => end(true));
    socket.once("error", () => end(false));
    socket.once("timeout", () => end(false));
  });

const statusOf = async (path: string, authorization?: string) =>
  (await fetch(`${gatewayUrl}${path}`, { headers: authorization ? { authorization } : {} })).status;

describe("pnpm start", () => {
  beforeAll(async () => {
    ports = Object.fromEntries(
      await Promise.all(portVariables.map(async (name) => [name, String(await freePort())])),
    );
    gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
    platform = spawn("pnpm", ["start"], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        ...ports,
        CIVIC_DATA_DIR: dataDir,
        JWT_SECRET: testJwtSecret,
        LOG_LEVEL: "warn",
        // The demo city at 0.1% (13 cases): what the test reads is there, and the start stays
        // quick while the rest of the suite runs beside it.
        CIVIC_DEMO_SCALE: "0.001",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    platform.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    platform.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    await until("ready line", 150_000, async () => (output.includes("[civic] ready in") ? true : undefined));
    expect(await statusOf("/healthz")).toBe(200);
  }, 180_000);

  afterAll(() => {
    for (const { pid } of [{ pid: platform.pid }, ...everyProcessStarted]) {
      if (pid !== undefined && isAlive(pid)) process.kill(pid, "SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("binds the services' gRPC ports to 127.0.0.1 only, where a caller the gateway did not sign is refused", async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === "IPv4")
      .map((address) => address?.address as string);
    const grpcPorts = Object.entries(ports)
      .filter(([variable]) => variable.endsWith("_GRPC_PORT"))
      .map(([, port]) => Number(port));
    expect(grpcPorts).toHaveLength(5);
    for (const port of grpcPorts) {
      expect(await tcpConnects("127.0.0.1", port), `127.0.0.1:${port}`).toBe(true);
      for (const host of outside) expect(await tcpConnects(host, port), `${host}:${port}`).toBe(false);
    }
    const areas = new gridCasesV1.AreaServiceClient(
      `127.0.0.1:${ports.GRID_CASES_GRPC_PORT}`,
      grpc.credentials.createInsecure(),
    );
    const forged = new grpc.Metadata();
    forged.set("x-caller-subject", "intruder");
    forged.set("x-caller-roles", "platform_admin");
    const code = await new Promise<grpc.status>((done) =>
      areas.getArea({ areaId: "440400" }, forged, (error) => done(error ? error.code : grpc.status.OK)),
    );
    areas.close();
    expect(grpc.status[code]).toBe("UNAUTHENTICATED");
  });

  it("restarts a service killed with SIGKILL, while the gateway and the other services keep answering", async () => {
    const admin = bearer("local-start-test", { roles: ["platform_admin"] });
    // Demo data loaded by the start: an area kept by grid-cases.
    expect(await statusOf("/api/v1/areas/440400", admin)).toBe(200);
    const gridCases = descendants(platform.pid as number).find((info) =>
      info.command.includes("services/grid-cases/dist/main.js"),
    );
    expect(gridCases, "a grid-cases process under pnpm start").toBeDefined();
    const killed = Date.now();
    process.kill(gridCases?.pid as number, "SIGKILL");

    const answersWhileDown: number[] = [];
    const backAfterMs = await until("grid-cases back", 60_000, async () => {
      answersWhileDown.push(await statusOf("/healthz"), await statusOf("/api/v1/charity-projects", admin));
      return (await statusOf("/api/v1/areas/440400", admin)) === 200 ? Date.now() - killed : undefined;
    });
    console.log(`grid-cases answered through the gateway again ${backAfterMs} ms after SIGKILL`);

    expect(new Set(answersWhileDown)).toEqual(new Set([200]));
    expect(output).toMatch(
      /grid-cases exited \(signal SIGKILL\) after running [\d.]+ s; restart 1 in 1\.0 s/,
    );
    expect(output).toMatch(/grid-cases healthy again \(pid \d+/);
    const restarted = descendants(platform.pid as number).find((info) =>
      info.command.includes("services/grid-cases/dist/main.js"),
    );
    expect(restarted?.pid).not.toBe(gridCases?.pid);
  }, 90_000);

  it("stops the gateway, then the services, then the infrastructure on SIGTERM to the pnpm process, leaving no process behind", async () => {
    everyProcessStarted = descendants(platform.pid as number);
    const commands = everyProcessStarted.map((info) => info.command).join("\n");
    for (const part of ["gateway", "grid-cases", "party-building", "deliberation", "social-registry"]) {
      expect(commands).toContain(`services/${part}/dist/main.js`);
    }
    expect(commands).toContain("services/volunteer-stations/dist/main.js");
    expect(commands).toMatch(/ferretdb /);
    expect(commands).toMatch(/nats-server /);

    const signalled = Date.now();
    const exited = new Promise<number | null>((done) => platform.once("exit", (code) => done(code)));
    platform.kill("SIGTERM");
    expect(await exited).toBe(0);
    const left = () => everyProcessStarted.filter((info) => isAlive(info.pid));
    while (left().length > 0 && Date.now() - signalled < 20_000) {
      await new Promise((done) => setTimeout(done, 100));
    }
    console.log(`everything pnpm start ran was gone ${Date.now() - signalled} ms after SIGTERM`);
    expect(left()).toEqual([]);

    const stopLines = ["SIGTERM: stopping", "gateway stopped", "services stopped", "infrastructure stopped"];
    const positions = stopLines.map((line) => output.indexOf(`[civic] ${line}`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }, 30_000);
});
