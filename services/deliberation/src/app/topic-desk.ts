import {
  AlreadyExistsError,
  AreaCode,
  type Caller,
  hasAnyRole,
  InvalidArgumentError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import { type AggregateRepository, idFromOrigin, pageOfSnapshots } from "@civic/event-log";
import type { AdmissibilityList } from "../domain/admissibility.js";
import { isOrganiserOf, requireOrganiserOf } from "../domain/authorisation.js";
import {
  decideProposeTopic,
  decideRecordStep,
  type ProposeTopic,
  requireTopic,
  type Topic,
  type TopicEvent,
  type TopicState,
} from "../domain/topic.js";
import type { AreaScope } from "./area-scope.js";

export interface TopicView {
  topic: Topic;
  version: number;
}

/** A topic another service proposed by an event (contract: docs/events.md, "Topics for deliberation"). */
export interface ProposalFromEvent {
  domain: string;
  /** The proposal's id in the proposing service: with the domain, it names the topic for good. */
  reference: string;
  areaId: string;
  title: string;
  description: string;
  categoryCode: string;
  proposedBy: string;
  at: Date;
}

/** UUIDv5 namespace of topic ids derived from another service's proposal. */
const proposalNamespace = "3d6f0a52-8b1e-5c47-9e2a-6b4d1f7c0e93";

/** The id of the topic made of another service's proposal: the same for every repeat of it. */
export const proposalTopicId = (origin: { domain: string; reference: string }): string =>
  idFromOrigin(origin, proposalNamespace);

/** Who may put a topic forward as which kind of proposer. */
const proposerRoles: Record<string, string[]> = {
  resident: [],
  representative: ["representative"],
  party_organisation: ["party_organisation"],
  service_event: [],
};

/** Use cases of topics: propose (with the admissibility check), record the six steps, read. */
export class TopicDesk {
  constructor(
    private readonly topics: AggregateRepository<TopicState, TopicEvent>,
    private readonly areas: AreaScope,
    private readonly admissibility: AdmissibilityList,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async propose(input: Omit<ProposeTopic, "topicId" | "by" | "at">, caller: Caller): Promise<TopicView> {
    const topicId = this.newId();
    const proposed = decideProposeTopic(
      { ...input, topicId, by: caller.subject, at: this.now() },
      this.admissibility,
    );
    await this.areas.requireCommunityOrCompound(proposed.data.areaId);
    this.requireProposer(input.proposerKind, proposed.data.areaId, caller);
    const { state, version } = await this.topics.create(topicId, () => proposed);
    return { topic: requireTopic(state, topicId), version };
  }

  /**
   * Takes a topic another service proposed by an event. Its id is derived from the
   * proposal's domain and reference, so a redelivered or repeated event finds the topic
   * already there (`created: false`). Bad input (unknown area or category, a missing
   * field) is InvalidArgumentError: the event can never become a topic.
   */
  async proposeFromEvent(proposal: ProposalFromEvent): Promise<TopicView & { created: boolean }> {
    const origin = { domain: proposal.domain, reference: proposal.reference };
    const topicId = proposalTopicId(origin);
    const proposed = decideProposeTopic(
      { ...proposal, topicId, proposerKind: "service_event", origin, by: proposal.proposedBy },
      this.admissibility,
    );
    await this.areas.requireCommunityOrCompound(proposed.data.areaId);
    try {
      const { state, version } = await this.topics.create(topicId, () => proposed);
      return { topic: requireTopic(state, topicId), version, created: true };
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      return { ...(await this.get(topicId)), created: false };
    }
  }

  async recordStep(
    topicId: string,
    command: { step: string; record: string; reference: string },
    caller: Caller,
  ): Promise<TopicView> {
    const { state, version } = await this.topics.execute(topicId, (current) => {
      const topic = requireTopic(current, topicId);
      requireOrganiserOf(caller, topic.areaId, "recording a step of the six-step method");
      return decideRecordStep(topic, { ...command, by: caller.subject, at: this.now() });
    });
    return { topic: requireTopic(state, topicId), version };
  }

  /** Topics and every step are public: that is the point of recording them. */
  async get(topicId: string): Promise<TopicView> {
    const { state, version } = await this.topics.load(topicId);
    return { topic: requireTopic(state, topicId), version };
  }

  async list(areaId: string, page: { pageSize: number; pageToken: string }) {
    if (!AreaCode.isPrefix(areaId, { min: 0 })) {
      throw new InvalidArgumentError([
        { field: "areaId", description: "must be an area code prefix (digits)" },
      ]);
    }
    const filter = AreaCode.range("state.areaId", areaId);
    const found = await pageOfSnapshots(this.topics.snapshots, filter as never, page);
    return {
      topics: found.items.map((item) => ({
        topic: requireTopic(item.state, item._id),
        version: item.version,
      })),
      nextPageToken: found.nextPageToken,
    };
  }

  admissibilityRules() {
    return this.admissibility.rules;
  }

  private requireProposer(kind: string, areaId: string, caller: Caller): void {
    if (caller.roles.includes("public") || caller.subject === "anonymous") {
      throw new PermissionDeniedError("sign in to propose a topic", "SIGN_IN_TO_PROPOSE");
    }
    const roles = proposerRoles[kind] ?? [];
    // A topic from another service's event is entered by the area's staff on its behalf.
    if (kind === "service_event" && !isOrganiserOf(caller, areaId)) {
      throw new PermissionDeniedError(
        "topics from another service's event are entered by the area's staff",
        "NOT_AN_ORGANISER",
      );
    }
    if (roles.length > 0 && !hasAnyRole(caller, roles)) {
      throw new PermissionDeniedError(
        `proposing as ${kind.replaceAll("_", " ")} needs that role`,
        "NOT_THAT_PROPOSER",
      );
    }
  }
}
