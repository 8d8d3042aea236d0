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
import type { CaseReferral, CaseReferralDesk } from "../app/case-referral-desk.js";

export interface ReferralConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  logger: Logger;
  namespace: string;
}

/**
 * Follows the events that hand problems to grid-cases: a party member's visit collected a
 * problem (`party-building.visit.problem_collected`), a deliberation resolution asked for a
 * case (`deliberation.resolution.task_requested` of kind "case"). A referral that can never
 * become a case (unknown area or category, missing fields) is kept as a dead letter.
 */
export async function startReferralConsumers(
  referrals: CaseReferralDesk,
  options: ReferralConsumerOptions,
): Promise<RunningConsumer[]> {
  const follow = async (
    domain: "party-building" | "deliberation",
    eventType: string,
    toReferral: (event: CloudEvent) => CaseReferral | undefined,
  ) => {
    const producer = await ensureDomainStream(options.jsm, domain, options.namespace);
    return startEventConsumer({
      js: options.js,
      jsm: options.jsm,
      db: options.db,
      logger: options.logger,
      stream: producer.name,
      durable: `grid-cases-${domain}-${eventType.replaceAll(".", "-").replaceAll("_", "-")}`,
      filterSubjects: [`${producer.subjectPrefix}.${eventType}`],
      skipProcessed: true,
      handle: async ({ event }) => {
        const referral = toReferral(event);
        if (!referral) return;
        try {
          await referrals.refer(referral);
        } catch (error) {
          if (error instanceof InvalidArgumentError) throw new PoisonEventError(error.message);
          throw error;
        }
      },
    });
  };
  return [
    await follow("party-building", "visit.problem_collected", partyVisitProblem),
    await follow("deliberation", "resolution.task_requested", deliberationTask),
  ];
}

function partyVisitProblem(event: CloudEvent): CaseReferral {
  const data = event.data;
  return {
    origin: { domain: "party-building", reference: text(data, "problemId") },
    categoryCode: text(data, "categoryCode"),
    title: text(data, "title"),
    description: text(data, "description"),
    areaId: text(data, "areaId"),
    address: optionalText(data, "address"),
    referredBy: text(data, "collectedBy"),
    referredAt: new Date(event.time),
  };
}

/** Tasks of other kinds (activities, charity projects) are for other services. */
function deliberationTask(event: CloudEvent): CaseReferral | undefined {
  const data = event.data;
  if (data.kind !== "case") return undefined;
  return {
    origin: { domain: "deliberation", reference: text(data, "taskId") },
    categoryCode: text(data, "categoryCode"),
    title: text(data, "title"),
    description: text(data, "description"),
    areaId: text(data, "areaId"),
    address: optionalText(data, "address"),
    referredBy: text(data, "requestedBy"),
    referredAt: new Date(event.time),
  };
}

function text(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value !== "string" || value.trim() === "") throw new PoisonEventError(`${field} is missing`);
  return value;
}

function optionalText(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  return typeof value === "string" ? value : "";
}
