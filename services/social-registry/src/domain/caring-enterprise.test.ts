import { AlreadyExistsError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { violationsOf } from "../testing/thrown.js";
import {
  type CaringEnterprise,
  type CaringEnterpriseEvent,
  creditEvaluation,
  type Donation,
  decideEnterCreditList,
  decideListEnterprise,
  decideRecordDonation,
  decideRemoveFromCreditList,
  donationEventId,
  evolveCaringEnterprise,
  initialCaringEnterpriseState,
  type RecordDonation,
} from "./caring-enterprise.js";
import { withCreditCodeCheck } from "./credit-code.js";

const officer = { subject: "civil-affairs-1" };
const now = new Date("2026-12-01T02:00:00Z");
const creditCode = withCreditCodeCheck("91440400MA4UH0004");

const fieldsOf = (run: () => unknown) => violationsOf(run).map((violation) => violation.field);

const listed = () =>
  evolveCaringEnterprise(
    initialCaringEnterpriseState(),
    decideListEnterprise(
      { creditCode, name: "珠海爱心科技有限公司", areaId: "440402", listedOn: "2025-01-01" },
      initialCaringEnterpriseState(),
      officer,
      now,
    ),
  ) as CaringEnterprise;

const money = (donationId: string, amountFen: number, donatedOn: string): RecordDonation => ({
  donationId,
  kind: "money",
  amountFen,
  description: "",
  estimatedValueFen: 0,
  volunteerHours: 0,
  recipient: "南村社区",
  donatedOn,
});

const donation = (overrides: Partial<Donation>): Donation => ({
  donationId: "d",
  kind: "money",
  amountFen: 0,
  description: "",
  estimatedValueFen: 0,
  volunteerHours: 0,
  recipient: "",
  donatedOn: "2026-06-01",
  ...overrides,
});

describe("the directory", () => {
  it("lists enterprises of market regulation only, with a valid code", () => {
    expect(listed()).toMatchObject({ creditCode, donations: [] });
    const wrong = `${creditCode.slice(0, 17)}${creditCode.endsWith("1") ? "2" : "1"}`;
    expect(
      fieldsOf(() =>
        decideListEnterprise(
          { creditCode: wrong, name: "x", areaId: "440402", listedOn: "" },
          initialCaringEnterpriseState(),
          officer,
          now,
        ),
      ),
    ).toEqual(["creditCode"]);
    expect(
      fieldsOf(() =>
        decideListEnterprise(
          { creditCode: withCreditCodeCheck("52440402MJL000016"), name: "x", areaId: "440402", listedOn: "" },
          initialCaringEnterpriseState(),
          officer,
          now,
        ),
      ),
    ).toEqual(["creditCode"]);
  });
});

describe("donations", () => {
  it("records a donation once: the same details again record nothing, other details are refused", () => {
    const enterprise = listed();
    const event = decideRecordDonation(
      money("2026-001", 50_000, "2026-05-01"),
      enterprise,
      officer,
      now,
    ) as CaringEnterpriseEvent;
    expect(event).toMatchObject({
      id: donationEventId("2026-001"),
      data: { amountFen: 50_000, kind: "money" },
    });
    const after = evolveCaringEnterprise(enterprise, event) as CaringEnterprise;
    expect(
      decideRecordDonation(money("2026-001", 50_000, "2026-05-01"), after, officer, now),
    ).toBeUndefined();
    expect(() => decideRecordDonation(money("2026-001", 60_000, "2026-05-01"), after, officer, now)).toThrow(
      AlreadyExistsError,
    );
  });

  it("takes whole positive amounts in the field of the kind only", () => {
    const enterprise = listed();
    for (const amountFen of [-100, 0, 10.5]) {
      expect(
        fieldsOf(() => decideRecordDonation(money("d1", amountFen, ""), enterprise, officer, now)),
      ).toEqual(["amountFen"]);
    }
    expect(
      fieldsOf(() =>
        decideRecordDonation(
          { ...money("d2", 0, ""), kind: "goods", description: "", estimatedValueFen: -1, volunteerHours: 3 },
          enterprise,
          officer,
          now,
        ),
      ),
    ).toEqual(["description", "estimatedValueFen", "volunteerHours"]);
    expect(
      fieldsOf(() =>
        decideRecordDonation(
          { ...money("d 3", 100, "2999-01-01"), kind: "volunteer_hours" },
          enterprise,
          officer,
          now,
        ),
      ),
    ).toEqual(["donationId", "amountFen", "volunteerHours", "donatedOn"]);
  });
});

describe("credit lists", () => {
  it("enters and removes, once at a time", () => {
    const enterprise = listed();
    const entered = evolveCaringEnterprise(
      enterprise,
      decideEnterCreditList(
        { list: "abnormal_operation", reason: "未按期公示年报", enteredOn: "2026-04-01" },
        enterprise,
        officer,
        now,
      ),
    ) as CaringEnterprise;
    expect(() =>
      decideEnterCreditList(
        { list: "abnormal_operation", reason: "again", enteredOn: "" },
        entered,
        officer,
        now,
      ),
    ).toThrow("already on the abnormal_operation list");
    const removed = evolveCaringEnterprise(
      entered,
      decideRemoveFromCreditList(
        { list: "abnormal_operation", reason: "已补报", removedOn: "2026-06-01" },
        entered,
        officer,
        now,
      ),
    ) as CaringEnterprise;
    expect(removed.creditListEntries).toEqual([
      {
        list: "abnormal_operation",
        reason: "未按期公示年报",
        enteredOn: "2026-04-01",
        removedOn: "2026-06-01",
        removalReason: "已补报",
      },
    ]);
  });
});

describe("the credit evaluation", () => {
  const donations = [
    donation({ amountFen: 30_000_000, donatedOn: "2026-01-10" }),
    donation({ kind: "goods", estimatedValueFen: 1_550_000, description: "米面油", donatedOn: "2026-03-05" }),
    donation({ kind: "volunteer_hours", volunteerHours: 25, donatedOn: "2026-03-20" }),
    // One year before the date: outside the 12 months.
    donation({ amountFen: 90_000_000, donatedOn: "2025-11-30" }),
  ];
  const recognitions = [
    { title: "爱心企业", awardedOn: "2024-06-01", issuer: "香洲区民政局" },
    // Three years before the date: outside.
    { title: "慈善之星", awardedOn: "2023-11-30", issuer: "珠海市慈善总会" },
  ];

  it("adds points for value, hours, regularity and recognitions in their windows", () => {
    const evaluation = creditEvaluation({ donations, recognitions, creditListEntries: [] }, "2026-11-30");
    expect(evaluation).toMatchObject({
      windowStartsAfter: "2025-11-30",
      donationValueFen: 31_550_000,
      volunteerHours: 25,
      donationMonths: 2,
      recognitionsCounted: 1,
      // 31 full 10,000 yuan, 2 full 10 hours, 2 months × 2, 1 recognition × 5.
      points: { donationValue: 31, volunteerHours: 2, regularity: 4, recognitions: 5, creditLists: 0 },
      score: 42,
      level: "AA",
    });
  });

  it("takes points for a list the enterprise is on at the date, and no level on the serious one", () => {
    const abnormal = [
      { list: "abnormal_operation" as const, reason: "x", enteredOn: "2026-10-01", removedOn: "" },
    ];
    expect(
      creditEvaluation({ donations, recognitions, creditListEntries: abnormal }, "2026-11-30"),
    ).toMatchObject({
      creditLists: ["abnormal_operation"],
      score: 22,
      level: "A",
    });
    // Before it was entered, it counts nothing.
    expect(
      creditEvaluation({ donations, recognitions, creditListEntries: abnormal }, "2026-09-30").level,
    ).toBe("AA");
    const serious = [
      { list: "serious_illegality" as const, reason: "x", enteredOn: "2026-10-01", removedOn: "" },
    ];
    expect(
      creditEvaluation({ donations, recognitions, creditListEntries: serious }, "2026-11-30"),
    ).toMatchObject({
      score: 0,
      level: "none",
    });
  });

  it("caps each part: a large, monthly giver with three recognitions is AAA", () => {
    const monthly = Array.from({ length: 12 }, (_, month) =>
      donation({ amountFen: 20_000_000, donatedOn: `2026-${String(month + 1).padStart(2, "0")}-01` }),
    );
    const hours = donation({ kind: "volunteer_hours", volunteerHours: 1_000, donatedOn: "2026-06-01" });
    const many = Array.from({ length: 4 }, () => ({ title: "t", awardedOn: "2026-01-01", issuer: "i" }));
    const evaluation = creditEvaluation(
      { donations: [...monthly, hours], recognitions: many, creditListEntries: [] },
      "2026-12-31",
    );
    expect(evaluation.points).toEqual({
      donationValue: 40,
      volunteerHours: 20,
      regularity: 24,
      recognitions: 15,
      creditLists: 0,
    });
    expect(evaluation).toMatchObject({ score: 99, level: "AAA" });
  });
});
