import { FieldChecks } from "@civic/domain-kit";

/**
 * The safety index (平安指数) of a district or street for a period [seed 002]: alert rates
 * per 10,000 residents, each indicator scored against the rate at which it reaches zero,
 * weighted, summed, and shown as one of four colour levels. Indicators, weights, scales
 * and bands are configuration.
 */
export interface SafetyIndicator {
  key: string;
  /** Points this indicator is worth; all weights add up to 100. */
  weight: number;
  /** The rate per 10,000 residents at which the indicator scores 0. */
  zeroScoreRate: number;
}

export const safetyLevels = ["blue", "yellow", "orange", "red"] as const;
export type SafetyLevel = (typeof safetyLevels)[number];

export interface SafetyIndexConfig {
  indicators: SafetyIndicator[];
  /** Lowest total score of each level, best first; the last must be 0. */
  bands: { level: SafetyLevel; minScore: number }[];
}

const bands: SafetyIndexConfig["bands"] = [
  { level: "blue", minScore: 85 },
  { level: "yellow", minScore: 70 },
  { level: "orange", minScore: 60 },
  { level: "red", minScore: 0 },
];

/** The seed's three indicators: crime 60%, fire 20%, traffic 20%. */
export const defaultSafetyIndexConfig: SafetyIndexConfig = {
  indicators: [
    { key: "crime", weight: 60, zeroScoreRate: 12 },
    { key: "fire", weight: 20, zeroScoreRate: 1 },
    { key: "traffic", weight: 20, zeroScoreRate: 4.5 },
  ],
  bands,
};

/**
 * The later published variant with urban-management events as a fourth indicator. Its
 * weights and scales reproduce the published screenshot: crime 37, fire 30, traffic 14 and
 * urban management 10 points for rates 0.91, 0.0, 1.348 and 0.298 per 10,000.
 */
export const fourIndicatorSafetyIndexConfig: SafetyIndexConfig = {
  indicators: [
    { key: "crime", weight: 40, zeroScoreRate: 12 },
    { key: "fire", weight: 30, zeroScoreRate: 1 },
    { key: "traffic", weight: 20, zeroScoreRate: 4.5 },
    { key: "urban_management", weight: 10, zeroScoreRate: 6 },
  ],
  bands,
};

export function validateSafetyIndexConfig(config: SafetyIndexConfig): void {
  const keys = config.indicators.map((indicator) => indicator.key);
  const total = config.indicators.reduce((sum, indicator) => sum + indicator.weight, 0);
  const checks = new FieldChecks()
    .check("indicators", new Set(keys).size === keys.length, "keys must be unique")
    .check("indicators", !(Math.abs(total - 100) > 1e-9), `weights add up to ${total}, not 100`);
  config.indicators.forEach((indicator, index) => {
    checks
      .check(`indicators[${index}].weight`, indicator.weight > 0, "must be positive")
      .check(`indicators[${index}].zeroScoreRate`, indicator.zeroScoreRate > 0, "must be positive");
  });
  const minimums = config.bands.map((band) => band.minScore);
  const descending = minimums.every((score, index) => index === 0 || score < (minimums[index - 1] as number));
  checks
    .check(
      "bands",
      descending && minimums.at(-1) === 0,
      "minimum scores must fall from best to worst and end at 0",
    )
    .throwIfAny();
}

export interface IndicatorResult {
  key: string;
  count: number;
  /** Alerts per 10,000 residents, rounded to 3 decimals as published. */
  ratePer10k: number;
  /** Points, rounded to whole points as published. */
  score: number;
}

export interface SafetyIndex {
  population: number;
  indicators: IndicatorResult[];
  score: number;
  level: SafetyLevel;
}

/** Scores an area's incident counts for one period. */
export function computeSafetyIndex(
  population: number,
  counts: Record<string, number>,
  config: SafetyIndexConfig = defaultSafetyIndexConfig,
): SafetyIndex {
  const checks = new FieldChecks().check(
    "population",
    Number.isInteger(population) && population > 0,
    "must be a whole number above 0",
  );
  for (const [key, count] of Object.entries(counts)) {
    if (!config.indicators.some((indicator) => indicator.key === key)) {
      checks.add(`counts.${key}`, "is not an indicator of this index");
    } else {
      checks.check(
        `counts.${key}`,
        Number.isInteger(count) && count >= 0,
        "must be a whole number, 0 or more",
      );
    }
  }
  checks.throwIfAny();
  let total = 0;
  const indicators = config.indicators.map(({ key, weight, zeroScoreRate }) => {
    const count = counts[key] ?? 0;
    const rate = (count / population) * 10_000;
    const points = weight * Math.max(0, 1 - rate / zeroScoreRate);
    total += points;
    return { key, count, ratePer10k: Math.round(rate * 1_000) / 1_000, score: Math.round(points) };
  });
  const score = Math.round(total * 10) / 10;
  const level = config.bands.find((band) => score >= band.minScore)?.level ?? "red";
  return { population, indicators, score, level };
}
