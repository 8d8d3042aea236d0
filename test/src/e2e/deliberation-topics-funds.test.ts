import { randomUUID } from "node:crypto";
import { MongoClient } from "mongodb";
import { describe, expect, inject, it } from "vitest";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { eventually } from "../support/domain-events.js";
import { openEventStream } from "../support/event-stream-client.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { raceOutcome } from "../support/races.js";
import {
  adoptedResolution as councilAdoptedResolution,
  adoptedVote as councilAdoptedVote,
} from "../support/resolutions.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const compound = "440402001002003";
const yuan = (amount: number) => amount * 100;

describe("topics and the happiness fund through the gateway", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  const resident = bearer("resident-8", { roles: ["resident"] });

  const adoptedVote = (title: string) => councilAdoptedVote(api, staff, compound, title);
  const adoptedResolution = (title: string) => councilAdoptedResolution(api, staff, compound, title);

  async function fund(areaId: string, kind: string, creditYuan: number) {
    const opened = await api.post("/api/v1/funds", { areaId, name: `${kind} of ${areaId}`, kind }, staff);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    if (creditYuan > 0) {
      const credited = await api.post(
        `/api/v1/funds/${opened.body.fundId}/credits`,
        { amountFen: yuan(creditYuan), note: "街道下拨" },
        staff,
      );
      expect(credited.status).toBe(200);
    }
    return opened.body.fundId as string;
  }

  /** The compound's public fund and Nancun's happiness fund, opened and credited in that order. */
  async function publicAndHappinessFunds(publicYuan: number, happinessYuan: number) {
    const publicFund = await fund(compound, "compound_public_fund", publicYuan);
    const happiness = await fund(nancun, "community_happiness_fund", happinessYuan);
    return { publicFund, happiness };
  }

  /** Asks to co-fund `purpose` for a resolution, a part in yuan from each fund named. */
  const coFund = (resolutionId: string, purpose: string, partsInYuan: [fundId: string, amount: number][]) =>
    api.post(
      "/api/v1/co-funded-allocations",
      {
        resolutionId,
        purpose,
        parts: partsInYuan.map(([fundId, amount]) => ({ fundId, amountFen: yuan(amount) })),
      },
      staff,
    );

  describe("topics", () => {
    /** A resident proposes a topic for `areaId`. */
    const proposeTopic = (topic: {
      areaId: string;
      title: string;
      description: string;
      categoryCode: string;
    }) => api.post("/api/v1/topics", { ...topic, proposerKind: "resident" }, resident);
    const recordStep = (
      topicId: string,
      step: { step: string; record: string; reference?: string },
      authorization = staff,
    ) => api.post(`/api/v1/topics/${topicId}/steps`, step, authorization);

    it("admits a topic from the 'discussed' list and records each of the six steps in order", async () => {
      const proposed = await proposeTopic({
        areaId: compound,
        title: "小区儿童游乐场改造",
        description: "游乐设施老化，居民建议改造",
        categoryCode: "environment-facilities",
      });
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
      expect(proposed.body).toMatchObject({
        admissible: true,
        status: "in_progress",
        nextStep: "agenda",
        proposedBy: "resident-8",
      });
      expect(proposed.body.admissibilityReason).toContain("discussed");
      expect(proposed.body.steps.map((step: { step: string }) => step.step)).toEqual(["collect"]);
      const topicId = proposed.body.topicId;
      const steps = [
        { step: "agenda", record: "列入12月议事会议程" },
        { step: "deliberate", record: "居民代表发言12人次，意见集中于安全与费用" },
        { step: "decide", record: "表决通过改造方案", reference: "vote-123" },
        { step: "implement", record: "施工队进场" },
        { step: "report_back", record: "验收合格，公示费用明细" },
      ];
      let last = proposed.body;
      for (const step of steps) {
        const recorded = await recordStep(topicId, step);
        expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
        last = recorded.body;
      }
      expect(last).toMatchObject({ status: "completed", nextStep: "", version: 6 });
      expect(last.steps.map((step: { step: string }) => step.step)).toEqual([
        "collect",
        "agenda",
        "deliberate",
        "decide",
        "implement",
        "report_back",
      ]);
      expect(last.steps[3]).toMatchObject({ reference: "vote-123", by: "cs-nancun" });
      const again = await recordStep(topicId, { step: "report_back", record: "再次" });
      expect(again.body.reason).toBe("TOPIC_COMPLETED");
    });

    it("refuses a topic from the 'not discussed' list with the reason recorded, and takes it no further", async () => {
      const proposed = await proposeTopic({
        areaId: nancun,
        title: "邻居借款不还",
        description: "请议事会帮我讨债",
        categoryCode: "private-matters",
      });
      expect(proposed.status).toBe(201);
      expect(proposed.body).toMatchObject({ admissible: false, status: "refused", nextStep: "" });
      expect(proposed.body.admissibilityReason).toContain("not discussed");
      const step = await recordStep(proposed.body.topicId, { step: "agenda", record: "x" });
      expect(step.status).toBe(400);
      expect(step.body.reason).toBe("TOPIC_NOT_ADMITTED");
    });

    it("refuses out-of-order steps and leaves the topic as it was", async () => {
      const proposed = await proposeTopic({
        areaId: nancun,
        title: "增设电动车充电桩",
        description: "楼道充电有火灾隐患",
        categoryCode: "public-services",
      });
      const topicId = proposed.body.topicId;
      const skipped = await recordStep(topicId, { step: "decide", record: "直接表决", reference: "v" });
      expect(skipped.status).toBe(400);
      expect(skipped.body.reason).toBe("STEP_OUT_OF_ORDER");
      await recordStep(topicId, { step: "agenda", record: "列入议程" });
      const backwards = await recordStep(topicId, { step: "agenda", record: "再列一次" });
      expect(backwards.body.reason).toBe("STEP_OUT_OF_ORDER");
      const unknown = await recordStep(topicId, { step: "vote", record: "?" });
      expect(unknown.status).toBe(400);
      const byResident = await recordStep(topicId, { step: "deliberate", record: "?" }, resident);
      expect(byResident.status).toBe(403);
      const topic = (await api.get(`/api/v1/topics/${topicId}`)).body;
      expect(topic).toMatchObject({ version: 2, nextStep: "deliberate" });
    });

    it("takes topics from representatives, party organisations and other services' events, each by its proposer", async () => {
      const base = {
        areaId: nancun,
        title: "井盖缺失反复发生",
        description: "同一路段三个月内四次",
        categoryCode: "public-affairs",
      };
      const representative = bearer("rep-3", { roles: ["representative"] });
      const branch = bearer("branch-1", { roles: ["party_organisation"] });
      expect(
        (await api.post("/api/v1/topics", { ...base, proposerKind: "representative" }, representative))
          .status,
      ).toBe(201);
      expect(
        (await api.post("/api/v1/topics", { ...base, proposerKind: "representative" }, resident)).status,
      ).toBe(403);
      expect(
        (await api.post("/api/v1/topics", { ...base, proposerKind: "party_organisation" }, branch)).status,
      ).toBe(201);
      const fromEvent = await api.post(
        "/api/v1/topics",
        { ...base, proposerKind: "service_event", originDomain: "grid-cases", originReference: "case-42" },
        staff,
      );
      expect(fromEvent.body).toMatchObject({ originDomain: "grid-cases", originReference: "case-42" });
      expect((await api.post("/api/v1/topics", { ...base, proposerKind: "resident" })).status).toBe(403);
      const badCategory = await api.post(
        "/api/v1/topics",
        { ...base, categoryCode: "gossip", proposerKind: "resident" },
        resident,
      );
      expect(badCategory.status).toBe(400);
      expect(badCategory.body.errors[0].field).toBe("categoryCode");
      const rules = (await api.get("/api/v1/topic-admissibility-rules")).body.rules;
      expect(rules.filter((rule: { admissible: boolean }) => rule.admissible)).toHaveLength(5);
      expect(rules.filter((rule: { admissible: boolean }) => !rule.admissible)).toHaveLength(5);
    });

    it("takes topics only in a community or compound that grid-cases defined", async () => {
      const before = (await api.get("/api/v1/topics?areaId=4404&pageSize=200")).body.topics.length;
      const unknown = await api.post(
        "/api/v1/topics",
        {
          areaId: "440402001002098",
          title: "不存在的小区",
          description: "?",
          categoryCode: "public-affairs",
          proposerKind: "resident",
        },
        resident,
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { field: "areaId", detail: "440402001002098 is not a known community or compound of grid-cases" },
      ]);
      expect((await api.get("/api/v1/topics?areaId=4404&pageSize=200")).body.topics).toHaveLength(before);
    });
  });

  describe("the happiness fund", () => {
    it("co-funds the seed's playground: 45,000 yuan from the compound's public fund and 20,000 from the community happiness fund", async () => {
      const resolutionId = await adoptedResolution("儿童游乐场改造");
      const { publicFund, happiness } = await publicAndHappinessFunds(100_000, 50_000);
      const allocated = await coFund(resolutionId, "儿童游乐场改造", [
        [publicFund, 45_000],
        [happiness, 20_000],
      ]);
      expect(allocated.status, JSON.stringify(allocated.body)).toBe(200);
      const [fromPublic, fromHappiness] = allocated.body.funds;
      expect(fromPublic).toMatchObject({ balanceFen: yuan(55_000), allocatedFen: yuan(45_000) });
      expect(fromHappiness).toMatchObject({ balanceFen: yuan(30_000), allocatedFen: yuan(20_000) });
      expect(fromHappiness.ledger).toEqual([]);
      const [publicEntry, allocation] = allocated.body.entries;
      expect(allocation).toMatchObject({
        kind: "allocation",
        reference: resolutionId,
        projectId: allocated.body.projectId,
      });
      const paid = await api.post(
        `/api/v1/funds/${happiness}/allocations/${allocation.entryId}/disbursements`,
        { amountFen: yuan(12_000), note: "首期款" },
        staff,
      );
      expect(paid.body.fund).toMatchObject({ disbursedFen: yuan(12_000), balanceFen: yuan(30_000) });
      const overpaid = await api.post(
        `/api/v1/funds/${happiness}/allocations/${allocation.entryId}/disbursements`,
        { amountFen: yuan(8_001), note: "超付" },
        staff,
      );
      expect(overpaid.body.reason).toBe("BEYOND_ALLOCATION");
      const noReversal = await api.post(
        `/api/v1/funds/${happiness}/allocations/${allocation.entryId}/reversal`,
        { reason: "取消" },
        staff,
      );
      expect(noReversal.body.reason).toBe("ALREADY_DISBURSED");
      expect(publicEntry).toMatchObject({ kind: "allocation", amountFen: yuan(45_000) });
      const reversed = await api.post(
        `/api/v1/funds/${publicFund}/allocations/${publicEntry.entryId}/reversal`,
        { reason: "方案调整" },
        staff,
      );
      expect(reversed.body.fund).toMatchObject({ balanceFen: yuan(100_000), allocatedFen: 0 });
      expect(reversed.body.entry).toMatchObject({ kind: "reversal", reference: publicEntry.entryId });
      const ledger = (await api.get(`/api/v1/funds/${publicFund}/ledger`)).body;
      expect(ledger.entries.map((entry: { kind: string }) => entry.kind)).toEqual([
        "credit",
        "allocation",
        "reversal",
      ]);
      expect(ledger).not.toHaveProperty("nextPageToken");
    });

    it("shows a co-funded allocation's events on the event stream to the staff of its resolution's community, and to no other", async () => {
      const resolutionId = await adoptedResolution("健身器材更新");
      const { publicFund, happiness } = await publicAndHappinessFunds(1_000, 1_000);
      const streamUrl = `${platform().gatewayUrl}/api/v1/event-stream?types=deliberation.co_funding`;
      const ours = await openEventStream(streamUrl, staff);
      const theirs = await openEventStream(
        streamUrl,
        bearer("cs-elsewhere", { roles: ["community_staff"], areas: ["440403001001"] }),
      );
      expect([ours.response.status, theirs.response.status]).toEqual([200, 200]);
      try {
        const allocated = await coFund(resolutionId, "健身器材更新", [
          [publicFund, 300],
          [happiness, 200],
        ]);
        expect(allocated.status, JSON.stringify(allocated.body)).toBe(200);
        const subject = `co_funding-${allocated.body.projectId}`;
        const seen = await eventually(
          async () => ours.received.filter((event) => event.data.subject === subject),
          (events) => events.length === 2,
        );
        // The plan names the resolution's area (a compound of 南村); co_funding.funded names
        // none and is shown by the area the gateway remembered for the plan.
        expect(seen.map((event) => [event.event, event.data.areaId])).toEqual([
          ["deliberation.co_funding.planned", compound],
          ["deliberation.co_funding.funded", compound],
        ]);
        expect(seen[0]?.data.data).toMatchObject({ resolutionId, areaId: compound });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(theirs.received).toEqual([]);
      } finally {
        await ours.close();
        await theirs.close();
      }
    });

    it("funds a co-funded project in full or not at all", async () => {
      const resolutionId = await adoptedResolution("加装电梯");
      const { publicFund, happiness } = await publicAndHappinessFunds(45_000, 10_000);
      const refused = await coFund(resolutionId, "加装电梯", [
        [publicFund, 45_000],
        [happiness, 20_000],
      ]);
      expect(refused.status).toBe(400);
      expect(refused.body.reason).toBe("INSUFFICIENT_BALANCE");
      // Nothing was taken from the fund that had enough, not even for a moment.
      for (const [fundId, credited] of [
        [publicFund, yuan(45_000)],
        [happiness, yuan(10_000)],
      ] as const) {
        expect((await api.get(`/api/v1/funds/${fundId}`)).body).toMatchObject({
          balanceFen: credited,
          allocatedFen: 0,
          version: 2,
        });
        const ledger = (await api.get(`/api/v1/funds/${fundId}/ledger`)).body.entries;
        expect(ledger.map((entry: { kind: string }) => entry.kind)).toEqual(["credit"]);
      }
      const mongo = await MongoClient.connect(inject("mongoUri"));
      try {
        const plans = mongo.db(platform().databaseName).collection("co_fundings");
        expect(await plans.countDocuments({ "state.resolutionId": resolutionId })).toBe(0);
        const events = mongo.db(platform().databaseName).collection("events");
        expect(
          await events.countDocuments({ type: "co_funding.planned", "data.resolutionId": resolutionId }),
        ).toBe(0);
      } finally {
        await mongo.close();
      }
    });

    it("funds each of 10 racing co-funded projects in full or not at all, and no fund beyond its balance", async () => {
      const resolutionId = await adoptedResolution("楼栋微改造");
      const { publicFund: first, happiness: second } = await publicAndHappinessFunds(100, 100);
      // Each project would fit alone; together they race, half of them taking the funds in the other order.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          coFund(
            resolutionId,
            `微改造${index}`,
            (index % 2 ? [first, second] : [second, first]).map((fundId) => [fundId, 30]),
          ),
        ),
      );
      const funded = answers.filter((answer) => answer.status === 200);
      expect(funded.length).toBeLessThanOrEqual(3);
      expect(raceOutcome(answers, ["INSUFFICIENT_BALANCE", "CO_FUNDING_FAILED"]).other).toEqual([]);
      const fundedProjects = new Set(funded.map((answer) => answer.body.projectId as string));
      for (const fundId of [first, second]) {
        const entries = (await api.get(`/api/v1/funds/${fundId}/ledger?pageSize=200`)).body.entries as {
          entryId: string;
          kind: string;
          amountFen: number;
          reference: string;
          projectId: string;
        }[];
        const reversed = new Set(
          entries.filter((entry) => entry.kind === "reversal").map((entry) => entry.reference),
        );
        const live = entries.filter((entry) => entry.kind === "allocation" && !reversed.has(entry.entryId));
        // A project keeps its share in this fund exactly when it was funded.
        expect(new Set(live.map((entry) => entry.projectId))).toEqual(fundedProjects);
        expect(live).toHaveLength(fundedProjects.size);
        const after = (await api.get(`/api/v1/funds/${fundId}`)).body;
        expect(after.balanceFen).toBe(yuan(100) - fundedProjects.size * yuan(30));
        expect(after.balanceFen).toBeGreaterThanOrEqual(0);
      }
    });

    it("rolls back a co-funded project a crash cut off after its first share, and its other share can never be taken", async () => {
      const resolutionId = await adoptedResolution("小区路灯");
      const { publicFund: taken, happiness: untouched } = await publicAndHappinessFunds(1_000, 1_000);
      const projectId = randomUUID();
      const shares = [taken, untouched].map((fundId) => ({
        fundId,
        amountFen: yuan(400),
        shareId: randomUUID(),
        reversalId: randomUUID(),
      }));
      const [takenShare, untouchedShare] = shares as [(typeof shares)[0], (typeof shares)[0]];
      const at = platform().clock.now;
      const event = (
        stream: string,
        version: number,
        type: string,
        data: object,
        id: string = randomUUID(),
      ) => ({
        _id: id,
        stream,
        version,
        type,
        subject: `${platform().namespace}.deliberation.${type}`,
        source: "crashed-replica",
        data,
        time: at,
      });
      const shareAllocation = (share: (typeof shares)[0], version: number) =>
        event(
          `fund-${share.fundId}`,
          version,
          "fund.allocated",
          {
            fundId: share.fundId,
            entryId: share.shareId,
            kind: "allocation",
            amountFen: share.amountFen,
            note: "路灯",
            reference: resolutionId,
            projectId,
            by: "cs-nancun",
            at: at.toISOString(),
          },
          share.shareId,
        );
      const mongo = await MongoClient.connect(inject("mongoUri"));
      try {
        const db = mongo.db(platform().databaseName);
        const events = db.collection<{ _id: string }>("events");
        // What a replica that stopped right after taking the first share leaves behind.
        await events.insertOne(
          event(`co_funding-${projectId}`, 1, "co_funding.planned", {
            projectId,
            resolutionId,
            purpose: "路灯",
            shares,
            by: "cs-nancun",
            at: at.toISOString(),
          }) as never,
        );
        await events.insertOne(shareAllocation(takenShare, 3) as never);
        expect((await api.get(`/api/v1/funds/${taken}`)).body.balanceFen).toBe(yuan(600));
        // A share of a project not (yet) funded pays nothing out: it may still be rolled back.
        const early = await api.post(
          `/api/v1/funds/${taken}/allocations/${takenShare.shareId}/disbursements`,
          { amountFen: yuan(100), note: "预付" },
          staff,
        );
        expect(early.status).toBe(400);
        expect(early.body.reason).toBe("CO_FUNDING_NOT_FUNDED");

        platform().clock.now = new Date(at.getTime() + 3 * 60_000);
        const restored = await eventually(
          async () => (await api.get(`/api/v1/funds/${taken}`)).body,
          (body) => body.balanceFen === yuan(1_000),
        );
        expect(restored).toMatchObject({ balanceFen: yuan(1_000), allocatedFen: 0, version: 4 });
        const ledger = (await api.get(`/api/v1/funds/${taken}/ledger`)).body.entries;
        expect(ledger.map((entry: { kind: string }) => entry.kind)).toEqual([
          "credit",
          "allocation",
          "reversal",
        ]);
        expect(ledger[2]).toMatchObject({
          entryId: takenShare.reversalId,
          reference: takenShare.shareId,
          projectId,
        });
        expect(ledger[2].note).toContain("cut off");

        const plan = await eventually(
          () =>
            db
              .collection<{ _id: string; state: { status: string } }>("co_fundings")
              .findOne({ _id: projectId }),
          (snapshot) => snapshot?.state.status === "rolled_back",
        );
        expect(plan?.state.status).toBe("rolled_back");
        const withheld = await events.findOne({ _id: untouchedShare.shareId });
        expect(withheld).toMatchObject({
          stream: `co_funding-${projectId}`,
          type: "co_funding.share_withheld",
        });
        // The crashed replica, back, would append the second share now: its id is taken.
        await expect(events.insertOne(shareAllocation(untouchedShare, 3) as never)).rejects.toMatchObject({
          code: 11000,
        });
        expect((await api.get(`/api/v1/funds/${untouched}`)).body).toMatchObject({
          balanceFen: yuan(1_000),
          version: 2,
        });
      } finally {
        await mongo.close();
      }
    });

    it("opens funds only in a community or compound that grid-cases defined", async () => {
      const unknown = await api.post(
        "/api/v1/funds",
        { areaId: "440402001066", name: "幸福资金", kind: "community_happiness_fund" },
        staff,
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0]).toEqual({
        field: "areaId",
        detail: "440402001066 is not a known community or compound of grid-cases",
      });
      const street = bearer("ss-gongbei", { roles: ["street_staff"], areas: ["440402001"] });
      const aStreet = await api.post(
        "/api/v1/funds",
        { areaId: "440402001", name: "街道资金", kind: "other" },
        street,
      );
      expect(aStreet.status).toBe(400);
      expect(aStreet.body.errors[0].detail).toContain("is a street");
    });

    it("allocates only against an adopted resolution and never beyond the balance", async () => {
      const happiness = await fund(nancun, "community_happiness_fund", 1_000);
      const noResolution = await api.post(
        `/api/v1/funds/${happiness}/allocations`,
        { amountFen: yuan(100), purpose: "茶话会", resolutionId: "not-a-vote" },
        staff,
      );
      expect(noResolution.body.reason).toBe("RESOLUTION_NOT_ADOPTED");
      const resolutionId = await adoptedResolution("重阳节活动");
      const beyond = await api.post(
        `/api/v1/funds/${happiness}/allocations`,
        { amountFen: yuan(1_000) + 1, purpose: "重阳节活动", resolutionId },
        staff,
      );
      expect(beyond.status).toBe(400);
      expect(beyond.body.reason).toBe("INSUFFICIENT_BALANCE");
      const fractional = await api.post(
        `/api/v1/funds/${happiness}/allocations`,
        { amountFen: 10.5, purpose: "x", resolutionId },
        staff,
      );
      expect(fractional.status).toBe(400);
      const negative = await api.post(
        `/api/v1/funds/${happiness}/credits`,
        { amountFen: -100, note: "x" },
        staff,
      );
      expect(negative.status).toBe(400);
      const byResident = await api.post(
        `/api/v1/funds/${happiness}/credits`,
        { amountFen: 100, note: "x" },
        resident,
      );
      expect(byResident.status).toBe(403);
      expect((await api.get(`/api/v1/funds/${happiness}`)).body).toMatchObject({
        balanceFen: yuan(1_000),
        version: 2,
      });
    });

    it("allocates nothing against an adopted vote whose resolution was not recorded, alone or co-funded", async () => {
      const voteId = await adoptedVote("楼道扶手");
      const happiness = await fund(nancun, "community_happiness_fund", 1_000);
      const publicFund = await fund(compound, "compound_public_fund", 1_000);
      const alone = await api.post(
        `/api/v1/funds/${happiness}/allocations`,
        { amountFen: yuan(100), purpose: "扶手", resolutionId: voteId },
        staff,
      );
      expect(alone.status).toBe(400);
      expect(alone.body.reason).toBe("RESOLUTION_NOT_ADOPTED");
      expect(alone.body.detail).toContain("not a recorded resolution");
      const coFunded = await coFund(voteId, "扶手", [
        [publicFund, 100],
        [happiness, 100],
      ]);
      expect(coFunded.status).toBe(400);
      expect(coFunded.body.reason).toBe("RESOLUTION_NOT_ADOPTED");
      for (const fundId of [happiness, publicFund]) {
        expect((await api.get(`/api/v1/funds/${fundId}`)).body).toMatchObject({
          balanceFen: yuan(1_000),
          allocatedFen: 0,
          version: 2,
        });
        expect((await api.get(`/api/v1/funds/${fundId}/ledger`)).body.entries).toHaveLength(1);
      }
      await api.post(
        `/api/v1/votes/${voteId}/resolution`,
        { title: "楼道扶手", text: "加装扶手", reviewDate: "2099-12-31" },
        staff,
      );
      const allocated = await api.post(
        `/api/v1/funds/${happiness}/allocations`,
        { amountFen: yuan(100), purpose: "扶手", resolutionId: voteId },
        staff,
      );
      expect(allocated.status, JSON.stringify(allocated.body)).toBe(200);
      expect(allocated.body.entry).toMatchObject({ kind: "allocation", reference: voteId });
    });

    it("decides on what the store holds when another replica moved the fund meanwhile", async () => {
      const resolutionId = await adoptedResolution("楼道照明");
      const fundId = await fund(nancun, "community_happiness_fund", 100);
      const first = await api.post(
        `/api/v1/funds/${fundId}/allocations`,
        { amountFen: yuan(60), purpose: "灯具", resolutionId },
        staff,
      );
      expect(first.body.fund).toMatchObject({ balanceFen: yuan(40), version: 3 });
      // Another replica credits 500 yuan: its event is in the store, not in this replica's memory.
      const mongo = await MongoClient.connect(inject("mongoUri"));
      try {
        await mongo
          .db(platform().databaseName)
          .collection<{ _id: string }>("events")
          .insertOne({
            _id: randomUUID(),
            stream: `fund-${fundId}`,
            version: 4,
            type: "fund.credited",
            subject: `${platform().namespace}.deliberation.fund.credited`,
            source: "other-replica",
            data: {
              fundId,
              entryId: randomUUID(),
              kind: "credit",
              amountFen: yuan(500),
              note: "另一副本",
              reference: "",
              projectId: "",
              by: "cs-nancun",
              at: new Date().toISOString(),
            },
            time: new Date(),
          } as never);
      } finally {
        await mongo.close();
      }
      const second = await api.post(
        `/api/v1/funds/${fundId}/allocations`,
        { amountFen: yuan(300), purpose: "线路", resolutionId },
        staff,
      );
      expect(second.status, JSON.stringify(second.body)).toBe(200);
      expect(second.body.fund).toMatchObject({ balanceFen: yuan(240), version: 5 });
      const beyond = await api.post(
        `/api/v1/funds/${fundId}/allocations`,
        { amountFen: yuan(241), purpose: "超额", resolutionId },
        staff,
      );
      expect(beyond.body.reason).toBe("INSUFFICIENT_BALANCE");
      expect((await api.get(`/api/v1/funds/${fundId}`)).body).toMatchObject({
        balanceFen: yuan(240),
        version: 5,
      });
    });

    it("keeps the ledger as entries of their own, listed a page at a time, oldest first", async () => {
      const fundId = await fund(nancun, "community_happiness_fund", 1);
      for (let index = 2; index <= 7; index++) {
        const credited = await api.post(
          `/api/v1/funds/${fundId}/credits`,
          { amountFen: yuan(index), note: `捐赠${index}` },
          staff,
        );
        expect(credited.body.entry).toMatchObject({ kind: "credit", amountFen: yuan(index) });
        expect(credited.body.fund.ledger).toEqual([]);
      }
      const pages: number[][] = [];
      let pageToken = "";
      do {
        const page = await api.get(`/api/v1/funds/${fundId}/ledger?pageSize=3&pageToken=${pageToken}`);
        expect(page.status).toBe(200);
        pages.push(page.body.entries.map((entry: { amountFen: number }) => entry.amountFen / 100));
        pageToken = page.body.nextPageToken ?? "";
      } while (pageToken !== "");
      expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
      expect((await api.get(`/api/v1/funds/${fundId}/ledger?pageToken=abc`)).status).toBe(400);
      expect((await api.get(`/api/v1/funds/${fundId}/ledger?pageSize=201`)).status).toBe(400);
      expect((await api.get("/api/v1/funds/no-such-fund/ledger")).status).toBe(404);
      expect((await api.get(`/api/v1/funds/${fundId}`)).body).toMatchObject({
        balanceFen: yuan(28),
        version: 8,
      });
    });

    it("never goes negative under 30 concurrent allocations: exactly as many succeed as the balance covers", async () => {
      const resolutionId = await adoptedResolution("社区微更新");
      const happiness = await fund(nancun, "community_happiness_fund", 20_000);
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          api.post(
            `/api/v1/funds/${happiness}/allocations`,
            { amountFen: yuan(1_000), purpose: `微更新项目${index}`, resolutionId },
            staff,
          ),
        ),
      );
      expect(raceOutcome(answers, "INSUFFICIENT_BALANCE")).toEqual({ won: 20, lost: 10, other: [] });
      const after = (await api.get(`/api/v1/funds/${happiness}`)).body;
      expect(after).toMatchObject({ balanceFen: 0, allocatedFen: yuan(20_000) });
      const entries: { kind: string; amountFen: number }[] = [];
      let pageToken = "";
      do {
        const page = (await api.get(`/api/v1/funds/${happiness}/ledger?pageSize=7&pageToken=${pageToken}`))
          .body;
        entries.push(...page.entries);
        pageToken = page.nextPageToken ?? "";
      } while (pageToken !== "");
      expect(entries).toHaveLength(21);
      let running = 0;
      for (const entry of entries) {
        running +=
          entry.kind === "credit" || entry.kind === "reversal"
            ? entry.amountFen
            : entry.kind === "allocation"
              ? -entry.amountFen
              : 0;
        expect(running).toBeGreaterThanOrEqual(0);
      }
    });
  });
});
