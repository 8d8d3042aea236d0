import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { natsConnectionOptions } from "@civic/service-kit";
import { freePort, toolPath } from "@civic/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "./repository.js";

// The manifests' NATS configuration, run by a real nats-server: only the platform's user
// (password from the Secret "nats") connects; anyone else is refused.
const readConfig = (path: string) => readFileSync(resolve(repositoryRoot, path), "utf8");
const authorizationBlock = (config: string) => /authorization \{[\s\S]*?\n\}/.exec(config)?.[0];

describe("NATS client authentication (k8s/nats)", () => {
  // As generate-secrets.mjs makes them: a letter first, or nats-server reads "1e…" as a number.
  const password = `p${randomBytes(24).toString("hex")}`;
  const directory = mkdtempSync(join(tmpdir(), "civic-nats-auth-"));
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `nats://127.0.0.1:${port}`;
    const config = readConfig("k8s/overlays/dev/nats-standalone.conf")
      .replace(/^port: 4222$/m, `port: ${port}\nhost: 127.0.0.1`)
      .replace(/^http_port: 8222$/m, `http_port: ${await freePort()}`)
      .replace("/var/run/nats/nats.pid", join(directory, "nats.pid"))
      .replace("store_dir: /data", `store_dir: ${join(directory, "data")}`);
    writeFileSync(join(directory, "nats.conf"), config);
    server = spawn(await toolPath("nats-server"), ["--config", join(directory, "nats.conf")], {
      env: { PATH: process.env.PATH ?? "", POD_NAME: "nats-0", NATS_PLATFORM_PASSWORD: password },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    for (const stream of [server.stdout, server.stderr]) stream?.on("data", (chunk) => (output += chunk));
    for (let attempt = 0; ; attempt++) {
      try {
        await (
          await connect({
            ...natsConnectionOptions(
              { NATS_URL: url, NATS_USER: "platform", NATS_PASSWORD: password },
              "probe",
            ),
            reconnect: false,
          })
        ).close();
        break;
      } catch (error) {
        // JetStream's start can take seconds while the rest of the suite loads the machine.
        if (attempt > 200 || server.exitCode !== null) {
          throw new Error(`nats-server did not accept the platform user: ${output}`, { cause: error });
        }
        await new Promise((done) => setTimeout(done, 100));
      }
    }
  }, 30_000);

  afterAll(() => {
    server?.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true });
  });

  it("the cluster's configuration has the same users as the single server's", () => {
    const single = authorizationBlock(readConfig("k8s/overlays/dev/nats-standalone.conf"));
    expect(single).toContain("$NATS_PLATFORM_PASSWORD");
    expect(authorizationBlock(readConfig("k8s/nats/nats.conf"))).toBe(single);
  });

  it("the platform's user connects and uses JetStream", async () => {
    const nats = await connect(
      natsConnectionOptions({ NATS_URL: url, NATS_USER: "platform", NATS_PASSWORD: password }, "service"),
    );
    try {
      expect((await (await jetstreamManager(nats)).getAccountInfo()).streams).toBe(0);
    } finally {
      await nats.close();
    }
  });

  it("refuses a client without the password, or with another", async () => {
    await expect(connect({ servers: url, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(
      connect({ servers: url, reconnect: false, user: "platform", pass: "guessed-password-123" }),
    ).rejects.toThrow(/authorization/i);
  });
});
