import { describe, expect, it } from "vitest";
import { defaultRestartBackoff, restartDelayMs } from "./restart-backoff.js";

describe("restart backoff", () => {
  it("doubles from 1 s with each crash in a row and stops growing at 30 s", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 20].map((restart) => restartDelayMs(defaultRestartBackoff, restart));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});
