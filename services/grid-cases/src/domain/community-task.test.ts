import { InvalidArgumentError, PermissionDeniedError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  checkHandCommunityTask,
  decideHandCommunityTask,
  evolveCommunityTask,
  type HandCommunityTask,
  initialCommunityTaskState,
  issuerOf,
  mayReadCommunityTasks,
} from "./community-task.js";
import { evolveDutyList, initialDutyListState, type PublishedDutyList } from "./duty-list.js";
import { countDutyTask, dutyReportKeyFor, dutyReportKeysOf, emptyDutyReport } from "./duty-report.js";

const at = new Date("2027-03-31T17:00:00Z"); // 1 April 01:00 in China
const streetList = evolveDutyList(initialDutyListState(), {
  type: "duty_list.published",
  data: {
    areaId: "440402001",
    version: 3,
    items: [
      {
        code: "population-statistics",
        name: "人口信息采集",
        taskKinds: ["population-statistics"],
        caseCategoryCodes: [],
        legalBasis: "《全国人口普查条例》",
      },
    ],
    by: "ss-1",
    at: at.toISOString(),
  },
}) as PublishedDutyList;
const task: HandCommunityTask = {
  taskId: "t-1",
  communityId: "440402001002",
  title: " 2027 年流动人口统计 ",
  description: "",
  taskKind: "population-statistics",
  caseCategoryCode: "",
};
const transfer = {
  amountFen: 1_500_000,
  payingDepartmentId: "civil-affairs",
  budgetItem: "2027 创文专项经费",
  documentReference: "香民发〔2027〕12号",
};
const department = { kind: "department" as const, id: "civil-affairs" };
/** Decides against the street's list, or with `null` against none. */
const decide = (command: HandCommunityTask, dutyList: PublishedDutyList | null = streetList) =>
  decideHandCommunityTask(initialCommunityTaskState(), command, {
    issuer: department,
    dutyList: dutyList ?? undefined,
    by: "ds-1",
    at,
  });

describe("tasks handed to a community", () => {
  it("accepts a task a duty item covers, naming the list version and the item", () => {
    const event = decide(task);
    expect(event.type).toBe("community_task.accepted");
    expect(event.data).toMatchObject({
      title: "2027 年流动人口统计",
      basis: "within_list",
      dutyItemCode: "population-statistics",
      dutyList: { areaId: "440402001", version: 3 },
    });
    expect(evolveCommunityTask(initialCommunityTaskState(), event)).toMatchObject({
      status: "accepted_within_list",
      communityId: "440402001002",
      refusal: "",
    });
  });

  it("refuses a task outside the list with the rule, unless its funds travel with it (费随事转)", () => {
    const outside = { ...task, taskKind: "enterprise-safety-inspection" };
    const refused = decide(outside);
    expect(refused.type).toBe("community_task.refused");
    const state = evolveCommunityTask(initialCommunityTaskState(), refused);
    expect(state).toMatchObject({ status: "refused", dutyItemCode: "" });
    expect(state.status === "refused" && state.refusal).toContain(
      "no item of the duty list of 440402001 (version 3) covers task kind enterprise-safety-inspection",
    );

    const funded = decide({ ...outside, fundsTransfer: transfer });
    expect(funded.data).toMatchObject({ basis: "with_funds", dutyItemCode: "", fundsTransfer: transfer });
    expect(evolveCommunityTask(initialCommunityTaskState(), funded)).toMatchObject({
      status: "accepted_with_funds",
      fundsTransfer: transfer,
    });
  });

  it("refuses every task without funds where no list applies: nothing is inside a list that does not exist", () => {
    const refused = decide(task, null);
    expect(refused.type).toBe("community_task.refused");
    expect(refused.type === "community_task.refused" && refused.data.refusal).toContain(
      "no duty list applies to community 440402001002",
    );
    expect(refused.data.dutyList).toBeUndefined();
  });

  it("names every bad field of the command and of its transfer", () => {
    const checks = checkHandCommunityTask(
      {
        ...task,
        communityId: "440402001",
        title: "",
        taskKind: "Stats",
        caseCategoryCode: "no-such",
        fundsTransfer: {
          amountFen: 0.5,
          payingDepartmentId: "Civil Affairs",
          budgetItem: "",
          documentReference: "",
        },
      },
      { isCategory: () => false },
    );
    expect(checks.violations.map((violation) => violation.field)).toEqual([
      "communityId",
      "title",
      "taskKind",
      "caseCategoryCode",
      "fundsTransfer.amountFen",
      "fundsTransfer.payingDepartmentId",
      "fundsTransfer.budgetItem",
      "fundsTransfer.documentReference",
    ]);
    expect(() => checks.throwIfAny()).toThrow(InvalidArgumentError);
    expect(checkHandCommunityTask(task, { isCategory: () => false }).violations).toEqual([]);
  });

  it("takes tasks from department staff and the community's street staff only", () => {
    expect(
      issuerOf(
        { subject: "d", roles: ["department_staff"], areas: [], department: "water-affairs" },
        task.communityId,
      ),
    ).toEqual({
      kind: "department",
      id: "water-affairs",
    });
    expect(
      issuerOf({ subject: "s", roles: ["street_staff"], areas: ["440402001"] }, task.communityId),
    ).toEqual({
      kind: "street",
      id: "440402001",
    });
    for (const caller of [
      { subject: "s2", roles: ["street_staff"], areas: ["440402002"] },
      { subject: "c", roles: ["community_staff"], areas: ["440402001002"] },
      { subject: "d2", roles: ["department_staff"], areas: [] },
    ]) {
      expect(() => issuerOf(caller, task.communityId)).toThrow(PermissionDeniedError);
    }
    const water = { kind: "department" as const, id: "water-affairs" };
    expect(
      mayReadCommunityTasks(
        { subject: "d", roles: ["department_staff"], areas: [], department: "water-affairs" },
        task.communityId,
        water,
      ),
    ).toBe(true);
    expect(
      mayReadCommunityTasks(
        { subject: "d", roles: ["department_staff"], areas: [], department: "civil-affairs" },
        task.communityId,
        water,
      ),
    ).toBe(false);
    expect(
      mayReadCommunityTasks(
        { subject: "c", roles: ["community_staff"], areas: ["440402001003"] },
        task.communityId,
      ),
    ).toBe(false);
  });
});

