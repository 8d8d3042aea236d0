import { PoisonEventError, type RunningConsumer, startEventConsumer } from "@civic/event-log";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { SafetyFollowUpDesk } from "../app/safety-follow-up-desk.js";
import { safetyLevels } from "../domain/safety-index.js";

/**
 * Follows grid-cases' own `safety.index_published` and opens the follow-up an orange or red
 * street calls for. Delivered again, or published twice in a month, it opens nothing more.
 */
export async function startSafetyFollowUpConsumer(
  followUps: SafetyFollowUpDesk,
  options: {
    js: JetStreamClient;
    jsm: JetStreamManager;
    db: Db;
    logger: Logger;
    /** grid-cases' own stream and subject prefix (its event log's). */
    stream: string;
    subjectPrefix: string;
  },
): Promise<RunningConsumer> {
  return startEventConsumer({
    js: options.js,
    jsm: options.jsm,
    db: options.db,
    logger: options.logger,
    stream: options.stream,
    durable: "grid-cases-safety-follow-up",
    filterSubjects: [`${options.subjectPrefix}.safety.index_published`],
    skipProcessed: true,
    handle: async ({ event }) => {
      const { areaId, period, level, score } = event.data as Record<string, unknown>;
      if (
        typeof areaId !== "string" ||
        typeof period !== "string" ||
        typeof score !== "number" ||
        !safetyLevels.includes(level as never)
      ) {
        throw new PoisonEventError("a safety.index_published event without areaId, period, level or score");
      }
      await followUps.openFor({
        areaId,
        period,
        level: level as (typeof safetyLevels)[number],
        score,
        at: event.time,
      });
    },
  });
}
