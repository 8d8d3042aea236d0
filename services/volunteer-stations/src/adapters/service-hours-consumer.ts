import { type CloudEvent, type RunningConsumer, startEventConsumer } from "@civic/event-log";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import type { ServiceHoursDesk } from "../app/service-hours-desk.js";
import type { ServiceHoursEvent } from "../domain/service-hours.js";

export interface ServiceHoursConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  logger: Logger;
  /** This service's stream and subject prefix (its own events). */
  stream: string;
  subjectPrefix: string;
}

/**
 * Follows this service's own events: a check-out records the hours (pending), an approval
 * or a correction is posted to the ledger. Redeliveries change nothing: the record's id is
 * the sign-up's, and ledger entry ids come from the event's stream version.
 */
export function startServiceHoursConsumer(
  desk: ServiceHoursDesk,
  options: ServiceHoursConsumerOptions,
): Promise<RunningConsumer> {
  const prefix = options.subjectPrefix;
  return startEventConsumer({
    js: options.js,
    jsm: options.jsm,
    db: options.db,
    logger: options.logger,
    stream: options.stream,
    durable: "volunteer-stations-service-hours",
    filterSubjects: [`${prefix}.signup.checked_out`, `${prefix}.hours.approved`, `${prefix}.hours.corrected`],
    skipProcessed: true,
    handle: async ({ event }) => {
      if (event.type === `${prefix}.signup.checked_out`) {
        const data = event.data as {
          shiftId: string;
          volunteerId: string;
          servedMinutes: number;
          automatic: boolean;
          at: string;
        };
        await desk.recordFromCheckOut(data);
      } else await desk.post(hoursEvent(event, prefix), event.streamversion);
    },
  });
}

function hoursEvent(event: CloudEvent, prefix: string): ServiceHoursEvent {
  return { type: event.type.slice(prefix.length + 1), data: event.data } as unknown as ServiceHoursEvent;
}
