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
import { coveringItem, type PublishedDutyList } from "./duty-list.js";

/**
 * Work handed down to a community by a department or the street (a 下派事项), checked against
 * the duty list that applies to the community: covered by a duty item it is accepted; not
 * covered it is refused ("清单之外无权责") unless funds travel with it (费随事转), and then it
 * is accepted with the transfer recorded. A refusal is stored too: the duty report counts it.
 */
export interface FundsTransfer {
  amountFen: number;
  payingDepartmentId: string;
  budgetItem: string;
  documentReference: string;
}

export type TaskIssuer = { kind: "department" | "street"; id: string };

export interface DutyListReference {
  areaId: string;
  version: number;
}

interface HandedTask {
  taskId: string;
  /** The community. */
  areaId: string;
  title: string;
  description: string;
  taskKind: string;
  caseCategoryCode: string;
  issuer: TaskIssuer;
  /** The list checked; absent when none applied. */
  dutyList?: DutyListReference;
  by: string;
  at: string;
}

export type CommunityTaskEvent =
  | {
      type: "community_task.accepted";
      data: HandedTask & {
        basis: "within_list" | "with_funds";
        dutyItemCode: string;
        fundsTransfer?: FundsTransfer;
      };
    }
  | { type: "community_task.refused"; data: HandedTask & { refusal: string } };

export type CommunityTaskStatus = "accepted_within_list" | "accepted_with_funds" | "refused";

export interface CommunityTask extends Omit<HandedTask, "areaId"> {
  status: CommunityTaskStatus;
  communityId: string;
  dutyItemCode: string;
  refusal: string;
  fundsTransfer?: FundsTransfer;
}

export type CommunityTaskState = { status: "none" } | CommunityTask;

export const initialCommunityTaskState = (): CommunityTaskState => ({ status: "none" });

export function evolveCommunityTask(
  _state: CommunityTaskState,
  event: CommunityTaskEvent,
): CommunityTaskState {
  const { areaId, ...handed } = event.data;
  if (event.type === "community_task.refused") {
    return {
      ...handed,
      communityId: areaId,
      status: "refused",
      dutyItemCode: "",
      refusal: event.data.refusal,
    };
  }
  const { basis, dutyItemCode, fundsTransfer } = event.data;
  return {
    ...handed,
    communityId: areaId,
    status: basis === "within_list" ? "accepted_within_list" : "accepted_with_funds",
    dutyItemCode,
    refusal: "",
    ...(fundsTransfer ? { fundsTransfer } : {}),
  };
}

export interface HandCommunityTask {
  taskId: string;
  communityId: string;
  title: string;
  description: string;
  taskKind: string;
  caseCategoryCode: string;
  fundsTransfer?: FundsTransfer;
}

/** Who hands tasks to a community: department staff (for their department) and the street's staff. */
export function issuerOf(caller: Caller, communityId: string): TaskIssuer {
  if (hasAnyRole(caller, [roles.departmentStaff]) && caller.department) {
    return { kind: "department", id: caller.department };
  }
  if (hasAnyRole(caller, [roles.streetStaff]) && AreaCode.anyCovers(caller.areas, communityId)) {
    return { kind: "street", id: AreaCode.at(communityId, "street") };
  }
  throw new PermissionDeniedError(
    `tasks are handed to ${communityId} by department staff or the staff of its street`,
  );
}

const maxTransferFen = 1_000_000_000_000;

/**
 * The command's field violations, together: a community code, title, a task kind, a known
 * case category when one is named, and a complete transfer of funds when one is given.
 */
