import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { describe, expect, inject, it } from "vitest";
import { constituteCouncil } from "../support/councils.js";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { ownersAssembly as ownersAssemblyOf } from "../support/owners-assembly.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";
const compound = "440402001002003";

describe("votes through the gateway", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  /** An hour after the service's clock, which a test may have moved forward. */
  const inAnHour = () => new Date(platform().clock.now.getTime() + 3_600_000).toISOString();
  const api = httpClient(() => platform().gatewayUrl);
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  const tokenOf = (subject: string) => bearer(subject, { roles: ["resident"] });

  const ownersAssembly = (areas: number[]) => ownersAssemblyOf(api, staff, compound, areas);

  const residentCouncil = { kind: "resident_deliberation_council", areaId: nancun, name: "南村居民议事会" };
  const committeeOf = (size: number) =>
    constituteCouncil(
      api,
      staff,
      { ...residentCouncil, seatCount: size },
      Array.from({ length: size }, (_, index) => ({
        memberId: `rep-${index}`,
        name: `代表${index}`,
        role: "representative",
      })),
    );

  /** Opens the plurality e-vote electing `seats` representatives of `building`, one elector a household. */
  const openBuildingElection = (
    councilId: string,
    building: string,
    seats: number,
    candidates: [candidateId: string, name: string][],
    households: number,
  ) =>
    openVote(councilId, {
      title: `${building}栋居民代表选举`,
      method: "e_vote",
      rule: "plurality",
      building,
      seats,
      candidates: candidates.map(([candidateId, name]) => ({ candidateId, name })),
      electors: Array.from({ length: households }, (_, index) => ({
        voterId: `hh${building}-${index}`,
        unitId: `${building}-${101 + index}`,
      })),
    });

  const openVote = (councilId: string, body: Record<string, unknown>) =>
    api.post(`/api/v1/councils/${councilId}/votes`, { closesAt: inAnHour(), ...body }, staff);
  const cast = async (voteId: string, voter: string, choices: string[], unitId?: string) =>
    api.post(`/api/v1/votes/${voteId}/ballots`, { choices, ...(unitId ? { unitId } : {}) }, tokenOf(voter));

  it("an owners' e-vote passes an ordinary matter by heads and floor area (Civil Code art. 278), and publishes the result", async () => {
    // Six units, 600 m² in all; five take part (500 m², over 2/3 of both).
    const councilId = await ownersAssembly([10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    const opened = await openVote(councilId, {
      title: "更换小区监控设备",
      method: "e_vote",
      rule: "owners_ordinary",
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({
      status: "open",
      electorCount: 6,
      electorateFloorAreaCentiM2: 60_000,
    });
    const voteId = opened.body.voteId as string;
    const choices = ["yes", "yes", "yes", "no", "abstain"];
    for (const [index, choice] of choices.entries()) {
      const ballot = await cast(voteId, `owner-${index}`, [choice]);
      expect(ballot.status, JSON.stringify(ballot.body)).toBe(201);
      expect(ballot.body).toMatchObject({ position: index + 1, unitId: `1-${index}`, choices: [choice] });
      expect(ballot.body.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const closed = await api.post(`/api/v1/votes/${voteId}/close`, {}, staff);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe("closed");
    expect(closed.body.result).toMatchObject({
      adopted: true,
      votesCast: 5,
      participatingFloorAreaCentiM2: 50_000,
      options: [
        { option: "yes", votes: 3, floorAreaCentiM2: 30_000 },
        { option: "no", votes: 1, floorAreaCentiM2: 10_000 },
        { option: "abstain", votes: 1, floorAreaCentiM2: 10_000 },
      ],
    });
    const ballots = await api.get(`/api/v1/votes/${voteId}/ballots`);
    expect(ballots.body.ballots.map((ballot: { choices: string[] }) => ballot.choices[0])).toEqual(choices);
    const verification = await api.get(`/api/v1/votes/${voteId}/verification`);
    expect(verification.body).toMatchObject({
      intact: true,
      ballotCount: 5,
      tallyMatches: true,
      firstBrokenPosition: 0,
    });
    expect(verification.body.recomputedHead).toBe(closed.body.result.chainHead);
  });

  it("fails an owners' major matter without three quarters, and an ordinary one without 2/3 participation", async () => {
    const councilId = await ownersAssembly([20_000, 8_000, 8_000, 8_000, 8_000, 8_000]);
    const major = (
      await openVote(councilId, { title: "使用专项维修资金", method: "e_vote", rule: "owners_major" })
    ).body;
    for (const [index, choice] of ["no", "yes", "yes", "yes", "yes"].entries())
      await cast(major.voteId, `owner-${index}`, [choice]);
    const majorResult = (await api.post(`/api/v1/votes/${major.voteId}/close`, {}, staff)).body.result;
    // 4 of 5 participating owners (80%) but only 32,000 of 52,000 participating area (61.5%).
    expect(majorResult).toMatchObject({
      adopted: false,
      votesCast: 5,
      participatingFloorAreaCentiM2: 52_000,
    });
    expect(majorResult.reason).toContain("at least three quarters of both is needed");
    const thin = (
      await openVote(councilId, { title: "调整停车收费", method: "e_vote", rule: "owners_ordinary" })
    ).body;
    for (const [index, choice] of ["yes", "yes", "yes"].entries())
      await cast(thin.voteId, `owner-${index}`, [choice]);
    const thinResult = (await api.post(`/api/v1/votes/${thin.voteId}/close`, {}, staff)).body.result;
    expect(thinResult.adopted).toBe(false);
    expect(thinResult.reason).toContain("participation below two thirds");
  });

  it("takes exactly one of 30 concurrent ballots for one unit, and all of 30 units voting at once", async () => {
    const councilId = await committeeOf(30);
    const vote = (
      await openVote(councilId, { title: "设立楼道议事角", method: "e_vote", rule: "simple_majority" })
    ).body;
    const sameUnit = await Promise.all(
      Array.from({ length: 30 }, (_, index) => cast(vote.voteId, "rep-0", [index % 2 ? "yes" : "no"])),
    );
    expect(sameUnit.filter((answer) => answer.status === 201)).toHaveLength(1);
    const refused = sameUnit.filter((answer) => answer.status !== 201);
    expect(refused).toHaveLength(29);
    expect(new Set(refused.map((answer) => `${answer.status} ${answer.body.reason}`))).toEqual(
      new Set(["409 ALREADY_VOTED"]),
    );
    const others = await Promise.all(
      Array.from({ length: 29 }, (_, index) => cast(vote.voteId, `rep-${index + 1}`, ["yes"])),
    );
    expect(others.map((answer) => answer.status)).toEqual(Array(29).fill(201));
    const closed = (await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff)).body;
    expect(closed.ballotCount).toBe(30);
    expect(closed.result.votesCast).toBe(30);
    const verification = (await api.get(`/api/v1/votes/${vote.voteId}/verification`)).body;
    expect(verification).toMatchObject({ intact: true, ballotCount: 30 });
  });

  it("recovers a ballot cut off between its claim and the box: the retry counts once, never twice", async () => {
    const councilId = await committeeOf(3);
    const vote = (
      await openVote(councilId, { title: "更换单元门禁", method: "e_vote", rule: "simple_majority" })
    ).body;
    // What a crash right after the claim insert leaves: the unit's claim, no ballot in the box.
    const mongo = await MongoClient.connect(inject("mongoUri"));
    try {
      await mongo
        .db(platform().databaseName)
        .collection<{ _id: string; voteId: string; ballotId: string; at: Date }>("ballot_claims")
        .insertOne({
          _id: `${vote.voteId}:rep-0`,
          voteId: vote.voteId,
          ballotId: "cut-off-ballot",
          at: new Date(),
        });
    } finally {
      await mongo.close();
    }
    expect((await api.get(`/api/v1/votes/${vote.voteId}`)).body.ballotCount).toBe(0);
    const retries = await Promise.all(Array.from({ length: 10 }, () => cast(vote.voteId, "rep-0", ["yes"])));
    const stored = retries.filter((answer) => answer.status === 201);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.body).toMatchObject({ ballotId: "cut-off-ballot", unitId: "rep-0", choices: ["yes"] });
    expect(
      new Set(retries.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.body.reason}`)),
    ).toEqual(new Set(["409 ALREADY_VOTED"]));
    expect((await cast(vote.voteId, "rep-0", ["no"])).status).toBe(409);
    expect((await cast(vote.voteId, "rep-1", ["no"])).status).toBe(201);
    const closed = (await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff)).body;
    expect(closed.ballotCount).toBe(2);
    expect(closed.result.options).toEqual([
      { option: "yes", votes: 1, floorAreaCentiM2: 0 },
      { option: "no", votes: 1, floorAreaCentiM2: 0 },
      { option: "abstain", votes: 0, floorAreaCentiM2: 0 },
    ]);
    const verification = (await api.get(`/api/v1/votes/${vote.voteId}/verification`)).body;
    expect(verification).toMatchObject({ intact: true, ballotCount: 2, tallyMatches: true });
  });

  it("refuses a ballot after a seal another replica wrote, though this replica remembered the box open", async () => {
    const councilId = await committeeOf(3);
    const vote = (await openVote(councilId, { title: "楼道粉刷", method: "e_vote", rule: "simple_majority" }))
      .body;
    expect((await cast(vote.voteId, "rep-0", ["yes"])).status).toBe(201);
    const mongo = await MongoClient.connect(inject("mongoUri"));
    try {
      const events = mongo.db(platform().databaseName).collection<{ _id: string }>("events");
      const last = await events.findOne({ stream: `box-${vote.voteId}`, version: 1 } as never);
      await events.insertOne({
        _id: `seal-${vote.voteId}`,
        stream: `box-${vote.voteId}`,
        version: 2,
        type: "ballot_box.sealed",
        subject: `${platform().namespace}.deliberation.ballot_box.sealed`,
        source: "other-replica",
        data: {
          voteId: vote.voteId,
          ballotCount: 1,
          head: (last as unknown as { data: { hash: string } }).data.hash,
          by: "cs-nancun",
          at: new Date().toISOString(),
        },
        time: new Date(),
      } as never);
    } finally {
      await mongo.close();
    }
    const late = await cast(vote.voteId, "rep-1", ["no"]);
    expect(late.status).toBe(400);
    expect(late.body.reason).toBe("VOTE_CLOSED");
    expect((await api.get(`/api/v1/votes/${vote.voteId}`)).body.ballotCount).toBe(1);
  });

  it("refuses non-members, votes after the close, bad choices and a second close, changing nothing", async () => {
    const councilId = await committeeOf(3);
    const vote = (
      await openVote(councilId, { title: "增设充电桩", method: "secret_ballot", rule: "absolute_majority" })
    ).body;
    const outsider = await cast(vote.voteId, "someone-else", ["yes"]);
    expect(outsider.status).toBe(403);
    expect(outsider.body.reason).toBe("NOT_AN_ELECTOR");
    const badChoice = await cast(vote.voteId, "rep-0", ["maybe"]);
    expect(badChoice.status).toBe(400);
    expect(badChoice.body.errors[0].field).toBe("choices");
    const secret = await cast(vote.voteId, "rep-0", ["yes"]);
    expect(secret.status).toBe(201);
    expect(secret.body.unitId).toBe("");
    await cast(vote.voteId, "rep-1", ["yes"]);
    const closed = (await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff)).body;
    expect(closed.result).toMatchObject({ adopted: true, votesCast: 2 });
    const late = await cast(vote.voteId, "rep-2", ["no"]);
    expect(late.status).toBe(400);
    expect(late.body.reason).toBe("VOTE_CLOSED");
    const again = await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff);
    expect(again.body.reason).toBe("VOTE_CLOSED");
    const after = (await api.get(`/api/v1/votes/${vote.voteId}`)).body;
    expect(after.ballotCount).toBe(2);
    expect(after.result.votesCast).toBe(2);
    expect((await cast(vote.voteId, "rep-2", ["no"])).status).toBe(400);
    const resident = tokenOf("rep-0");
    expect((await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, resident)).status).toBe(403);
  });

  it("refuses ballots after closesAt though nobody closed the vote, storing no ballot and no claim", async () => {
    const councilId = await committeeOf(3);
    const vote = (
      await openVote(councilId, { title: "夜间噪音公约", method: "e_vote", rule: "simple_majority" })
    ).body;
    expect((await cast(vote.voteId, "rep-0", ["yes"])).status).toBe(201);
    platform().clock.now = new Date(new Date(vote.closesAt).getTime() + 1_000);
    const late = await cast(vote.voteId, "rep-1", ["no"]);
    expect(late.status).toBe(400);
    expect(late.body.reason).toBe("VOTE_CLOSED");
    expect(late.body.detail).toContain("closed");
    expect((await api.get(`/api/v1/votes/${vote.voteId}`)).body).toMatchObject({
      status: "open",
      ballotCount: 1,
    });
    const mongo = await MongoClient.connect(inject("mongoUri"));
    try {
      const claims = mongo.db(platform().databaseName).collection("ballot_claims");
      expect(await claims.countDocuments({ voteId: vote.voteId })).toBe(1);
    } finally {
      await mongo.close();
    }
    const closed = (await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff)).body;
    expect(closed.result).toMatchObject({ votesCast: 1, adopted: true });
  });

  it("stores one of 10 concurrent ballots of one household in an election, and the stored ballots recount to the published result", async () => {
    const councilId = await committeeOf(3);
    const election = await openBuildingElection(
      councilId,
      "9",
      1,
      [
        ["sun", "孙阿姨"],
        ["zhou", "周师傅"],
      ],
      4,
    );
    expect(election.status, JSON.stringify(election.body)).toBe(201);
    const voteId = election.body.voteId as string;
    const household = await Promise.all(
      Array.from({ length: 10 }, (_, index) => cast(voteId, "hh9-0", [index % 2 ? "sun" : "zhou"])),
    );
    expect(household.filter((answer) => answer.status === 201)).toHaveLength(1);
    const refused = household.filter((answer) => answer.status !== 201);
    expect(new Set(refused.map((answer) => `${answer.status} ${answer.body.reason}`))).toEqual(
      new Set(["409 ALREADY_VOTED"]),
    );
    expect(refused).toHaveLength(9);
    for (const [index, choice] of ["sun", "sun", "sun"].entries())
      expect((await cast(voteId, `hh9-${index + 1}`, [choice])).status).toBe(201);
    const closed = (await api.post(`/api/v1/votes/${voteId}/close`, {}, staff)).body;
    expect(closed.ballotCount).toBe(4);
    const stored = (await api.get(`/api/v1/votes/${voteId}/ballots`)).body.ballots as {
      unitId: string;
      choices: string[];
    }[];
    expect(stored.filter((ballot) => ballot.unitId === "9-101")).toHaveLength(1);
    const recount = new Map<string, number>([
      ["sun", 0],
      ["zhou", 0],
    ]);
    for (const ballot of stored)
      for (const choice of ballot.choices) recount.set(choice, (recount.get(choice) ?? 0) + 1);
    expect(
      closed.result.options.map((option: { option: string; votes: number }) => [option.option, option.votes]),
    ).toEqual([...recount.entries()]);
    expect(closed.result.elected).toEqual(["sun"]);
    expect((await api.get(`/api/v1/votes/${voteId}/verification`)).body).toMatchObject({
      intact: true,
      ballotCount: 4,
      tallyMatches: true,
    });
  });

  it("detects a ballot changed in the database after the close, and names it", async () => {
    const councilId = await committeeOf(4);
    const vote = (await openVote(councilId, { title: "楼顶绿化", method: "e_vote", rule: "simple_majority" }))
      .body;
    for (const [index, choice] of ["yes", "no", "no", "yes"].entries())
      await cast(vote.voteId, `rep-${index}`, [choice]);
    await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff);
    expect((await api.get(`/api/v1/votes/${vote.voteId}/verification`)).body.intact).toBe(true);
    const mongo = await MongoClient.connect(inject("mongoUri"));
    try {
      const events = mongo.db(platform().databaseName).collection("events");
      const changed = await events.updateOne(
        { stream: `box-${vote.voteId}`, version: 2 },
        { $set: { "data.choices": ["yes"] } },
      );
      expect(changed.modifiedCount).toBe(1);
    } finally {
      await mongo.close();
    }
    const verification = (await api.get(`/api/v1/votes/${vote.voteId}/verification`)).body;
    expect(verification).toMatchObject({ intact: false, firstBrokenPosition: 2, tallyMatches: false });
    expect(verification.recomputedHead).not.toBe(verification.sealedHead);
  });

  it("voids a vote at its close when a stored ballot was changed in the database, publishing why and no result", async () => {
    const councilId = await committeeOf(3);
    const vote = (
      await openVote(councilId, { title: "拆除违建花架", method: "e_vote", rule: "simple_majority" })
    ).body;
    for (const [index, choice] of ["no", "no", "yes"].entries())
      expect((await cast(vote.voteId, `rep-${index}`, [choice])).status).toBe(201);
    const mongo = await MongoClient.connect(inject("mongoUri"));
    const nats = await connect({ servers: inject("natsUrl") });
    try {
      const events = mongo.db(platform().databaseName).collection("events");
      const changed = await events.updateOne(
        { stream: `box-${vote.voteId}`, version: 1 },
        { $set: { "data.choices": ["yes"] } },
      );
      expect(changed.modifiedCount).toBe(1);
      const voidedOnNats = nats.subscribe(`${platform().namespace}.deliberation.vote.voided`, {
        max: 1,
        timeout: 10_000,
      });
      const closed = await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff);
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      expect(closed.body).toMatchObject({
        status: "void",
        voiding: { firstBrokenPosition: 1, ballotCount: 3, voidedBy: "cs-nancun" },
      });
      expect(closed.body).not.toHaveProperty("result");
      expect(closed.body.voiding.reason).toContain("ballot 1 does not follow");
      expect(closed.body.voiding.recomputedHead).not.toBe(closed.body.voiding.sealedHead);
      const published = [];
      for await (const message of voidedOnNats) published.push(JSON.parse(message.string()));
      expect(published[0]?.data).toMatchObject({ voteId: vote.voteId, firstBrokenPosition: 1 });
      expect(await events.countDocuments({ stream: `vote-${vote.voteId}`, type: "vote.closed" })).toBe(0);
    } finally {
      await nats.drain();
      await mongo.close();
    }
    expect((await api.get(`/api/v1/votes/${vote.voteId}`)).body.status).toBe("void");
    const verification = (await api.get(`/api/v1/votes/${vote.voteId}/verification`)).body;
    expect(verification).toMatchObject({ intact: false, firstBrokenPosition: 1, tallyMatches: false });
    expect(verification.problems[0]).toContain("voided at its close");
    expect((await api.get(`/api/v1/votes/${vote.voteId}/ballots`)).body.ballots).toHaveLength(3);
    const again = await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff);
    expect(again.body.reason).toBe("VOTE_CLOSED");
    const resolution = await api.post(
      `/api/v1/votes/${vote.voteId}/resolution`,
      { title: "t", text: "x", reviewDate: "2099-01-01" },
      staff,
    );
    expect(resolution.body.reason).toBe("VOTE_NOT_ADOPTED");
  });

  it("counts a show of hands from the entered tally", async () => {
    const councilId = await committeeOf(15);
    const vote = (
      await openVote(councilId, { title: "议事规则修订", method: "show_of_hands", rule: "two_thirds" })
    ).body;
    expect((await cast(vote.voteId, "rep-0", ["yes"])).body.reason).toBe("NOT_A_BALLOT_VOTE");
    const tooMany = await api.put(
      `/api/v1/votes/${vote.voteId}/show-of-hands`,
      { yes: 10, no: 5, abstain: 1 },
      staff,
    );
    expect(tooMany.status).toBe(400);
    await api.put(`/api/v1/votes/${vote.voteId}/show-of-hands`, { yes: 10, no: 5, abstain: 0 }, staff);
    const closed = (await api.post(`/api/v1/votes/${vote.voteId}/close`, {}, staff)).body;
    expect(closed.result).toMatchObject({ adopted: true, votesCast: 15 });
  });

  it("elects building representatives, one ballot per household", async () => {
    const councilId = await committeeOf(3);
    const households = Array.from({ length: 8 }, (_, index) => ({
      voterId: `hh-${index}`,
      unitId: `5-${101 + index}`,
    }));
    const election = await openVote(councilId, {
      title: "5栋居民代表选举",
      method: "secret_ballot",
      rule: "plurality",
      building: "5",
      seats: 2,
      candidates: [
        { candidateId: "wang", name: "王阿姨" },
        { candidateId: "li", name: "李师傅" },
        { candidateId: "zhao", name: "赵老师" },
      ],
      electors: households,
    });
    expect(election.status, JSON.stringify(election.body)).toBe(201);
    const picks = [
      ["wang", "li"],
      ["wang"],
      ["wang", "zhao"],
      ["li", "zhao"],
      ["li"],
      ["wang", "li"],
      ["zhao"],
    ];
    for (const [index, choice] of picks.entries()) {
      expect((await cast(election.body.voteId, `hh-${index}`, choice)).status).toBe(201);
    }
    expect((await cast(election.body.voteId, "hh-7", ["wang", "li", "zhao"])).status).toBe(400);
    expect((await cast(election.body.voteId, "hh-0", ["zhao"])).status).toBe(409);
    const result = (await api.post(`/api/v1/votes/${election.body.voteId}/close`, {}, staff)).body.result;
    expect(result.elected).toEqual(["wang", "li"]);
    expect(result.options).toEqual([
      { option: "wang", votes: 4, floorAreaCentiM2: 0 },
      { option: "li", votes: 4, floorAreaCentiM2: 0 },
      { option: "zhao", votes: 3, floorAreaCentiM2: 0 },
    ]);
  });

  it("seats the building's elected representatives on the council when the election closes, once", async () => {
    const councilId = await constituteCouncil(api, staff, { ...residentCouncil, seatCount: 5 }, [
      { memberId: "chair-1", name: "主任", role: "chair" },
    ]);
    const election = await openBuildingElection(
      councilId,
      "7",
      2,
      [
        ["chen", "陈阿姨"],
        ["huang", "黄师傅"],
        ["liu", "刘老师"],
      ],
      5,
    );
    expect(election.status, JSON.stringify(election.body)).toBe(201);
    const voteId = election.body.voteId as string;
    for (const [index, choice] of [
      ["chen", "huang"],
      ["chen"],
      ["huang", "liu"],
      ["chen", "huang"],
      ["liu"],
    ].entries())
      expect((await cast(voteId, `hh7-${index}`, choice)).status).toBe(201);
    const closed = (await api.post(`/api/v1/votes/${voteId}/close`, {}, staff)).body;
    expect(closed.result.elected).toEqual(["chen", "huang"]);
    const seatedCouncil = async () => (await api.get(`/api/v1/councils/${councilId}`)).body;
    const council = await (async () => {
      for (let attempt = 0; attempt < 150; attempt++) {
        const current = await seatedCouncil();
        if (current.members.length === 3) return current;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return seatedCouncil();
    })();
    expect(
      council.members.map(
        (member: { memberId: string; role: string; building: string; seatNumber: number }) => [
          member.memberId,
          member.role,
          member.building,
          member.seatNumber,
        ],
      ),
    ).toEqual([
      ["chair-1", "chair", "", 1],
      ["chen", "representative", "7", 2],
      ["huang", "representative", "7", 3],
    ]);
    // The close published again (a redelivery, a repeat): nobody is seated twice.
    const mongo = await MongoClient.connect(inject("mongoUri"));
    try {
      const db = mongo.db(platform().databaseName);
      const closedEvent = await db
        .collection<{ stream: string; type: string; subject: string; data: Record<string, unknown> }>(
          "events",
        )
        .findOne({ stream: `vote-${voteId}`, type: "vote.closed" });
      const nats = await connect({ servers: inject("natsUrl") });
      const repeat = {
        specversion: "1.0",
        id: `repeat-${voteId}`,
        source: "test",
        type: closedEvent?.subject,
        subject: `vote-${voteId}`,
        time: new Date().toISOString(),
        datacontenttype: "application/json",
        stream: `vote-${voteId}`,
        streamversion: 99,
        data: closedEvent?.data,
      };
      await jetstream(nats).publish(String(closedEvent?.subject), JSON.stringify(repeat), {
        msgID: repeat.id,
      });
      const marks = db.collection<{ _id: string }>("processed_events");
      for (let attempt = 0; attempt < 150; attempt++) {
        if ((await marks.countDocuments({ _id: `deliberation-deliberation-vote-closed:${repeat.id}` })) > 0)
          break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await marks.countDocuments({ _id: `deliberation-deliberation-vote-closed:${repeat.id}` })).toBe(
        1,
      );
      await nats.drain();
    } finally {
      await mongo.close();
    }
    const after = await seatedCouncil();
    expect(after.members).toHaveLength(3);
    expect(after.version).toBe(council.version);
  });

  it("refuses to open a vote with bad input", async () => {
    const councilId = await committeeOf(3);
    const bad = await openVote(councilId, {
      title: "",
      method: "show_of_hands",
      rule: "owners_major",
      closesAt: "2020-01-01T00:00:00Z",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "closesAt",
      "electors",
      "method",
      "title",
    ]);
  });
});
