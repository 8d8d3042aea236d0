import {
  AreaCode,
  type Caller,
  FailedPreconditionError,
  FieldChecks,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import {
  type AggregateRepository,
  type PageRequest,
  type ProjectionReader,
  pageOfSnapshots,
} from "@civic/event-log";
import {
  type CommunityTask,
  type CommunityTaskEvent,
  type CommunityTaskState,
  checkHandCommunityTask,
  decideHandCommunityTask,
  type HandCommunityTask,
  issuerOf,
  mayReadCommunityTasks,
} from "../domain/community-task.js";
import { type DutyReportState, type DutyTaskCounts, dutyReportKeyFor } from "../domain/duty-report.js";
import type { AreaDesk } from "./area-desk.js";
import type { CaseCategoryDesk } from "./case-category-desk.js";
import type { DutyListDesk } from "./duty-list-desk.js";

export interface DutyReportView {
  areaId: string;
  period: string;
  total: DutyTaskCounts;
  /** The areas one level below with tasks in the period, in code order. */
  byArea: { areaId: string; counts: DutyTaskCounts }[];
}

/**
 * Use cases of tasks handed to communities: hand one (checked against the community's
 * duty list), read and list them, and read the duty report of an area and period from its
 * projection.
 */
export class CommunityTaskDesk {
  constructor(
    private readonly tasks: AggregateRepository<CommunityTaskState, CommunityTaskEvent>,
    private readonly dutyLists: Pick<DutyListDesk, "applicableTo">,
    private readonly categories: Pick<CaseCategoryDesk, "current">,
    private readonly registry: Pick<AreaDesk, "exists" | "departmentExists">,
    private readonly reports: ProjectionReader<DutyReportState>,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Hands a task to a community. Accepted tasks are returned; a refused one is stored (the
   * report counts refusals) and answered with FAILED_PRECONDITION naming the rule.
   */
  async hand(command: Omit<HandCommunityTask, "taskId">, caller: Caller): Promise<CommunityTask> {
    const catalogue = await this.categories.current();
    const checks = checkHandCommunityTask(
      { ...command, taskId: "" },
      { isCategory: (code) => catalogue.find(code) !== undefined },
    );
    await this.checkPayingDepartment(checks, command);
    checks.throwIfAny();
    const issuer = issuerOf(caller, command.communityId);
    if (!(await this.registry.exists(command.communityId))) {
      throw new NotFoundError("community", command.communityId);
    }
    const dutyList = await this.dutyLists.applicableTo(command.communityId);
    const taskId = this.newId();
    const { state } = await this.tasks.create(taskId, (initial) =>
      decideHandCommunityTask(
        initial,
        { ...command, taskId },
        { issuer, dutyList, by: caller.subject, at: this.now() },
      ),
    );
    const task = state as CommunityTask;
    if (task.status === "refused") {
      const refusal = new FailedPreconditionError(task.refusal, "OUTSIDE_DUTY_LIST");
      refusal.metadata.taskId = task.taskId;
      throw refusal;
    }
    return task;
  }

  async get(taskId: string, caller: Caller): Promise<CommunityTask> {
    new FieldChecks().identifier("taskId", taskId).throwIfAny();
    const { state } = await this.tasks.load(taskId);
    if (state.status === "none") throw new NotFoundError("community task", taskId);
    if (!mayReadCommunityTasks(caller, state.communityId, state.issuer)) {
      throw new PermissionDeniedError(
        `task ${taskId} is for the command centre, the staff of ${state.communityId} and the department that handed it`,
      );
    }
    return state;
  }

  async list(communityId: string, page: PageRequest, caller: Caller) {
    new FieldChecks()
      .check("communityId", AreaCode.is(communityId, "community"), "must be a community code (12 digits)")
      .throwIfAny();
    if (!mayReadCommunityTasks(caller, communityId)) {
      throw new PermissionDeniedError(
        `the tasks of ${communityId} are for the command centre and the staff of the community and its street`,
      );
    }
    const found = await pageOfSnapshots(this.tasks.snapshots, { "state.communityId": communityId }, page);
    return {
      tasks: found.items.map((snapshot) => snapshot.state as CommunityTask),
      nextPageToken: found.nextPageToken,
    };
  }

  async report(areaId: string, period: string, caller: Caller): Promise<DutyReportView> {
    const { state } = await this.reports(dutyReportKeyFor(areaId, period, caller));
    return {
      areaId,
      period,
      total: state.total,
      byArea: Object.entries(state.byArea)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([childId, counts]) => ({ areaId: childId, counts })),
    };
  }

  /** The paying department must be registered (when its id is well formed at all). */
  private async checkPayingDepartment(
    checks: FieldChecks,
    command: Omit<HandCommunityTask, "taskId">,
  ): Promise<void> {
    const field = "fundsTransfer.payingDepartmentId";
    const payer = command.fundsTransfer?.payingDepartmentId.trim();
    if (!payer || checks.violations.some((violation) => violation.field === field)) return;
    if (!(await this.registry.departmentExists(payer))) checks.add(field, "must be a registered department");
  }
}
