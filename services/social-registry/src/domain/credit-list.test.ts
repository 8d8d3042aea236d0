import { FailedPreconditionError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { preconditionReasonOf, violationsOf } from "../testing/thrown.js";
import {
  type CreditListEntry,
  type CreditListRules,
  checkedCreditListEntry,
  checkedCreditListRemoval,
  creditListDeciders,
  creditListsNow,
  creditListsOn,
  refuseRemovalWithoutEntry,
  refuseSecondEntry,
  withCreditListEntered,
  withCreditListRemoved,
} from "./credit-list.js";

type TestList = "watch" | "black";
const lenient: CreditListRules<TestList> = { lists: ["watch", "black"], refusesFutureDates: false };
const strict: CreditListRules<TestList> = { ...lenient, refusesFutureDates: true };
// 2026-03-02 in China.
const now = new Date("2026-03-01T18:00:00Z");

const onWatch: CreditListEntry<TestList>[] = withCreditListEntered([], {
  list: "watch",
  reason: "未报年报",
  enteredOn: "2026-02-01",
});

describe("checking an entry or a removal", () => {
  it("trims the reason and takes today (in China) for an empty date", () => {
    expect(
      checkedCreditListEntry({ list: "watch", reason: "  未报年报 ", enteredOn: "" }, strict, now),
    ).toEqual({ list: "watch", reason: "未报年报", enteredOn: "2026-03-02" });
    expect(
      checkedCreditListRemoval({ list: "black", reason: "已纠正", removedOn: "2026-01-05" }, strict, now),
    ).toEqual({ list: "black", reason: "已纠正", removedOn: "2026-01-05" });
  });

  it("names every bad field: list, reason, the date under its own name", () => {
    expect(
      violationsOf(() =>
        checkedCreditListEntry({ list: "grey", reason: " ", enteredOn: "2026-02-30" }, lenient, now),
      ),
    ).toEqual([
      { field: "list", description: "must be one of watch, black" },
      { field: "reason", description: "must be 1 to 500 characters" },
      { field: "enteredOn", description: "must be a date YYYY-MM-DD" },
    ]);
    expect(
      violationsOf(() =>
        checkedCreditListRemoval({ list: "watch", reason: "字".repeat(501), removedOn: "3/2" }, lenient, now),
      ),
    ).toEqual([
      { field: "reason", description: "must be 1 to 500 characters" },
      { field: "removedOn", description: "must be a date YYYY-MM-DD" },
    ]);
  });

  it("refuses dates after today only under rules that say so", () => {
    const tomorrow = { list: "watch", reason: "x", enteredOn: "2026-03-03" };
    expect(checkedCreditListEntry(tomorrow, lenient, now).enteredOn).toBe("2026-03-03");
    expect(violationsOf(() => checkedCreditListEntry(tomorrow, strict, now))).toEqual([
      { field: "enteredOn", description: "must not be in the future" },
    ]);
    expect(
      violationsOf(() =>
        checkedCreditListRemoval({ list: "watch", reason: "x", removedOn: "2026-03-03" }, strict, now),
      ),
    ).toEqual([{ field: "removedOn", description: "must not be in the future" }]);
    expect(checkedCreditListEntry({ ...tomorrow, enteredOn: "2026-03-02" }, strict, now).enteredOn).toBe(
      "2026-03-02",
    );
  });
});

describe("entering and removing", () => {
  it("refuses a second entry while on the list, not on another list or after removal", () => {
    const again = { list: "watch" as const, reason: "again", enteredOn: "2026-03-01" };
    expect(preconditionReasonOf(() => refuseSecondEntry(onWatch, again, "91440400MA4UXXXX0A"))).toBe(
      "ALREADY_ON_LIST",
    );
    expect(() => refuseSecondEntry(onWatch, again, "91440400MA4UXXXX0A")).toThrow(
      "91440400MA4UXXXX0A is already on the watch list",
    );
    expect(() => refuseSecondEntry(onWatch, { ...again, list: "black" }, "x")).not.toThrow();
    const removed = withCreditListRemoved(onWatch, {
      list: "watch",
      reason: "已补报",
      removedOn: "2026-02-10",
    });
    expect(() => refuseSecondEntry(removed, again, "x")).not.toThrow();
  });

  it("refuses a removal when not on the list, or dated before the entry", () => {
    const removal = { list: "black" as const, reason: "x", removedOn: "2026-03-01" };
    expect(preconditionReasonOf(() => refuseRemovalWithoutEntry(onWatch, removal, "5144"))).toBe(
      "NOT_ON_LIST",
    );
    expect(() => refuseRemovalWithoutEntry(onWatch, removal, "5144")).toThrow(
      "5144 is not on the black list",
    );
    expect(
      violationsOf(() =>
        refuseRemovalWithoutEntry(onWatch, { ...removal, list: "watch", removedOn: "2026-01-31" }, "5144"),
      ),
    ).toEqual([{ field: "removedOn", description: "must not be before the entry, 2026-02-01" }]);
    expect(() =>
      refuseRemovalWithoutEntry(onWatch, { ...removal, list: "watch", removedOn: "2026-02-01" }, "5144"),
    ).not.toThrow();
  });

  it("closes only the open entry of the list and keeps the removal reason", () => {
    const history = withCreditListEntered(
      withCreditListRemoved(onWatch, { list: "watch", reason: "已补报", removedOn: "2026-02-10" }),
      { list: "watch", reason: "再次未报", enteredOn: "2026-02-20" },
    );
    const withBlack = withCreditListEntered(history, {
      list: "black",
      reason: "失信",
      enteredOn: "2026-02-21",
    });
    const after = withCreditListRemoved(withBlack, {
      list: "watch",
      reason: "又补报",
      removedOn: "2026-03-01",
    });
    expect(after).toEqual([
      {
        list: "watch",
        reason: "未报年报",
        enteredOn: "2026-02-01",
        removedOn: "2026-02-10",
        removalReason: "已补报",
      },
      {
        list: "watch",
        reason: "再次未报",
        enteredOn: "2026-02-20",
        removedOn: "2026-03-01",
        removalReason: "又补报",
      },
      { list: "black", reason: "失信", enteredOn: "2026-02-21", removedOn: "", removalReason: "" },
    ]);
    expect(creditListsNow(withBlack)).toEqual(["watch", "black"]);
    expect(creditListsNow(after)).toEqual(["black"]);
  });

  it("tells the lists on a past date: from the entry day, until the removal day", () => {
    const removed = withCreditListRemoved(onWatch, { list: "watch", reason: "x", removedOn: "2026-02-10" });
    expect(creditListsOn(removed, "2026-01-31")).toEqual([]);
    expect(creditListsOn(removed, "2026-02-01")).toEqual(["watch"]);
    expect(creditListsOn(removed, "2026-02-09")).toEqual(["watch"]);
    expect(creditListsOn(removed, "2026-02-10")).toEqual([]);
    expect(creditListsOn(onWatch, "2030-01-01")).toEqual(["watch"]);
  });
});

describe("a register's deciders", () => {
  type Holder = { creditCode: string; creditListEntries: CreditListEntry<TestList>[]; filed: boolean };
  const deciders = creditListDeciders<TestList, Holder, { type: string; data: object }>({
    rules: strict,
    entered: (data) => ({ type: "entered", data }),
    removed: (data) => ({ type: "removed", data }),
    refuseEntry(holder) {
      if (holder.filed) throw new FailedPreconditionError("filed", "NOT_YET_REGISTERED");
    },
  });
  const holder: Holder = { creditCode: "5144", creditListEntries: onWatch, filed: false };
  const actor = { subject: "officer-1" };

  it("records who entered and removed whom, when, under the register's event types", () => {
    expect(deciders.enter({ list: "black", reason: " 失信 ", enteredOn: "" }, holder, actor, now)).toEqual({
      type: "entered",
      data: {
        creditCode: "5144",
        list: "black",
        reason: "失信",
        enteredOn: "2026-03-02",
        by: "officer-1",
        at: now.toISOString(),
      },
    });
    expect(deciders.remove({ list: "watch", reason: "已补报", removedOn: "" }, holder, actor, now)).toEqual({
      type: "removed",
      data: {
        creditCode: "5144",
        list: "watch",
        reason: "已补报",
        removedOn: "2026-03-02",
        by: "officer-1",
        at: now.toISOString(),
      },
    });
  });

  it("checks the command first, then the register's own refusal, then the one entry", () => {
    const filed = { ...holder, filed: true };
    expect(
      violationsOf(() => deciders.enter({ list: "watch", reason: "", enteredOn: "" }, filed, actor, now)),
    ).toEqual([{ field: "reason", description: "must be 1 to 500 characters" }]);
    const again = { list: "watch", reason: "again", enteredOn: "" };
    expect(preconditionReasonOf(() => deciders.enter(again, filed, actor, now))).toBe("NOT_YET_REGISTERED");
    expect(preconditionReasonOf(() => deciders.enter(again, holder, actor, now))).toBe("ALREADY_ON_LIST");
    const offBlack = { list: "black", reason: "x", removedOn: "" };
    expect(preconditionReasonOf(() => deciders.remove(offBlack, holder, actor, now))).toBe("NOT_ON_LIST");
  });
});
