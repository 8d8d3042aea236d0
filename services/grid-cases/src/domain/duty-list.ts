import {
  AlreadyExistsError,
  AreaCode,
  type Caller,
  FieldChecks,
  hasAnyRole,
  PermissionDeniedError,
  roles,
} from "@civic/domain-kit";
import { isCatalogueCode } from "./catalogue-code.js";

/**
 * A community duty list (社区权责清单): the duties a community works on, each naming the task
 * kinds and case categories it covers and the rule it rests on. A list belongs to a district,
 * a street or a community and applies to every community at or below it unless a lower area
 * has its own (the most specific wins). Versions never change: a change publishes the next
 * version, whose stream id `<area id>.<version>` is the unique key two concurrent changes race for.
 */
export interface DutyItem {
  code: string;
  name: string;
  taskKinds: string[];
  caseCategoryCodes: string[];
  legalBasis: string;
}

export type DutyListEvent = {
  type: "duty_list.published";
  data: { areaId: string; version: number; items: DutyItem[]; by: string; at: string };
};

export interface PublishedDutyList {
  status: "published";
  areaId: string;
  version: number;
  items: DutyItem[];
  publishedBy: string;
  publishedAt: string;
}

export type DutyListState = { status: "none" } | PublishedDutyList;

export const initialDutyListState = (): DutyListState => ({ status: "none" });

export const evolveDutyList = (_state: DutyListState, event: DutyListEvent): DutyListState => ({
  status: "published",
  areaId: event.data.areaId,
  version: event.data.version,
  items: event.data.items,
  publishedBy: event.data.by,
  publishedAt: event.data.at,
});

/** The stream id of one version of an area's list. */
export const dutyListId = (areaId: string, version: number) => `${areaId}.${version}`;

/** The levels a list may be kept at, from the most specific. */
export const dutyListLevels = ["community", "street", "district"] as const;

export const maxDutyItems = 500;
const maxCoveredPerItem = 100;

/**
 * Who publishes an area's list: platform admins any area's; the command centre and street
 * staff the areas theirs cover (a street's staff its street and its communities).
 */
export function requireDutyListPublisher(caller: Caller, areaId: string): void {
  if (hasAnyRole(caller, [roles.platformAdmin])) return;
  const areaKeeper =
    hasAnyRole(caller, [roles.commandCentre, roles.streetStaff]) && AreaCode.anyCovers(caller.areas, areaId);
  if (!areaKeeper) {
    throw new PermissionDeniedError(
      `the duty list of ${areaId} is published by a platform admin or the command centre or street staff of the area`,
    );
  }
}

/** A district, street or community code, as a field violation of `field` otherwise. */
export function checkDutyListArea(checks: FieldChecks, field: string, areaId: string): FieldChecks {
  return checks.check(
    field,
    AreaCode.is(areaId, ...dutyListLevels),
    "must be the code of a district, street or community",
  );
}

/**
 * Publishes `version` of an area's list: every item valid (named `items[i].<field>`), item
 * codes unique, each case category known to `isCategory`, the version new.
 */
export function decidePublishDutyList(
  state: DutyListState,
  command: {
    areaId: string;
    version: number;
    items: DutyItem[];
    isCategory: (code: string) => boolean;
    by: string;
    at: Date;
  },
): DutyListEvent {
  const items = command.items.map(trimItem);
  const checks = checkDutyListArea(new FieldChecks(), "areaId", command.areaId).check(
    "items",
    items.length > 0 && items.length <= maxDutyItems,
    `must hold 1 to ${maxDutyItems} items`,
  );
  const seenCodes = new Set<string>();
  items.forEach((item, index) => {
    const field = `items[${index}]`;
    checks
      .check(
        `${field}.code`,
        isCatalogueCode(item.code),
        "must be a lowercase code such as elderly-care-visits",
      )
      .check(`${field}.code`, !seenCodes.has(item.code), "repeats another item's code")
      .text(`${field}.name`, item.name, { max: 200 })
      .text(`${field}.legalBasis`, item.legalBasis, { max: 1_000 })
      .check(
        `${field}.taskKinds`,
        item.taskKinds.length + item.caseCategoryCodes.length > 0,
        "an item must cover at least one task kind or case category",
      )
      .check(
        `${field}.taskKinds`,
        item.taskKinds.length <= maxCoveredPerItem,
        `must hold at most ${maxCoveredPerItem} kinds`,
      )
      .check(
        `${field}.caseCategoryCodes`,
        item.caseCategoryCodes.length <= maxCoveredPerItem,
        `must hold at most ${maxCoveredPerItem} codes`,
      );
    seenCodes.add(item.code);
    item.taskKinds.forEach((kind, kindIndex) => {
      checks.check(`${field}.taskKinds[${kindIndex}]`, isCatalogueCode(kind), "must be a lowercase code");
    });
    item.caseCategoryCodes.forEach((code, codeIndex) => {
      checks.check(
        `${field}.caseCategoryCodes[${codeIndex}]`,
        command.isCategory(code),
        "must be a category of the newest case-category catalogue",
      );
    });
  });
  checks.throwIfAny();
  if (state.status !== "none") {
    throw new AlreadyExistsError(`duty list version ${command.version} of ${command.areaId} already exists`);
  }
  return {
    type: "duty_list.published",
    data: {
      areaId: command.areaId,
      version: command.version,
      items,
      by: command.by,
      at: command.at.toISOString(),
    },
  };
}

function trimItem(item: DutyItem): DutyItem {
  return {
    code: item.code.trim(),
    name: item.name.trim(),
    taskKinds: item.taskKinds.map((kind) => kind.trim()),
    caseCategoryCodes: item.caseCategoryCodes.map((code) => code.trim()),
    legalBasis: item.legalBasis.trim(),
  };
}

/** The areas whose lists could apply to a community, most specific first: it, its street, its district. */
export const dutyListAreasOf = (communityId: string): string[] => [
  communityId,
  AreaCode.at(communityId, "street"),
  AreaCode.at(communityId, "district"),
];

/** The list that applies: the first (most specific) of the newest lists of `dutyListAreasOf`. */
export function applicableDutyList(
  newestByArea: readonly (PublishedDutyList | undefined)[],
): PublishedDutyList | undefined {
  return newestByArea.find((list) => list !== undefined);
}

/** The first item of `list` that covers a task of `taskKind` (or about cases of `caseCategoryCode`). */
export function coveringItem(
  list: PublishedDutyList,
  task: { taskKind: string; caseCategoryCode: string },
): DutyItem | undefined {
  return list.items.find(
    (item) =>
      item.taskKinds.includes(task.taskKind) ||
      (task.caseCategoryCode !== "" && item.caseCategoryCodes.includes(task.caseCategoryCode)),
  );
}
