import { InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  computeSafetyIndex,
  defaultSafetyIndexConfig,
  fourIndicatorSafetyIndexConfig,
  validateSafetyIndexConfig,
} from "./safety-index.js";

const zhuhai = 2_581_829;
const seedCounts = { crime: 235, fire: 0, traffic: 348, urban_management: 77 };

describe("safety index", () => {
  it("reproduces the seed's rates per 10,000 for Zhuhai's population", () => {
    const index = computeSafetyIndex(zhuhai, seedCounts, fourIndicatorSafetyIndexConfig);
    expect(index.indicators.map((indicator) => [indicator.key, indicator.ratePer10k])).toEqual([
      ["crime", 0.91],
      ["fire", 0],
      ["traffic", 1.348],
      ["urban_management", 0.298],
    ]);
  });

  it("reproduces the published points of the four-indicator version: 37, 30, 14 and 10, level blue", () => {
    const index = computeSafetyIndex(zhuhai, seedCounts, fourIndicatorSafetyIndexConfig);
    expect(index.indicators.map((indicator) => indicator.score)).toEqual([37, 30, 14, 10]);
    expect(index).toMatchObject({ score: 90.5, level: "blue" });
  });

  it("weights crime 60%, fire 20%, traffic 20% by default; a rate past the scale scores 0", () => {
    const index = computeSafetyIndex(zhuhai, { crime: 235, fire: 0, traffic: 348 });
    expect(index.indicators.map((indicator) => indicator.score)).toEqual([55, 20, 14]);
    const failing = computeSafetyIndex(10_000, { crime: 20, fire: 3, traffic: 2 });
    expect(failing.indicators.map((indicator) => indicator.score)).toEqual([0, 0, 11]);
    expect(failing.level).toBe("red");
  });

  it("moves through the four colour levels as alerts rise", () => {
    const levels = [0, 40, 70, 90].map((crime) => computeSafetyIndex(100_000, { crime }).level);
    expect(levels).toEqual(["blue", "yellow", "orange", "red"]);
  });

  it("refuses a zero population, negative or fractional counts, unknown indicators and bad configurations", () => {
    const fieldsOf = (work: () => unknown) => {
      try {
        work();
      } catch (error) {
        return (error as InvalidArgumentError).violations.map((violation) => violation.field);
      }
    };
    expect(fieldsOf(() => computeSafetyIndex(0, { crime: -1, fire: 1.5, floods: 2 }))).toEqual([
      "population",
      "counts.crime",
      "counts.fire",
      "counts.floods",
    ]);
    const broken = {
      indicators: [
        { key: "crime", weight: 60, zeroScoreRate: 12 },
        { key: "crime", weight: 30, zeroScoreRate: 0 },
      ],
      bands: [
        { level: "blue" as const, minScore: 70 },
        { level: "red" as const, minScore: 80 },
      ],
    };
    expect(fieldsOf(() => validateSafetyIndexConfig(broken))).toEqual([
      "indicators",
      "indicators",
      "indicators[1].zeroScoreRate",
      "bands",
    ]);
    expect(() => validateSafetyIndexConfig(defaultSafetyIndexConfig)).not.toThrow();
    expect(() => computeSafetyIndex(-5, {})).toThrow(InvalidArgumentError);
  });
});
