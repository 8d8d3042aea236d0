import pino from "pino";
import { describe, expect, it } from "vitest";
import { PeriodicRound } from "./periodic-round.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a periodic round", () => {
  it("runs again and again, never two rounds at once, and keeps going after a failed round", async () => {
    let running = 0;
    let overlapped = false;
    let rounds = 0;
    const round = new PeriodicRound(
      "test round",
      async () => {
        rounds++;
        running++;
        if (running > 1) overlapped = true;
        await sleep(30);
        running--;
        if (rounds === 1) throw new Error("first round fails");
      },
      pino({ level: "silent" }),
    );
    round.start(5);
    await sleep(200);
    await round.stop();
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(overlapped).toBe(false);
  });

  it("waits for the running round when stopped, and starts no other", async () => {
    let finished = 0;
    const round = new PeriodicRound(
      "test round",
      async () => {
        await sleep(50);
        finished++;
      },
      pino({ level: "silent" }),
    );
    round.start(5);
    await sleep(20);
    await round.stop();
    expect(finished).toBe(1);
    await sleep(60);
    expect(finished).toBe(1);
  });
});
