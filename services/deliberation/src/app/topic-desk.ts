import { type AggregateRepository, pageOfSnapshots, type Snapshot } from "@civic/event-log";
import { type Caller, InvalidArgumentError, PermissionDeniedError } from "@civic/service-kit";
import type { Collection } from "mongodb";
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
    private readonly snapshots: Collection<Snapshot<TopicState>>,
    private readonly areas: AreaScope,
    private readonly admissibility: AdmissibilityList,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async ensureIndexes(snapshots: Collection<Snapshot<TopicState>>): Promise<void> {
    await snapshots.createIndex({ "state.areaId": 1 }, { name: "area" });
  }

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
    if (!/^\d{0,18}$/.test(areaId)) {
      throw new InvalidArgumentError([
        { field: "areaId", description: "must be an area code prefix (digits)" },
      ]);
    }
    const filter = areaId === "" ? {} : { "state.areaId": { $regex: `^${areaId}` } };
    const found = await pageOfSnapshots(this.snapshots, filter as never, page);
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
    if (roles.length > 0 && !caller.roles.some((role) => roles.includes(role))) {
      throw new PermissionDeniedError(
        `proposing as ${kind.replaceAll("_", " ")} needs that role`,
        "NOT_THAT_PROPOSER",
      );
    }
  }
}
