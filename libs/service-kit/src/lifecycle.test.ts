import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { runUntilSignalled, stopInOrder } from "./lifecycle.js";

const logger = pino({ level: "silent" });

describe("stopInOrder", () => {
  it("runs every step in order, bounds each by the grace period, and reports failures", async () => {
    const ran: string[] = [];
    const ok = await stopInOrder({
      logger,
      graceMs: 100,
      stoppers: [
        { name: "server", stop: async () => void ran.push("server") },
        { name: "hangs", stop: () => new Promise<void>(() => ran.push("hangs")) },
        {
          name: "throws",
          stop: async () => {
            ran.push("throws");
            throw new Error("nope");
          },
        },
        { name: "telemetry", stop: async () => void ran.push("telemetry") },
      ],
    });
    expect(ran).toEqual(["server", "hangs", "throws", "telemetry"]);
    expect(ok).toBe(false);
    expect(await stopInOrder({ logger, graceMs: 100, stoppers: [{ name: "a", stop: async () => {} }] })).toBe(
      true,
    );
  });
});

describe("runUntilSignalled", () => {
  let dispose: () => void = () => undefined;
  afterEach(() => dispose());

  it("stops everything on SIGTERM and exits 0; a second signal exits 1 at once", async () => {
    const exits: number[] = [];
    let release: () => void = () => undefined;
    const stopped: string[] = [];
    dispose = runUntilSignalled({
      logger,
      graceMs: 1_000,
      exit: (code) => exits.push(code),
      stoppers: [
        { name: "slow", stop: () => new Promise<void>((resolve) => (release = resolve)) },
        { name: "next", stop: async () => void stopped.push("next") },
      ],
    });
    process.emit("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([]);
    process.emit("SIGINT");
    expect(exits).toEqual([1]);
    release();
    await expect.poll(() => exits).toEqual([1, 0]);
    expect(stopped).toEqual(["next"]);
  });
});