describe("the duty report", () => {
  it("counts a task in its community, street and district, for its month and year in China time", () => {
    expect(dutyReportKeysOf(decide(task))).toEqual([
      "440402/2027-04",
      "440402/2027",
      "440402001/2027-04",
      "440402001/2027",
      "440402001002/2027-04",
      "440402001002/2027",
    ]);
  });

  it("counts within the list, with funds (and their fen) and refused, in total and by the area one level below", () => {
    const events = [
      decide(task),
      decide({ ...task, taskKind: "fire-inspection", fundsTransfer: transfer }),
      decide({ ...task, taskKind: "fire-inspection", fundsTransfer: { ...transfer, amountFen: 500 } }),
      decide({ ...task, taskKind: "fire-inspection" }),
      decide({ ...task, communityId: "440402001003", taskKind: "fire-inspection" }),
    ];
    const streetReport = events.reduce(
      (report, event) => countDutyTask(report, event, "440402001/2027"),
      emptyDutyReport(),
    );
    expect(streetReport).toEqual({
      total: { acceptedWithinList: 1, acceptedWithFunds: 2, transferredFen: 1_500_500, refused: 2 },
      byArea: {
        "440402001002": {
          acceptedWithinList: 1,
          acceptedWithFunds: 2,
          transferredFen: 1_500_500,
          refused: 1,
        },
        "440402001003": { acceptedWithinList: 0, acceptedWithFunds: 0, transferredFen: 0, refused: 1 },
      },
    });
    const districtReport = events.reduce(
      (report, event) => countDutyTask(report, event, "440402/2027"),
      emptyDutyReport(),
    );
    expect(Object.keys(districtReport.byArea)).toEqual(["440402001"]);
    const communityReport = countDutyTask(emptyDutyReport(), decide(task), "440402001002/2027");
    expect(communityReport).toEqual({
      total: { acceptedWithinList: 1, acceptedWithFunds: 0, transferredFen: 0, refused: 0 },
      byArea: {},
    });
  });

  it("is read by the command centre and the staff of the area, for a month or a year", () => {
    const street = { subject: "s", roles: ["street_staff"], areas: ["440402001"] };
    expect(dutyReportKeyFor("440402001", "2027-04", street)).toBe("440402001/2027-04");
    expect(() => dutyReportKeyFor("440402", "2027", street)).toThrow(PermissionDeniedError);
    expect(() => dutyReportKeyFor("4404020010", "2027-13", street)).toThrow(InvalidArgumentError);
  });
});
