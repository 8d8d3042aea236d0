import { InvalidArgumentError } from "@civic/domain-kit";
import {
  type CloudEvent,
  ensureDomainStream,
  PoisonEventError,
  type RunningConsumer,
  startEventConsumer,
} from "@civic/event-log";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { CharityProjectDesk } from "../app/charity-project-desk.js";

export interface CharityNeedConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  logger: Logger;
  namespace: string;
}

/**
 * Follows `deliberation.resolution.task_requested` and posts the need of each task of kind
 * `charity_project`, once per taskId (the project id derives from it). A task that can never
 * be a project (missing fields, an area that is not a district, street or community) is
 * terminated and kept as a dead letter.
 */
export async function startCharityNeedConsumer(
  projects: CharityProjectDesk,
  options: CharityNeedConsumerOptions,
): Promise<RunningConsumer> {
  const deliberation = await ensureDomainStream(options.jsm, "deliberation", options.namespace);
  return startEventConsumer({
    js: options.js,
    jsm: options.jsm,
    db: options.db,
    logger: options.logger,
    stream: deliberation.name,
    durable: "social-registry-deliberation-resolution-task-requested",
    filterSubjects: [`${deliberation.subjectPrefix}.resolution.task_requested`],
    skipProcessed: true,
    handle: async ({ event }) => {
      const task = charityTask(event);
      if (!task) return;
      try {
        await projects.postRequestedNeed(task.need, task.requestedBy);
      } catch (error) {
        if (error instanceof InvalidArgumentError) throw new PoisonEventError(error.message);
        throw error;
      }
    },
  });
}

function charityTask(event: CloudEvent) {
  const data = event.data;
  if (data.kind !== "charity_project") return undefined;
  const budget = data.budgetFen;
  return {
    need: {
      origin: { domain: "deliberation", reference: text(data, "taskId") },
      areaId: text(data, "areaId"),
      title: text(data, "title"),
      description: text(data, "description"),
      askedFen: typeof budget === "number" ? budget : 0,
    },
    requestedBy: text(data, "requestedBy"),
  };
}

function text(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value !== "string" || value.trim() === "") throw new PoisonEventError(`${field} is missing`);
  return value;
}
