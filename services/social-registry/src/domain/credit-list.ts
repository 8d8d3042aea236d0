import { chinaDate, FailedPreconditionError, FieldChecks, InvalidArgumentError } from "@civic/domain-kit";
import { dateOrToday } from "./calendar-date.js";

/**
 * Credit lists a register keeps its holders on (civil affairs' lists for social organisations,
 * market regulation's for enterprises): a holder enters a list with a reason on a date and
 * stays on it until removed, on each list once at a time.
 */

export interface CreditListEntry<List extends string> {
  list: List;
  reason: string;
  enteredOn: string;
  /** "" while the holder is on the list. */
  removedOn: string;
  removalReason: string;
}

/** The lists of one register, and whether it refuses entry and removal dates after today. */
export interface CreditListRules<List extends string> {
  lists: readonly List[];
  refusesFutureDates: boolean;
}

export interface EnterCreditList {
  list: string;
  reason: string;
  enteredOn: string;
}

export interface RemoveFromCreditList {
  list: string;
  reason: string;
  removedOn: string;
}

/** An entry as its event records it. */
export interface CreditListEntered<List extends string> {
  list: List;
  reason: string;
  enteredOn: string;
}

/** A removal as its event records it. */
export interface CreditListRemoved<List extends string> {
  list: List;
  reason: string;
  removedOn: string;
}

/** Event data: the entry or removal, whose it is, and who recorded it when. */
export type CreditListEnteredData<List extends string> = { creditCode: string } & CreditListEntered<List> &
  Stamp;
export type CreditListRemovedData<List extends string> = { creditCode: string } & CreditListRemoved<List> &
  Stamp;

interface Stamp {
  by: string;
  at: string;
}

function checkedChange<List extends string>(
  command: { list: string; reason: string; on: string },
  dateField: string,
  rules: CreditListRules<List>,
  now: Date,
): { list: List; reason: string; on: string } {
  const reason = command.reason.trim();
  const checks = new FieldChecks()
    .oneOf("list", command.list, rules.lists)
    .text("reason", reason, { max: 500 });
  const on = dateOrToday(command.on, now);
  if (on === undefined) checks.add(dateField, "must be a date YYYY-MM-DD");
  else if (rules.refusesFutureDates && on > chinaDate(now))
    checks.add(dateField, "must not be in the future");
  checks.throwIfAny();
  return { list: command.list as List, reason, on: on as string };
}

/** The entry the command describes (an empty date is today), or INVALID_ARGUMENT. */
export function checkedCreditListEntry<List extends string>(
  command: EnterCreditList,
  rules: CreditListRules<List>,
  now: Date,
): CreditListEntered<List> {
  const { list, reason, on } = checkedChange({ ...command, on: command.enteredOn }, "enteredOn", rules, now);
  return { list, reason, enteredOn: on };
}

/** The removal the command describes (an empty date is today), or INVALID_ARGUMENT. */
export function checkedCreditListRemoval<List extends string>(
  command: RemoveFromCreditList,
  rules: CreditListRules<List>,
  now: Date,
): CreditListRemoved<List> {
  const { list, reason, on } = checkedChange({ ...command, on: command.removedOn }, "removedOn", rules, now);
  return { list, reason, removedOn: on };
}

const openEntry = <List extends string>(entries: readonly CreditListEntry<List>[], list: List) =>
  entries.find((entry) => entry.list === list && entry.removedOn === "");

/** FAILED_PRECONDITION ALREADY_ON_LIST when the holder (named by its code) is on the list now. */
export function refuseSecondEntry<List extends string>(
  entries: readonly CreditListEntry<List>[],
  entry: CreditListEntered<List>,
  holder: string,
): void {
  if (openEntry(entries, entry.list))
    throw new FailedPreconditionError(`${holder} is already on the ${entry.list} list`, "ALREADY_ON_LIST");
}

/**
 * FAILED_PRECONDITION NOT_ON_LIST when the holder is not on the list now, INVALID_ARGUMENT when
 * the removal is dated before the entry it ends.
 */
export function refuseRemovalWithoutEntry<List extends string>(
  entries: readonly CreditListEntry<List>[],
  removal: CreditListRemoved<List>,
  holder: string,
): void {
  const entry = openEntry(entries, removal.list);
  if (!entry)
    throw new FailedPreconditionError(`${holder} is not on the ${removal.list} list`, "NOT_ON_LIST");
  if (removal.removedOn < entry.enteredOn) {
    throw new InvalidArgumentError([
      { field: "removedOn", description: `must not be before the entry, ${entry.enteredOn}` },
    ]);
  }
}

export const withCreditListEntered = <List extends string>(
  entries: readonly CreditListEntry<List>[],
  { list, reason, enteredOn }: CreditListEntered<List>,
): CreditListEntry<List>[] => [...entries, { list, reason, enteredOn, removedOn: "", removalReason: "" }];

export const withCreditListRemoved = <List extends string>(
  entries: readonly CreditListEntry<List>[],
  { list, reason, removedOn }: CreditListRemoved<List>,
): CreditListEntry<List>[] =>
  entries.map((entry) =>
    entry.list === list && entry.removedOn === "" ? { ...entry, removedOn, removalReason: reason } : entry,
  );

/** The lists the holder is on now. */
export const creditListsNow = <List extends string>(entries: readonly CreditListEntry<List>[]): List[] =>
  entries.filter((entry) => entry.removedOn === "").map((entry) => entry.list);

/** The lists the holder was on on `date`: entered on or before it and not removed by then. */
export const creditListsOn = <List extends string>(
  entries: readonly Pick<CreditListEntry<List>, "list" | "enteredOn" | "removedOn">[],
  date: string,
): List[] => [
  ...new Set(
    entries
      .filter((entry) => entry.enteredOn <= date && (entry.removedOn === "" || entry.removedOn > date))
      .map((entry) => entry.list),
  ),
];

export interface CreditListHolder<List extends string> {
  creditCode: string;
  creditListEntries: readonly CreditListEntry<List>[];
}

export interface CreditListDeciders<Holder, Event> {
  enter: (command: EnterCreditList, holder: Holder, actor: { subject: string }, now: Date) => Event;
  remove: (command: RemoveFromCreditList, holder: Holder, actor: { subject: string }, now: Date) => Event;
}

/**
 * The entering and removing deciders of one register. `refuseEntry` throws when the holder
 * itself may not enter a list yet; it runs once the command is valid, before the one-entry check.
 */
export function creditListDeciders<
  List extends string,
  Holder extends CreditListHolder<List>,
  Event,
>(register: {
  rules: CreditListRules<List>;
  entered: (data: CreditListEnteredData<List>) => Event;
  removed: (data: CreditListRemovedData<List>) => Event;
  refuseEntry?: (holder: Holder) => void;
}): CreditListDeciders<Holder, Event> {
  return {
    enter(command, holder, actor, now) {
      const entry = checkedCreditListEntry(command, register.rules, now);
      register.refuseEntry?.(holder);
      refuseSecondEntry(holder.creditListEntries, entry, holder.creditCode);
      return register.entered({
        creditCode: holder.creditCode,
        ...entry,
        by: actor.subject,
        at: now.toISOString(),
      });
    },
    remove(command, holder, actor, now) {
      const removal = checkedCreditListRemoval(command, register.rules, now);
      refuseRemovalWithoutEntry(holder.creditListEntries, removal, holder.creditCode);
      return register.removed({
        creditCode: holder.creditCode,
        ...removal,
        by: actor.subject,
        at: now.toISOString(),
      });
    },
  };
}