export function checkHandCommunityTask(
  command: HandCommunityTask,
  known: { isCategory: (code: string) => boolean },
): FieldChecks {
  const checks = new FieldChecks()
    .check(
      "communityId",
      AreaCode.is(command.communityId, "community"),
      "must be a community code (12 digits)",
    )
    .text("title", command.title, { max: 200 })
    .text("description", command.description, { max: 2_000, optional: true })
    .check(
      "taskKind",
      isCatalogueCode(command.taskKind.trim()),
      "must be a lowercase code such as population-statistics",
    )
    .check(
      "caseCategoryCode",
      command.caseCategoryCode === "" || known.isCategory(command.caseCategoryCode.trim()),
      "must be empty or a category of the newest case-category catalogue",
    );
  const transfer = command.fundsTransfer;
  if (transfer) {
    checks
      .check(
        "fundsTransfer.amountFen",
        Number.isSafeInteger(transfer.amountFen) &&
          transfer.amountFen > 0 &&
          transfer.amountFen <= maxTransferFen,
        "must be a whole number of fen, more than 0 (at most 10,000,000,000 yuan)",
      )
      .check(
        "fundsTransfer.payingDepartmentId",
        isCatalogueCode(transfer.payingDepartmentId.trim()),
        "must be a department id such as civil-affairs",
      )
      .text("fundsTransfer.budgetItem", transfer.budgetItem, { max: 200 })
      .text("fundsTransfer.documentReference", transfer.documentReference, { max: 200 });
  }
  return checks;
}

/**
 * Decides a task handed to a community against `dutyList` (the list that applies to it, if
 * any): accepted within the list when an item covers it, accepted with funds when it carries a
 * transfer, refused naming the rule otherwise. The command is checked by
 * {@link checkHandCommunityTask} first.
 */
export function decideHandCommunityTask(
  state: CommunityTaskState,
  command: HandCommunityTask,
  context: { issuer: TaskIssuer; dutyList: PublishedDutyList | undefined; by: string; at: Date },
): CommunityTaskEvent {
  if (state.status !== "none")
    throw new AlreadyExistsError(`community task ${command.taskId} already exists`);
  const { dutyList } = context;
  const handed: HandedTask = {
    taskId: command.taskId,
    areaId: command.communityId,
    title: command.title.trim(),
    description: command.description.trim(),
    taskKind: command.taskKind.trim(),
    caseCategoryCode: command.caseCategoryCode.trim(),
    issuer: context.issuer,
    ...(dutyList ? { dutyList: { areaId: dutyList.areaId, version: dutyList.version } } : {}),
    by: context.by,
    at: context.at.toISOString(),
  };
  const item = dutyList && coveringItem(dutyList, handed);
  const transfer = command.fundsTransfer && trimTransfer(command.fundsTransfer);
  if (item) {
    return {
      type: "community_task.accepted",
      data: {
        ...handed,
        basis: "within_list",
        dutyItemCode: item.code,
        ...(transfer ? { fundsTransfer: transfer } : {}),
      },
    };
  }
  if (transfer) {
    return {
      type: "community_task.accepted",
      data: { ...handed, basis: "with_funds", dutyItemCode: "", fundsTransfer: transfer },
    };
  }
  return { type: "community_task.refused", data: { ...handed, refusal: refusalRule(handed, dutyList) } };
}

/** The rule that refuses a task outside the list, in words for the caller and the record. */
function refusalRule(task: HandedTask, dutyList: PublishedDutyList | undefined): string {
  const what =
    task.caseCategoryCode === ""
      ? `task kind ${task.taskKind}`
      : `task kind ${task.taskKind} or case category ${task.caseCategoryCode}`;
  const list = dutyList
    ? `no item of the duty list of ${dutyList.areaId} (version ${dutyList.version}) covers ${what}`
    : `no duty list applies to community ${task.areaId}, so nothing is within it`;
  return `清单之外无权责: ${list}; work outside the list is accepted only with a transfer of funds (费随事转)`;
}

function trimTransfer(transfer: FundsTransfer): FundsTransfer {
  return {
    amountFen: transfer.amountFen,
    payingDepartmentId: transfer.payingDepartmentId.trim(),
    budgetItem: transfer.budgetItem.trim(),
    documentReference: transfer.documentReference.trim(),
  };
}

/**
 * Whether `caller` may read tasks of `communityId` (issued by `issuer` when one task is read):
 * the command centre and platform admins; community and street staff of the community; staff
 * of the department that handed the task.
 */
export function mayReadCommunityTasks(caller: Caller, communityId: string, issuer?: TaskIssuer): boolean {
  if (hasAnyRole(caller, [roles.commandCentre, roles.platformAdmin])) return true;
  if (
    hasAnyRole(caller, [roles.communityStaff, roles.streetStaff]) &&
    AreaCode.anyCovers(caller.areas, communityId)
  )
    return true;
  return (
    issuer?.kind === "department" &&
    hasAnyRole(caller, [roles.departmentStaff]) &&
    caller.department === issuer.id
  );
}
