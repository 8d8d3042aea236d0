import type { DevCaller } from "../dev-token.js";
import type { DemoArea } from "./city-plan.js";
import type { GatewayClient } from "./gateway-client.js";
import type { Phase } from "./phase.js";
import { between, pick, seededRandom } from "./random.js";
import { seedFigures } from "./seed-figures.js";

/**
 * Deliberation (议事协商) in a community: its residents' council, a topic taken through the
 * six steps, the council's show-of-hands vote on it, the resolution, and the money the
 * resolution allocates from the community's happiness fund (and, for a playground, the
 * compound's public fund: the seed's co-funding).
 */
export interface DemoCouncil {
  areaId: string;
  /** The compound (a grid of the community) whose public fund co-funds a playground. */
  compoundId: string;
  compoundName: string;
  name: string;
  members: { memberId: string; name: string; role: "chair" | "representative" }[];
  topic: DemoTopic;
  hands: { yes: number; no: number; abstain: number };
}

export interface DemoTopic {
  title: string;
  description: string;
  categoryCode: string;
  /** From the community's happiness fund. */
  happinessFundYuan: number;
  /** From the compound's public fund (co-funded with the happiness fund); 0 for none. */
  compoundFundYuan: number;
}

/** What each community's happiness fund is credited with for the year (a demo figure). */
export const happinessFundYuan = 100_000;
/** What a compound's public fund holds when it co-funds a playground (a demo figure). */
export const compoundPublicFundYuan = 60_000;

const topics: DemoTopic[] = [
  {
    title: "小区儿童游乐场建设",
    description: "原有游乐设施年久失修已拆除，住户希望增设儿童游乐场",
    categoryCode: "environment-facilities",
    happinessFundYuan: seedFigures.playground.happinessFundYuan,
    compoundFundYuan: seedFigures.playground.compoundFundYuan,
  },
  {
    title: "楼道照明改造",
    description: "老旧楼道灯损坏，居民夜间出行不便",
    categoryCode: "environment-facilities",
    happinessFundYuan: 8_000,
    compoundFundYuan: 0,
  },
  {
    title: "社区长者饭堂",
    description: "独居长者用餐不便，建议开设长者饭堂",
    categoryCode: "public-welfare",
    happinessFundYuan: 30_000,
    compoundFundYuan: 0,
  },
  {
    title: "垃圾分类投放亭",
    description: "垃圾桶露天摆放，建议建设分类投放亭",
    categoryCode: "public-services",
    happinessFundYuan: 12_000,
    compoundFundYuan: 0,
  },
];

const surnames = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"];

/**
 * A residents' council in every third community (and in Nancun and Shanchang, with the seed's
 * 107 and 63 representatives), each with a topic in turn from the list above (Nancun's is the
 * seed's playground) and a vote that adopts it.
 */
export function demoDeliberationPlan(areas: DemoArea[]): DemoCouncil[] {
  const random = seededRandom(2_016);
  const communities = areas.filter((area) => area.level === "community");
  return communities
    .filter(
      (community, index) => index % 3 === 0 || seedFigures.representatives[community.areaId] !== undefined,
    )
    .map((community, index): DemoCouncil => {
      const compound = areas.find(
        (area) => area.level === "grid" && area.areaId.startsWith(community.areaId),
      );
      const seats = seedFigures.representatives[community.areaId] ?? between(random, 15, 40);
      const yes = Math.round(seats * 0.85);
      const no = Math.round(seats * 0.05);
      return {
        areaId: community.areaId,
        compoundId: compound?.areaId ?? community.areaId,
        compoundName: compound?.name ?? community.name,
        name: `${community.name}居民议事会`,
        members: Array.from({ length: seats }, (_, seat) => ({
          memberId: `rep-${community.areaId}-${seat + 1}`,
          name: `${pick(random, surnames)}代表${seat + 1}`,
          role: seat === 0 ? "chair" : "representative",
        })),
        topic: (community.areaId === seedFigures.playground.communityId
          ? topics[0]
          : topics[index % topics.length]) as DemoTopic,
        hands: { yes, no, abstain: seats - yes - no },
      };
    });
}

