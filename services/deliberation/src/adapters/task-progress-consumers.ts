import {
  type CloudEvent,
  ensureDomainStream,
  PoisonEventError,
  type RunningConsumer,
  type ServiceConsumerOptions,
  startEventConsumer,
} from "@civic/event-log";
import type { ResolutionDesk } from "../app/resolution-desk.js";
import type { TaskProgressReport } from "../domain/resolution.js";

/** Where each kind of task is carried out, and which of its events may move it (contract 3). */
const progressSources = [
  { domain: "grid-cases", aggregate: "case" },
  { domain: "volunteer-stations", aggregate: "activity" },
  { domain: "social-registry", aggregate: "project" },
] as const;

/**
 * Follows the entities other services created for deliberation tasks: every event whose data
 * carries `origin: {domain: "deliberation", reference: <taskId>}` and `taskProgress` adds a
 * dated entry to the task's timeline, once per event.
 */
export async function startTaskProgressConsumers(
  resolutions: ResolutionDesk,
  options: ServiceConsumerOptions,
): Promise<RunningConsumer[]> {
  const consumers: RunningConsumer[] = [];
  for (const source of progressSources) {
    const producer = await ensureDomainStream(options.jsm, source.domain, options.namespace);
    consumers.push(
      await startEventConsumer({
        js: options.js,
        jsm: options.jsm,
        db: options.db,
        logger: options.logger,
        stream: producer.name,
        durable: `deliberation-task-progress-${source.domain}`,
        filterSubjects: [`${producer.subjectPrefix}.${source.aggregate}.>`],
        handle: async ({ event }) => {
          const report = progressReportOf(event, source.domain);
          if (!report) return;
          const known = await resolutions.recordProgress(report);
          if (!known)
            options.logger.info(
              { taskId: report.taskId, eventId: event.id },
              "progress for an unknown task ignored",
            );
        },
      }),
    );
  }
  return consumers;
}

/** The progress an event reports for a deliberation task, or undefined when it reports none. */
export function progressReportOf(event: CloudEvent, domain: string): TaskProgressReport | undefined {
  const origin = event.data.origin as { domain?: unknown; reference?: unknown } | undefined;
  const progress = event.data.taskProgress as { percent?: unknown; note?: unknown } | undefined;
  if (origin?.domain !== "deliberation" || progress === undefined) return undefined;
  if (typeof origin.reference !== "string" || origin.reference === "")
    throw new PoisonEventError("origin.reference is missing");
  const percent = progress.percent;
  if (typeof percent !== "number" || !Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new PoisonEventError("taskProgress.percent must be a whole number 0 to 100");
  }
  return {
    taskId: origin.reference,
    percent,
    note: typeof progress.note === "string" ? progress.note : "",
    domain,
    sourceEventId: event.id,
    at: event.time,
  };
}
