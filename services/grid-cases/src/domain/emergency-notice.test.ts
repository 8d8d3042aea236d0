import { AlreadyExistsError, InvalidArgumentError, PermissionDeniedError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import {
  checkBroadcast,
  checkBroadcaster,
  checkCheckIn,
  checkCheckInCaller,
  commonAreaOf,
  decideCheckIn,
  evolveNoticeTally,
  initialNoticeTallyState,
} from "./emergency-notice.js";

const now = new Date("2026-09-15T02:00:00Z");
const staff = { subject: "cs-1", roles: ["community_staff"], areas: ["440402001002"] };
const household = "440402001002001001-3";

describe("emergency notices", () => {
  it("names every bad field of a broadcast", () => {
    const check = () =>
      checkBroadcast({
        title: " ",
        message: "",
        communityIds: ["44040200100", "440402001002", "440402001002"],
      });
    expect(check).toThrow(InvalidArgumentError);
    try {
      check();
    } catch (error) {
      expect((error as InvalidArgumentError).violations.map((v) => v.field)).toEqual([
        "title",
        "message",
        "communityIds",
        "communityIds[0]",
      ]);
    }
  });

  it("lets the command centre broadcast anywhere, street staff to their communities only", () => {
    expect(() =>
      checkBroadcaster({ subject: "cc", roles: ["command_centre"], areas: [] }, ["440403001001"]),
    ).not.toThrow();
    const street = { subject: "s", roles: ["street_staff"], areas: ["440402001"] };
    expect(() => checkBroadcaster(street, ["440402001002", "440402001003"])).not.toThrow();
    expect(() => checkBroadcaster(street, ["440402001002", "440402002001"])).toThrow(PermissionDeniedError);
    expect(() => checkBroadcaster(staff, ["440402001002"])).toThrow(PermissionDeniedError);
  });

  it("shows a notice on the event stream under the lowest area above its communities", () => {
    expect(commonAreaOf(["440402001002", "440402001003"])).toBe("440402001");
    expect(commonAreaOf(["440402001002", "440402002001"])).toBe("440402");
    expect(commonAreaOf(["440402001002", "440403001001"])).toBe("440400");
  });

  it("counts a household once, and carries the counts after each answer", () => {
    const command = {
      householdId: household,
      answer: "need_help",
      note: " 老人 ",
      noticeId: "n",
      communityId: "440402001002",
      households: 5,
    };
    const first = decideCheckIn(command, initialNoticeTallyState(), staff, now);
    expect(first.data).toMatchObject({
      areaId: "440402001002",
      note: "老人",
      counts: { households: 5, answered: 1, safe: 0, needHelp: 1, unanswered: 4 },
    });
    const after = evolveNoticeTally(initialNoticeTallyState(), first);
    expect(() => decideCheckIn({ ...command, answer: "safe" }, after, staff, now)).toThrow(
      AlreadyExistsError,
    );
  });

  it("checks a check-in's fields and who answers for the household", () => {
    expect(checkCheckIn({ householdId: household, answer: "safe", note: "" })).toEqual({
      buildingId: "440402001002001001",
      number: 3,
    });
    expect(() => checkCheckIn({ householdId: "440402001002001001-0", answer: "", note: "" })).toThrow(
      /householdId.*answer/,
    );
    const resident = { subject: "r", roles: ["resident"], areas: ["440402001002001001"] };
    expect(() => checkCheckInCaller(resident, "440402001002001001")).not.toThrow();
    expect(() => checkCheckInCaller(resident, "440402001002001002")).toThrow(PermissionDeniedError);
    expect(() => checkCheckInCaller(staff, "440402001002001002")).not.toThrow();
  });
});