/** The community staff who run deliberation across the district. */
export const deliberationOrganiser: DevCaller = {
  subject: "demo-community-staff",
  roles: ["community_staff"],
  areas: [seedFigures.district.areaId],
};

interface TopicJson {
  topicId: string;
  title: string;
  nextStep: string;
  steps: { step: string; reference: string }[];
}

/**
 * Constitutes each council and seats its members, has the chair propose the topic, and takes it
 * through the six steps: the decision is the council's vote (show of hands, closed and adopted)
 * and its resolution, the implementation the resolution's allocation. Councils and topics are
 * found again by name and title, a vote and the funds by the topic's steps that name them; so a
 * second run adds nothing, and an interrupted one goes on from the topic's next step.
 */
export function deliberationPhase(
  councils: DemoCouncil[],
  organiser: GatewayClient,
  clientOf: (caller: DevCaller) => Promise<GatewayClient>,
): Phase<DemoCouncil> {
  return {
    name: "deliberation",
    items: councils,
    finished: async (_, last) => (await topicOf(organiser, last))?.nextStep === "",
    load: async (_, council) => {
      const councilId = await seatCouncil(organiser, council);
      const chair = council.members[0] as DemoCouncil["members"][number];
      let topic =
        (await topicOf(organiser, council)) ??
        (await (
          await clientOf({ subject: chair.memberId, roles: ["representative"] })
        ).postForJson<TopicJson>(
          "/api/v1/topics",
          {
            areaId: council.areaId,
            title: council.topic.title,
            description: council.topic.description,
            categoryCode: council.topic.categoryCode,
            proposerKind: "representative",
          },
          `demo-topic-${council.areaId}`,
        ));
      for (let steps = 0; topic.nextStep !== ""; steps++) {
        if (steps === 6) throw new Error(`demo city: topic ${topic.topicId} stuck at ${topic.nextStep}`);
        const [record, reference] = await takeStep(organiser, council, councilId, topic);
        topic = await organiser.postForJson<TopicJson>(
          `/api/v1/topics/${topic.topicId}/steps`,
          { step: topic.nextStep, record, reference },
          `demo-topic-${topic.topicId}-${topic.nextStep}`,
        );
      }
    },
  };
}

async function topicOf(organiser: GatewayClient, council: DemoCouncil): Promise<TopicJson | undefined> {
  const listed = await organiser.get<{ topics: TopicJson[] }>(
    `/api/v1/topics?areaId=${council.areaId}&pageSize=200`,
  );
  return listed?.topics.find((topic) => topic.title === council.topic.title);
}

/** The council's id, constituting it first if need be, with every planned member seated. */
async function seatCouncil(organiser: GatewayClient, council: DemoCouncil): Promise<string> {
  const listed = await organiser.get<{
    councils: { councilId: string; name: string; members: { memberId: string }[] }[];
  }>(`/api/v1/councils?areaId=${council.areaId}&pageSize=200`);
  const existing =
    listed?.councils.find((each) => each.name === council.name) ??
    (await organiser.postForJson<{ councilId: string; members: { memberId: string }[] }>(
      "/api/v1/councils",
      {
        kind: "resident_deliberation_council",
        areaId: council.areaId,
        name: council.name,
        seatCount: council.members.length,
        termStart: `${new Date().getUTCFullYear()}-01-01`,
        termEnd: `${new Date().getUTCFullYear() + 2}-12-31`,
      },
      `demo-council-${council.areaId}`,
    ));
  const seated = new Set(existing.members.map((member) => member.memberId));
  for (const member of council.members) {
    if (seated.has(member.memberId)) continue;
    await organiser.post(
      `/api/v1/councils/${existing.councilId}/members`,
      member,
      `demo-council-member-${member.memberId}`,
    );
  }
  return existing.councilId;
}

