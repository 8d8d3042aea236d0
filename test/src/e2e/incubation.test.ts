import { withCreditCodeCheck } from "@civic/social-registry";
import { beforeAll, describe, expect, it } from "vitest";
import { httpClient } from "../support/http-client.js";
import { startTestPlatform } from "../support/platform.js";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { raceOutcome } from "../support/races.js";
import { bearer } from "../support/tokens.js";

/** A private non-enterprise unit running the incubator, and two young community organisations. */
const codes = {
  operator: withCreditCodeCheck("52440402MJL000016"),
  choir: withCreditCodeCheck("59440402MJL000024"),
  repairs: withCreditCodeCheck("59440402MJL000032"),
};

describe("incubation through the gateway", () => {
  const platform = platformForTheseTests((mongoUri, natsUrl) =>
    startTestPlatform(mongoUri, natsUrl, 5_000, undefined, { socialRegistry: true }),
  );
  const officer = bearer("civil-affairs-xz", { roles: ["civil_affairs"], areas: ["440402"] });
  const otherDistrict = bearer("civil-affairs-dm", { roles: ["civil_affairs"], areas: ["440403"] });
  const http = httpClient(() => platform().gatewayUrl);
  let incubatorId: string;
  let spring: string;
  let autumn: string;

  beforeAll(async () => {
    for (const [code, legalForm] of [
      [codes.operator, "private_non_enterprise_unit"],
      [codes.choir, "community_organisation"],
      [codes.repairs, "community_organisation"],
    ] as const) {
      const filed = await http.post(
        "/api/v1/organisations",
        {
          creditCode: code,
          name: `组织${code.slice(-4)}`,
          legalForm,
          category: "community_service",
          areaId: "440402001002",
          filedOn: "2026-01-05",
        },
        officer,
      );
      expect(filed.status).toBe(201);
    }
  });

  it("opens an incubator and its cohorts", async () => {
    const opened = await http.post(
      "/api/v1/incubators",
      { name: "香洲区社会组织孵化基地", areaId: "440402", operatorCreditCode: codes.operator },
      officer,
    );
    expect(opened.status).toBe(201);
    incubatorId = opened.body.incubatorId;
    const unknownOperator = await http.post(
      "/api/v1/incubators",
      { name: "另一基地", areaId: "440402", operatorCreditCode: withCreditCodeCheck("52440402MJL000040") },
      officer,
    );
    expect(unknownOperator.status).toBe(400);
    const cohort = (name: string, startsOn: string, endsOn: string) =>
      http.post(`/api/v1/incubators/${incubatorId}/cohorts`, { name, startsOn, endsOn }, officer);
    spring = (await cohort("2026年第一期", "2026-02-01", "2026-07-31")).body.cohortId;
    autumn = (await cohort("2026年第二期", "2026-08-01", "2027-01-31")).body.cohortId;
    const backwards = await cohort("倒序", "2026-08-01", "2026-07-01");
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ field: "endsOn", detail: "must not be before startsOn" }]);
    expect((await http.get(`/api/v1/incubators/${incubatorId}/cohorts`)).body.cohorts).toHaveLength(2);
    const elsewhere = await http.post(
      `/api/v1/incubators/${incubatorId}/cohorts`,
      { name: "越权", startsOn: "2026-01-01", endsOn: "2026-02-01" },
      otherDistrict,
    );
    expect(elsewhere.status).toBe(403);
    expect((await http.get(`/api/v1/incubators/${incubatorId}/cohorts`)).body.cohorts).toHaveLength(2);
  });

  it("lets an organisation into one cohort at a time, also when 10 entries race", async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        http.post(
          `/api/v1/incubation-cohorts/${index % 2 === 0 ? spring : autumn}/participants`,
          { organisationCreditCode: codes.choir, appliedOn: "2026-02-10" },
          officer,
        ),
      ),
    );
    expect(raceOutcome(answers, "ALREADY_IN_COHORT")).toEqual({ won: 1, lost: 9, other: [] });
    const incubation = await http.get(`/api/v1/incubations/${codes.choir}`);
    expect(incubation.body).toMatchObject({ stage: "applied", version: 1 });
    expect(incubation.body.enrolments).toHaveLength(1);
    const participants = [
      ...(await http.get(`/api/v1/incubation-cohorts/${spring}/participants`)).body.incubations,
      ...(await http.get(`/api/v1/incubation-cohorts/${autumn}/participants`)).body.incubations,
    ];
    expect(participants.map((participant: { creditCode: string }) => participant.creditCode)).toEqual([
      codes.choir,
    ]);
  });

  it("moves through the stages, records graduation, and refuses illegal transitions", async () => {
    const entered = await http.post(
      `/api/v1/incubation-cohorts/${spring}/participants`,
      { organisationCreditCode: codes.repairs, appliedOn: "2026-02-12" },
      officer,
    );
    expect(entered.status).toBe(201);
    const early = await http.post(
      `/api/v1/incubations/${codes.repairs}/stage-changes`,
      { action: "graduate", outcome: "registered", on: "2026-03-01" },
      officer,
    );
    expect(early.status).toBe(400);
    expect(early.body.detail).toBe("cannot graduate an incubation that is applied (only when incubating)");
    const badOutcome = await http.post(
      `/api/v1/incubations/${codes.repairs}/stage-changes`,
      { action: "graduate", outcome: "famous" },
      officer,
    );
    expect(badOutcome.status).toBe(400);
    expect((await http.get(`/api/v1/incubations/${codes.repairs}`)).body).toMatchObject({
      stage: "applied",
      version: 1,
    });

    const started = await http.post(
      `/api/v1/incubations/${codes.repairs}/stage-changes`,
      { action: "start", on: "2026-02-20" },
      officer,
    );
    expect(started.body).toMatchObject({ stage: "incubating", version: 2 });
    const refused = await http.post(
      `/api/v1/incubations/${codes.repairs}/stage-changes`,
      { action: "graduate", outcome: "filed", on: "2026-06-30" },
      otherDistrict,
    );
    expect(refused.status).toBe(403);
    const graduated = await http.post(
      `/api/v1/incubations/${codes.repairs}/stage-changes`,
      { action: "graduate", outcome: "filed", on: "2026-06-30" },
      officer,
    );
    expect(graduated.status).toBe(200);
    expect(graduated.body.enrolments[0]).toMatchObject({
      cohortId: spring,
      stage: "graduated",
      appliedOn: "2026-02-12",
      incubatingSince: "2026-02-20",
      endedOn: "2026-06-30",
      outcome: "filed",
    });
    const again = await http.post(
      `/api/v1/incubations/${codes.repairs}/stage-changes`,
      { action: "withdraw", reason: "迟到的退出" },
      officer,
    );
    expect(again.status).toBe(400);
    // Graduated, it may enter a later cohort.
    const next = await http.post(
      `/api/v1/incubation-cohorts/${autumn}/participants`,
      { organisationCreditCode: codes.repairs, appliedOn: "2026-08-02" },
      officer,
    );
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ cohortId: autumn, stage: "applied", version: 4 });
    expect(next.body.enrolments.map((enrolment: { stage: string }) => enrolment.stage)).toEqual([
      "graduated",
      "applied",
    ]);
  });
});
