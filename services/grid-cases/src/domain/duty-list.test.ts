import { AlreadyExistsError, InvalidArgumentError, PermissionDeniedError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  applicableDutyList,
  coveringItem,
  type DutyItem,
  decidePublishDutyList,
  dutyListAreasOf,
  evolveDutyList,
  initialDutyListState,
  type PublishedDutyList,
  requireDutyListPublisher,
} from "./duty-list.js";

const at = new Date("2027-03-02T01:00:00Z");
const statistics: DutyItem = {
  code: "population-statistics",
  name: "人口信息采集 Population statistics",
  taskKinds: ["population-statistics", "census-assistance"],
  caseCategoryCodes: [],
  legalBasis: "《全国人口普查条例》第十二条",
};
const sanitation: DutyItem = {
  code: "environment-sanitation",
  name: "环境卫生巡查 Sanitation rounds",
  taskKinds: [],
  caseCategoryCodes: ["garbage-overflow"],
  legalBasis: "《广东省城乡生活垃圾管理条例》",
};
const knownCategories = new Set(["garbage-overflow", "street-vending"]);
const isCategory = (code: string) => knownCategories.has(code);

const publish = (items: DutyItem[], areaId = "440402001") =>
  decidePublishDutyList(initialDutyListState(), { areaId, version: 1, items, isCategory, by: "ss-1", at });

const violationsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations.map((violation) => violation.field);
  }
  throw new Error("expected field violations");
};

describe("duty lists", () => {
  it("publishes a version of an area's list with its items trimmed, once", () => {
    const event = publish([{ ...statistics, name: ` ${statistics.name} ` }, sanitation]);
    expect(event).toEqual({
      type: "duty_list.published",
      data: {
        areaId: "440402001",
        version: 1,
        items: [statistics, sanitation],
        by: "ss-1",
        at: "2027-03-02T01:00:00.000Z",
      },
    });
    const published = evolveDutyList(initialDutyListState(), event);
    expect(() =>
      decidePublishDutyList(published, {
        areaId: "440402001",
        version: 1,
        items: [statistics],
        isCategory,
        by: "x",
        at,
      }),
    ).toThrow(AlreadyExistsError);
  });

  it("refuses a bad list naming every field: area, codes, repeats, empty coverage, unknown categories", () => {
    expect(violationsOf(() => publish([], "440402001002003"))).toEqual(["areaId", "items"]);
    expect(
      violationsOf(() =>
        publish([
          statistics,
          { ...statistics, name: "again" },
          {
            ...sanitation,
            code: "Bad Code",
            name: " ",
            legalBasis: "",
            caseCategoryCodes: ["no-such-category"],
          },
          { ...sanitation, code: "covers-nothing", caseCategoryCodes: [] },
          { ...statistics, code: "bad-kind", taskKinds: ["Population Statistics"] },
        ]),
      ),
    ).toEqual([
      "items[1].code",
      "items[2].code",
      "items[2].name",
      "items[2].legalBasis",
      "items[2].caseCategoryCodes[0]",
      "items[3].taskKinds",
      "items[4].taskKinds[0]",
    ]);
  });

  it("lets platform admins publish any area's list, the command centre and street staff only lists of their areas", () => {
    const admin = { subject: "pa", roles: ["platform_admin"], areas: [] };
    const centre = { subject: "cc", roles: ["command_centre"], areas: ["440402"] };
    const street = { subject: "ss", roles: ["street_staff"], areas: ["440402001"] };
    const community = { subject: "cs", roles: ["community_staff"], areas: ["440402001002"] };
    expect(() => requireDutyListPublisher(admin, "440403")).not.toThrow();
    expect(() => requireDutyListPublisher(centre, "440402")).not.toThrow();
    expect(() => requireDutyListPublisher(centre, "440403")).toThrow(PermissionDeniedError);
    expect(() => requireDutyListPublisher(street, "440402001002")).not.toThrow();
    expect(() => requireDutyListPublisher(street, "440402")).toThrow(PermissionDeniedError);
    expect(() => requireDutyListPublisher(community, "440402001002")).toThrow(PermissionDeniedError);
  });

  it("applies the most specific list: the community's own, else its street's, else its district's", () => {
    expect(dutyListAreasOf("440402001002")).toEqual(["440402001002", "440402001", "440402"]);
    const listOf = (areaId: string) =>
      evolveDutyList(initialDutyListState(), publish([statistics], areaId)) as PublishedDutyList;
    const [street, district] = [listOf("440402001"), listOf("440402")];
    expect(applicableDutyList([undefined, street, district])).toBe(street);
    expect(applicableDutyList([undefined, undefined, district])).toBe(district);
    expect(applicableDutyList([undefined, undefined, undefined])).toBeUndefined();
  });

  it("finds the item covering a task by its kind or by its case category", () => {
    const list = evolveDutyList(
      initialDutyListState(),
      publish([statistics, sanitation]),
    ) as PublishedDutyList;
    expect(coveringItem(list, { taskKind: "census-assistance", caseCategoryCode: "" })?.code).toBe(
      "population-statistics",
    );
    expect(
      coveringItem(list, { taskKind: "sanitation-check", caseCategoryCode: "garbage-overflow" })?.code,
    ).toBe("environment-sanitation");
    expect(
      coveringItem(list, { taskKind: "sanitation-check", caseCategoryCode: "street-vending" }),
    ).toBeUndefined();
  });
});
