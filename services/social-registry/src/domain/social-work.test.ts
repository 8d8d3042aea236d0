import { AlreadyExistsError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { withCreditCodeCheck } from "./credit-code.js";
import {
  countSocialWorkers,
  decideChangeAffiliation,
  decideRegisterAgency,
  decideRegisterSocialWorker,
  evolveSocialWorker,
  initialAgencyState,
  initialSocialWorkerState,
  type SocialWorker,
} from "./social-work.js";

const officer = { subject: "civil-affairs-1" };
const now = new Date("2026-03-02T02:00:00Z");
const agencyCode = withCreditCodeCheck("52440402MJL000016");

const invalid = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations;
  }
  throw new Error("expected an InvalidArgumentError");
};

const registration = {
  workerId: "w-1",
  name: "李社工",
  licenceLevel: "social_worker",
  licenceNumber: " zh2026-0001 ",
  affiliation: { kind: "agency", agencyCreditCode: agencyCode, communityId: "" },
  areaId: "440402001",
  registeredOn: "",
};

describe("social-work agencies", () => {
  it("registers an agency with a civil-affairs code", () => {
    const event = decideRegisterAgency(
      { creditCode: agencyCode, name: " 香洲区社工服务中心 ", areaId: "440402", registeredOn: "2026-01-05" },
      initialAgencyState(),
      officer,
      now,
    );
    expect(event.data).toMatchObject({
      creditCode: agencyCode,
      name: "香洲区社工服务中心",
      registeredOn: "2026-01-05",
    });
  });

  it("refuses a wrong check character, an enterprise code and a taken code", () => {
    const wrong = `${agencyCode.slice(0, 17)}${agencyCode.endsWith("1") ? "2" : "1"}`;
    const command = { creditCode: wrong, name: "社工中心", areaId: "440402", registeredOn: "" };
    expect(invalid(() => decideRegisterAgency(command, initialAgencyState(), officer, now))).toEqual([
      { field: "creditCode", description: `has the wrong check character: expected '${agencyCode.at(-1)}'` },
    ]);
    const enterprise = withCreditCodeCheck("91440400MA4UH0004");
    expect(
      invalid(() =>
        decideRegisterAgency({ ...command, creditCode: enterprise }, initialAgencyState(), officer, now),
      )[0]?.description,
    ).toContain("starts with 5");
    const registered = decideRegisterAgency(
      { ...command, creditCode: agencyCode },
      initialAgencyState(),
      officer,
      now,
    );
    expect(() =>
      decideRegisterAgency(
        { ...command, creditCode: agencyCode },
        { status: "registered", ...registered.data },
        officer,
        now,
      ),
    ).toThrow(AlreadyExistsError);
  });
});

describe("licensed social workers", () => {
  it("registers a worker with an upper-cased licence number, today's date by default", () => {
    const event = decideRegisterSocialWorker(registration, initialSocialWorkerState(), officer, now);
    expect(event.data).toMatchObject({
      licenceNumber: "ZH2026-0001",
      licenceLevel: "social_worker",
      affiliation: { kind: "agency", agencyCreditCode: agencyCode, communityId: "" },
      registeredOn: "2026-03-02",
    });
  });

  it("names every bad field", () => {
    const violations = invalid(() =>
      decideRegisterSocialWorker(
        {
          ...registration,
          name: "",
          licenceLevel: "expert",
          licenceNumber: "x",
          affiliation: { kind: "community", agencyCreditCode: "", communityId: "440403001002" },
          registeredOn: "2026-02-30",
        },
        initialSocialWorkerState(),
        officer,
        now,
      ),
    );
    expect(violations.map((violation) => violation.field)).toEqual([
      "name",
      "licenceLevel",
      "licenceNumber",
      "affiliation.communityId",
      "registeredOn",
    ]);
  });

  it("refuses a licence number that is registered", () => {
    const event = decideRegisterSocialWorker(registration, initialSocialWorkerState(), officer, now);
    const state = evolveSocialWorker(initialSocialWorkerState(), event);
    expect(() => decideRegisterSocialWorker(registration, state, officer, now)).toThrow(
      "licence number ZH2026-0001 is already registered",
    );
  });

  it("changes the affiliation, and records nothing when it is the same", () => {
    const state = evolveSocialWorker(
      initialSocialWorkerState(),
      decideRegisterSocialWorker(registration, initialSocialWorkerState(), officer, now),
    ) as SocialWorker;
    const toCommunity = { kind: "community", agencyCreditCode: "", communityId: "440402001002" };
    const changed = decideChangeAffiliation({ affiliation: toCommunity, changedOn: "" }, state, officer, now);
    expect(changed?.data).toMatchObject({
      from: { kind: "agency" },
      to: toCommunity,
      changedOn: "2026-03-02",
    });
    const moved = evolveSocialWorker(state, changed as NonNullable<typeof changed>) as SocialWorker;
    expect(moved.affiliation).toEqual(toCommunity);
    expect(
      decideChangeAffiliation({ affiliation: toCommunity, changedOn: "" }, moved, officer, now),
    ).toBeUndefined();
  });

  it("counts by level and affiliation, every combination present", () => {
    const worker = (
      licenceLevel: SocialWorker["licenceLevel"],
      kind: SocialWorker["affiliation"]["kind"],
    ) => ({
      licenceLevel,
      affiliation: { kind, agencyCreditCode: "", communityId: "" },
    });
    const counts = countSocialWorkers([
      worker("social_worker", "agency"),
      worker("social_worker", "agency"),
      worker("assistant_social_worker", "community"),
      worker("senior_social_worker", "none"),
    ]);
    expect(counts.total).toBe(4);
    expect(counts.byLevel).toEqual({ assistant_social_worker: 1, social_worker: 2, senior_social_worker: 1 });
    expect(counts.byAffiliation).toEqual({ agency: 2, community: 1, none: 1 });
    expect(counts.byLevelAndAffiliation).toHaveLength(9);
    expect(counts.byLevelAndAffiliation).toContainEqual({
      licenceLevel: "social_worker",
      affiliationKind: "agency",
      count: 2,
    });
  });
});
