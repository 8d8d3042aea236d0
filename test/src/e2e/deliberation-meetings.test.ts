import { beforeAll, describe, expect, it } from "vitest";
import { constituteCouncil } from "../support/councils.js";
import { startDeliberationTestPlatform } from "../support/deliberation-platform.js";
import { httpClient } from "../support/http-client.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { bearer } from "../support/tokens.js";

const nancun = "440402001002";

describe("meetings under simplified Robert's Rules through the gateway", () => {
  const platform = platformForTheseTests(startDeliberationTestPlatform);
  const api = httpClient(() => platform().gatewayUrl);
  const staff = bearer("cs-nancun", { roles: ["community_staff"], areas: [nancun] });
  const members = ["chair", "lin", "chen", "wu", "zhou"];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    for (const member of [...members, "outsider"])
      tokens[member] = bearer(member, { roles: ["representative"] });
  });

  async function meeting(options: Record<string, unknown> = {}) {
    const councilId = await constituteCouncil(
      api,
      staff,
      { kind: "resident_deliberation_council", areaId: nancun, name: "南村居民议事会", seatCount: 5 },
      members.map((member) => ({
        memberId: member,
        name: member,
        role: member === "chair" ? "chair" : "representative",
      })),
    );
    const convened = await api.post(
      `/api/v1/councils/${councilId}/meetings`,
      { title: "12月议事会", chairId: "chair", ...options },
      staff,
    );
    expect(convened.status, JSON.stringify(convened.body)).toBe(201);
    return convened.body.meetingId as string;
  }
  const as = (who: string) => tokens[who] as string;

  it("checks the quorum, takes a seconded motion with an amendment through debate and votes, and writes the minutes", async () => {
    const meetingId = await meeting();
    const path = `/api/v1/meetings/${meetingId}`;
    await api.post(`${path}/attendance`, { memberId: "chair" }, as("chair"));
    await api.post(`${path}/attendance`, { memberId: "lin" }, as("chair"));
    const early = await api.post(`${path}/open`, {}, as("chair"));
    expect(early.status).toBe(400);
    expect(early.body.reason).toBe("NO_QUORUM");
    await api.post(`${path}/attendance`, { memberId: "chen" }, as("chair"));
    const opened = await api.post(`${path}/open`, {}, as("chair"));
    expect(opened.body).toMatchObject({
      status: "in_session",
      quorum: 3,
      attendees: ["chair", "lin", "chen"],
    });

    const moved = await api.post(`${path}/motions`, { text: "在3栋楼下设置非机动车停放区" }, as("lin"));
    const main = moved.body.motions[0];
    /** `speaker` speaks to the main motion for `seconds`, given the floor by `givenBy`. */
    const speak = (speaker: string, seconds: number, givenBy: string) =>
      api.post(`${path}/motions/${main.motionId}/speeches`, { memberId: speaker, seconds }, as(givenBy));
    expect(main).toMatchObject({ status: "awaiting_second", movedBy: "lin" });
    const unseconded = await speak("lin", 60, "chair");
    expect(unseconded.body.reason).toBe("MOTION_NOT_SECONDED");
    const unsecondedVote = await api.post(
      `${path}/motions/${main.motionId}/vote`,
      { yes: 3, no: 0, abstain: 0 },
      as("chair"),
    );
    expect(unsecondedVote.body.reason).toBe("MOTION_NOT_SECONDED");
    expect((await api.post(`${path}/motions/${main.motionId}/second`, {}, as("lin"))).body.reason).toBe(
      "SELF_SECOND",
    );
    expect((await api.post(`${path}/motions/${main.motionId}/second`, {}, as("outsider"))).body.reason).toBe(
      "NOT_PRESENT",
    );
    const seconded = await api.post(`${path}/motions/${main.motionId}/second`, {}, as("chen"));
    expect(seconded.body.motions[0]).toMatchObject({ status: "debate", secondedBy: "chen" });

    expect((await speak("lin", 110, "chair")).status).toBe(200);
    const tooLong = await speak("chen", 121, "chair");
    expect(tooLong.body.reason).toBe("SPEECH_TOO_LONG");
    expect((await speak("lin", 90, "chair")).status).toBe(200);
    const third = await speak("lin", 30, "chair");
    expect(third.body.reason).toBe("SPEAKING_LIMIT_REACHED");
    const notChair = await speak("chen", 30, "chen");
    expect(notChair.body.reason).toBe("NOT_THE_CHAIR");

    const amendment = (
      await api.post(`${path}/motions`, { text: "并加装雨棚", amends: main.motionId }, as("chen"))
    ).body.motions[1];
    await api.post(`${path}/motions/${amendment.motionId}/second`, {}, as("chair"));
    const mainFirst = await api.post(
      `${path}/motions/${main.motionId}/vote`,
      { yes: 3, no: 0, abstain: 0 },
      as("chair"),
    );
    expect(mainFirst.body.reason).toBe("AMENDMENT_PENDING");
    const tooManyHands = await api.post(
      `${path}/motions/${amendment.motionId}/vote`,
      { yes: 3, no: 1, abstain: 0 },
      as("chair"),
    );
    expect(tooManyHands.status).toBe(400);
    await api.post(`${path}/motions/${amendment.motionId}/vote`, { yes: 1, no: 2, abstain: 0 }, as("chair"));
    const decided = await api.post(
      `${path}/motions/${main.motionId}/vote`,
      { yes: 2, no: 0, abstain: 1 },
      as("chair"),
    );
    expect(decided.body.motions.map((motion: { status: string }) => motion.status)).toEqual([
      "adopted",
      "rejected",
    ]);
    const rejectedAmendment = await api.post(
      `${path}/motions/${amendment.motionId}/resolution`,
      { title: "雨棚", text: "加装雨棚", reviewDate: "2027-06-30" },
      staff,
    );
    expect(rejectedAmendment.body.reason).toBe("MOTION_NOT_ADOPTED");
    const resolution = await api.post(
      `${path}/motions/${main.motionId}/resolution`,
      { title: "非机动车停放区", text: "在3栋楼下设置非机动车停放区", reviewDate: "2027-06-30" },
      staff,
    );
    expect(resolution.status, JSON.stringify(resolution.body)).toBe(201);
    expect(resolution.body).toMatchObject({
      resolutionId: main.motionId,
      meetingId,
      motionId: main.motionId,
      voteId: "",
    });
    const disclosure = (await api.get(`/api/v1/resolutions/${main.motionId}/disclosure`)).body;
    expect(disclosure.voteResult).toMatchObject({ adopted: true, votesCast: 3, closedBy: "chair" });
    const fund = await api.post(
      "/api/v1/funds",
      { areaId: nancun, name: "幸福资金", kind: "community_happiness_fund" },
      staff,
    );
    await api.post(
      `/api/v1/funds/${fund.body.fundId}/credits`,
      { amountFen: 500_000, note: "街道下拨" },
      staff,
    );
    const allocated = await api.post(
      `/api/v1/funds/${fund.body.fundId}/allocations`,
      { amountFen: 300_000, purpose: "停放区划线", resolutionId: main.motionId },
      staff,
    );
    expect(allocated.body.fund).toMatchObject({ balanceFen: 200_000 });
    const adjourned = await api.post(`${path}/adjourn`, {}, as("chair"));
    expect(adjourned.body.status).toBe("adjourned");

    const minutes = (await api.get(path)).body.minutes as string[];
    expect(minutes).toHaveLength(14);
    expect(minutes[0]).toContain(
      "12月议事会: convened by cs-nancun, chair chair, 5 members; at most 2 speeches of 120 s",
    );
    expect(minutes).toContainEqual(expect.stringContaining("opened with 3 present (quorum 3)"));
    expect(minutes).toContainEqual(expect.stringContaining('lin moved: "在3栋楼下设置非机动车停放区"'));
    expect(minutes).toContainEqual(expect.stringContaining("lin spoke 110 s"));
    expect(minutes).toContainEqual(
      expect.stringContaining('"并加装雨棚" rejected: 1 for, 2 against, 0 abstaining'),
    );
    expect(minutes.at(-1)).toContain("adjourned by chair");
  });

  it("lets a meeting configure its limits and drop the second; refuses speeches by the absent", async () => {
    const meetingId = await meeting({ maxSpeeches: 1, maxSpeechSeconds: 180, noSecondRequired: true });
    const path = `/api/v1/meetings/${meetingId}`;
    for (const member of ["chair", "lin", "chen"])
      await api.post(`${path}/attendance`, { memberId: member }, staff);
    expect((await api.post(`${path}/attendance`, { memberId: "outsider" }, staff)).body.reason).toBe(
      "NOT_A_MEMBER",
    );
    await api.post(`${path}/open`, {}, staff);
    const motion = (await api.post(`${path}/motions`, { text: "每月第一个周六开放议事厅" }, as("chen"))).body
      .motions[0];
    expect(motion.status).toBe("debate");
    expect(
      (
        await api.post(
          `${path}/motions/${motion.motionId}/speeches`,
          { memberId: "chen", seconds: 170 },
          staff,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await api.post(
          `${path}/motions/${motion.motionId}/speeches`,
          { memberId: "chen", seconds: 10 },
          staff,
        )
      ).body.reason,
    ).toBe("SPEAKING_LIMIT_REACHED");
    expect(
      (await api.post(`${path}/motions/${motion.motionId}/speeches`, { memberId: "wu", seconds: 10 }, staff))
        .body.reason,
    ).toBe("NOT_PRESENT");
    const second = await api.post(`${path}/motions`, { text: "另一个主动议" }, as("lin"));
    expect(second.body.reason).toBe("MOTION_PENDING");
    const meetingNow = (await api.get(path)).body;
    expect(meetingNow.motions).toHaveLength(1);
    expect(meetingNow.motions[0].speeches).toHaveLength(1);
  });
});