/** Does what the topic's next step records, answering the step's record and reference. */
async function takeStep(
  organiser: GatewayClient,
  council: DemoCouncil,
  councilId: string,
  topic: TopicJson,
): Promise<[record: string, reference: string]> {
  switch (topic.nextStep) {
    case "agenda":
      return ["列入居民议事会议程", ""];
    case "deliberate":
      return ["议事代表按萝卜议事规则逐项发言讨论", ""];
    case "decide":
      return ["居民议事会举手表决通过", await decide(organiser, council, councilId, topic)];
    case "implement":
      return ["按决议从幸福资金拨款实施", await fund(organiser, council, topic)];
    case "report_back":
      return ["实施情况在社区公示栏公开", ""];
    default:
      throw new Error(`demo city: topic ${topic.topicId} asks for an unknown step ${topic.nextStep}`);
  }
}

/** The council's vote on the topic, counted and closed, and its resolution; answers the vote's id. */
async function decide(
  organiser: GatewayClient,
  council: DemoCouncil,
  councilId: string,
  topic: TopicJson,
): Promise<string> {
  const key = `demo-vote-${topic.topicId}`;
  const opened = await organiser.postForJson<{ voteId: string }>(
    `/api/v1/councils/${councilId}/votes`,
    {
      title: council.topic.title,
      method: "show_of_hands",
      rule: "simple_majority",
      closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      subjectReference: `topic:${topic.topicId}`,
    },
    key,
  );
  // Read afresh: an answer replayed for the same key shows the vote as it was then.
  const vote = (await organiser.get<{ voteId: string; status: string }>(
    `/api/v1/votes/${opened.voteId}`,
  )) ?? {
    ...opened,
    status: "open",
  };
  if (vote.status === "open") {
    await organiser.put(`/api/v1/votes/${vote.voteId}/show-of-hands`, council.hands);
    await organiser.postForJson(`/api/v1/votes/${vote.voteId}/close`, {}, `${key}-close`);
  }
  await organiser.post(
    `/api/v1/votes/${vote.voteId}/resolution`,
    {
      title: council.topic.title,
      text: `同意${council.topic.title}，所需资金按议事会决议拨付。`,
      reviewDate: `${new Date().getUTCFullYear() + 1}-06-30`,
    },
    `${key}-resolution`,
  );
  return vote.voteId;
}

/**
 * Money moves once each (a credit repeated after a timeout would be a second credit), so these
 * calls are not retried with a new key.
 *
 * Credits the community's happiness fund (and the compound's public fund for a co-funded
 * project) and allocates the topic's money against the resolution (the vote's id); answers
 * the funds' ids.
 */
async function fund(organiser: GatewayClient, council: DemoCouncil, topic: TopicJson): Promise<string> {
  const resolutionId = topic.steps.find((step) => step.step === "decide")?.reference ?? "";
  const key = `demo-funds-${topic.topicId}`;
  const openCredited = async (areaId: string, kind: string, name: string, yuan: number, note: string) => {
    const opened = await organiser.postForJson<{ fundId: string }>(
      "/api/v1/funds",
      { areaId, name, kind },
      `${key}-${kind}`,
    );
    await organiser.postForJson(
      `/api/v1/funds/${opened.fundId}/credits`,
      { amountFen: yuan * 100, note },
      `${key}-${kind}-credit`,
    );
    return opened.fundId;
  };
  const happiness = await openCredited(
    council.areaId,
    "community_happiness_fund",
    `${council.name.replace("居民议事会", "")}幸福资金`,
    happinessFundYuan,
    "年度幸福资金预算",
  );
  const purpose = `${council.topic.title}（议事会决议）`;
  if (council.topic.compoundFundYuan === 0) {
    await organiser.postForJson(
      `/api/v1/funds/${happiness}/allocations`,
      { amountFen: council.topic.happinessFundYuan * 100, purpose, resolutionId },
      `${key}-allocation`,
    );
    return happiness;
  }
  const compound = await openCredited(
    council.compoundId,
    "compound_public_fund",
    `${council.compoundName}小区公共基金`,
    compoundPublicFundYuan,
    "小区公共收益",
  );
  await organiser.postForJson(
    "/api/v1/co-funded-allocations",
    {
      resolutionId,
      purpose,
      parts: [
        { fundId: compound, amountFen: council.topic.compoundFundYuan * 100 },
        { fundId: happiness, amountFen: council.topic.happinessFundYuan * 100 },
      ],
    },
    `${key}-co-funding`,
  );
  return `${happiness},${compound}`;
}
