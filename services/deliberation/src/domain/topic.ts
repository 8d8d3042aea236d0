import {
  AreaCode,
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
  NotFoundError,
} from "@civic/domain-kit";
import type { AdmissibilityList } from "./admissibility.js";

/** Who put a topic forward. */
export const proposerKinds = ["resident", "representative", "party_organisation", "service_event"] as const;
export type ProposerKind = (typeof proposerKinds)[number];

/** The six-step method (协商议事六步法), in order; a topic is collected when proposed. */
export const sixSteps = ["collect", "agenda", "deliberate", "decide", "implement", "report_back"] as const;
export type TopicStep = (typeof sixSteps)[number];

export interface StepRecord {
  step: TopicStep;
  /** What happened at this step, as it is published: the agenda, the positions heard, the decision… */
  record: string;
  /** A vote, resolution, meeting or task this step refers to; "" if none. */
  reference: string;
  by: string;
  at: string;
}

export interface TopicProposedData {
  topicId: string;
  areaId: string;
  title: string;
  description: string;
  categoryCode: string;
  proposerKind: ProposerKind;
  proposedBy: string;
  /** For a topic from another service's event: its domain and reference. */
  origin: { domain: string; reference: string } | null;
  admissible: boolean;
  /** Why the topic was admitted or refused: the rule of the list that decided it. */
  admissibilityReason: string;
  at: string;
}

export type TopicEvent =
  | { type: "topic.proposed"; data: TopicProposedData }
  | { type: "topic.step_recorded"; data: StepRecord & { topicId: string; areaId: string } };

export type TopicState =
  | { status: "none" }
  | (TopicProposedData & { status: "refused" | "in_progress" | "completed"; steps: StepRecord[] });
export type Topic = Exclude<TopicState, { status: "none" }>;

export const initialTopicState = (): TopicState => ({ status: "none" });

export function evolveTopic(state: TopicState, event: TopicEvent): TopicState {
  switch (event.type) {
    case "topic.proposed": {
      const { topicId, proposedBy, at } = event.data;
      const collected: StepRecord = {
        step: "collect",
        record: event.data.description,
        reference: topicId,
        by: proposedBy,
        at,
      };
      return event.data.admissible
        ? { ...event.data, status: "in_progress", steps: [collected] }
        : { ...event.data, status: "refused", steps: [] };
    }
    case "topic.step_recorded": {
      if (state.status === "none") return state;
      const { topicId: _, areaId: __, ...record } = event.data;
      return {
        ...state,
        steps: [...state.steps, record],
        status: record.step === "report_back" ? "completed" : state.status,
      };
    }
  }
}

export function requireTopic(state: TopicState, topicId: string): Topic {
  if (state.status === "none") throw new NotFoundError("topic", topicId);
  return state;
}

export interface ProposeTopic {
  topicId: string;
  areaId: string;
  title: string;
  description: string;
  categoryCode: string;
  proposerKind: string;
  origin: { domain: string; reference: string } | null;
  by: string;
  at: Date;
}

export function decideProposeTopic(command: ProposeTopic, list: AdmissibilityList): TopicEvent {
  const rule = list.rule(command.categoryCode.trim());
  const violations = new FieldChecks()
    .check("areaId", AreaCode.isPrefix(command.areaId.trim()), "must be an area code (2 to 18 digits)")
    .requiredText("title", command.title, 100)
    .requiredText("description", command.description, 2000)
    .oneOf("proposerKind", command.proposerKind, proposerKinds)
    .check("categoryCode", rule !== undefined, `must be one of ${list.codes.join(", ")}`);
  if (command.proposerKind === "service_event") {
    violations
      .requiredText("origin.domain", command.origin?.domain ?? "", 64)
      .requiredText("origin.reference", command.origin?.reference ?? "", 128);
  }
  violations.throwIfAny();
  const decisive = rule as NonNullable<typeof rule>;
  return {
    type: "topic.proposed",
    data: {
      topicId: command.topicId,
      areaId: command.areaId.trim(),
      title: command.title.trim(),
      description: command.description.trim(),
      categoryCode: decisive.code,
      proposerKind: command.proposerKind as ProposerKind,
      proposedBy: command.by,
      origin: command.proposerKind === "service_event" ? command.origin : null,
      admissible: decisive.admissible,
      admissibilityReason: `${decisive.admissible ? "discussed" : "not discussed"}: ${decisive.description}`,
      at: command.at.toISOString(),
    },
  };
}

/** Records the next step; a step out of order, or on a refused or completed topic, is refused. */
export function decideRecordStep(
  topic: Topic,
  command: { step: string; record: string; reference: string; by: string; at: Date },
): TopicEvent {
  new FieldChecks()
    .oneOf("step", command.step, sixSteps)
    .requiredText("record", command.record, 4000)
    .text("reference", command.reference, { max: 128, optional: true })
    .throwIfAny();
  if (topic.status === "refused") {
    throw new FailedPreconditionError(
      `topic ${topic.topicId} was not admitted: ${topic.admissibilityReason}`,
      "TOPIC_NOT_ADMITTED",
    );
  }
  if (topic.status === "completed") {
    throw new FailedPreconditionError(
      `topic ${topic.topicId} has completed all six steps`,
      "TOPIC_COMPLETED",
    );
  }
  const next = sixSteps[topic.steps.length];
  if (command.step !== next) {
    throw new FailedPreconditionError(
      `topic ${topic.topicId} is at step "${topic.steps.at(-1)?.step}": the next step is "${next}", not "${command.step}"`,
      "STEP_OUT_OF_ORDER",
    );
  }
  if (command.step === "decide" && command.reference.trim() === "") {
    throw new InvalidArgumentError([
      { field: "reference", description: "the decide step names the vote or resolution" },
    ]);
  }
  return {
    type: "topic.step_recorded",
    data: {
      topicId: topic.topicId,
      areaId: topic.areaId,
      step: command.step as TopicStep,
      record: command.record.trim(),
      reference: command.reference.trim(),
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}
