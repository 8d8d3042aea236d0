import type { ServiceStorageConfig } from "@civic/event-log";
import { commonServiceConfig, loadConfig } from "@civic/service-kit";
import { z } from "zod";

/** The domains whose `deliberation.topic_proposed` events deliberation follows by default. */
export const defaultTopicProposalDomains = "grid-cases,party-building,volunteer-stations,social-registry";

/** A community's 民生微实事 budget for a year until the street or the command centre sets one: 2,000,000 yuan. */
export const defaultMicroProjectBudgetFen = 200_000_000;

export const deliberationConfigSchema = z.object({
  ...commonServiceConfig({ grpcPort: 50053, database: "deliberation" }),
  /** A JSON file with the "five discussed, five not" list, replacing the default. */
  TOPIC_ADMISSIBILITY_FILE: z.string().optional(),
  /** Domains whose `deliberation.topic_proposed` events become topics (comma-separated). */
  TOPIC_PROPOSAL_DOMAINS: z
    .string()
    .regex(/^[a-z][a-z-]*(,[a-z][a-z-]*)*$/)
    .default(defaultTopicProposalDomains),
  /** How often co-funded allocations left unfinished by a crash are looked for and rolled back. */
  CO_FUNDING_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  /** A co-funded allocation neither funded nor rolled back this long after its plan was cut off. */
  CO_FUNDING_STALE_AFTER_MS: z.coerce.number().int().min(1_000).default(120_000),
  /** A community's 民生微实事 budget for a year, in fen, until the street or the command centre sets one. */
  MICRO_PROJECT_BUDGET_FEN: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000_000)
    .default(defaultMicroProjectBudgetFen),
});

export type DeliberationConfig = ServiceStorageConfig &
  Pick<
    z.infer<typeof deliberationConfigSchema>,
    "GRPC_PORT" | "SHUTDOWN_GRACE_MS" | "TOPIC_ADMISSIBILITY_FILE"
  > &
  Partial<
    Pick<
      z.infer<typeof deliberationConfigSchema>,
      | "TOPIC_PROPOSAL_DOMAINS"
      | "CO_FUNDING_RECONCILE_INTERVAL_MS"
      | "CO_FUNDING_STALE_AFTER_MS"
      | "MICRO_PROJECT_BUDGET_FEN"
    >
  >;

export const loadDeliberationConfig = () => loadConfig(deliberationConfigSchema);
