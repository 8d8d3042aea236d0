import type { ServiceStorageConfig } from "@civic/event-log";
import {
  commonServiceConfig,
  durationMs,
  loadConfig,
  type PersonalDataConfig,
  personalDataConfigShape,
} from "@civic/service-kit";
import { z } from "zod";

const positive = z.number().positive();
const staffingThresholdsShape = z
  .object({
    maxResidentsPerCommunity: positive,
    maxHouseholdsPerWorker: positive,
    minWorkersPer10kResidents: positive,
    minQuota: z.number().int().nonnegative(),
    maxQuota: z.number().int().nonnegative(),
    quotaStepResidents: positive,
    quotaStepHouseholds: positive,
    quotaStepAreaKm2: positive,
  })
  .partial()
  .strict();

export const gridCasesConfigSchema = z.object({
  ...commonServiceConfig({ grpcPort: 50051, database: "grid_cases" }),
  SLA_WATCH_INTERVAL_MS: durationMs().default(30_000),
  SAFETY_INDEX_INDICATORS: z.enum(["three", "four"]).default("three"),
  /** A JSON file of working-day calendars to load at start, besides 2026 (see docs/api.md). */
  WORKING_CALENDAR_FILE: z.string().optional(),
  /** How often a replica reads the stored calendars again, for years loaded through another. */
  WORKING_CALENDAR_REFRESH_MS: durationMs().default(60_000),
  /**
   * The staffing standards' thresholds as JSON, each optional over the seeds' defaults, e.g.
   * {"maxHouseholdsPerWorker": 350} (names: StaffingThresholds in domain/community-staffing.ts).
   */
  STAFFING_THRESHOLDS: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text.trim() === "") return {};
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        context.addIssue({ code: "custom", message: "STAFFING_THRESHOLDS must be JSON" });
        return z.NEVER;
      }
      const parsed = staffingThresholdsShape.safeParse(json);
      if (!parsed.success) {
        context.addIssue({ code: "custom", message: `STAFFING_THRESHOLDS: ${parsed.error.message}` });
        return z.NEVER;
      }
      return parsed.data;
    }),
  ...personalDataConfigShape,
});

export type GridCasesConfig = ServiceStorageConfig &
  PersonalDataConfig &
  Pick<
    z.infer<typeof gridCasesConfigSchema>,
    "SAFETY_INDEX_INDICATORS" | "GRPC_PORT" | "SHUTDOWN_GRACE_MS" | "SLA_WATCH_INTERVAL_MS"
  > &
  Partial<
    Pick<
      z.infer<typeof gridCasesConfigSchema>,
      "WORKING_CALENDAR_FILE" | "WORKING_CALENDAR_REFRESH_MS" | "STAFFING_THRESHOLDS"
    >
  >;

export const loadGridCasesConfig = () => loadConfig(gridCasesConfigSchema);
