import { type Caller, ConflictError, InvalidArgumentError, NotFoundError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import type { CaseEvent, CaseState } from "../domain/case.js";
import { type CaseCommand, decideCaseTransition } from "../domain/case-lifecycle.js";
import { decideAutoDispatch, type RoutingRule } from "../domain/routing-rules.js";
import type { SlaClock } from "../domain/sla.js";
import { type CaseView, toCaseView } from "./case-view.js";

/** Moves cases through their lifecycle on behalf of a caller. */
export class CaseWorkflowDesk {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly sla: SlaClock,
    private readonly departments: { departmentExists(departmentId: string): Promise<boolean> },
    private readonly data: {
      /** Reads catalogue versions published by other replicas, which deadlines may need. */
      categories: { refresh(): Promise<void> };
      routing: { current(): Promise<{ version: number; rules: RoutingRule[] } | undefined> };
    },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** With `expectedVersion`, a caller who saw an older version gets ABORTED naming the current one. */
  async transition(
    caseId: string,
    command: CaseCommand,
    caller: Caller,
    expectedVersion?: number,
  ): Promise<CaseView> {
    await this.requireKnownDepartments(command);
    if (command.kind === "accept" || command.kind === "extend") await this.data.categories.refresh();
    const { state, version } = await this.cases.execute(
      caseId,
      (current) => {
        if (current.status === "none") throw new NotFoundError("case", caseId);
        return decideCaseTransition(command, current, caller, this.now(), this.sla);
      },
      expectedVersion,
    );
    if (command.kind === "accept" && state.status === "accepted") return this.routeAccepted(caseId);
    return toCaseView(state, version, caseId);
  }

  /**
   * Dispatches a case just accepted when a routing rule matches; with none it waits for a
   * dispatcher. A step someone else took meanwhile wins: the case is left as they left it.
   */
  private async routeAccepted(caseId: string): Promise<CaseView> {
    const rules = await this.data.routing.current();
    try {
      const { state, version } = await this.cases.execute(caseId, (current) =>
        decideAutoDispatch(current, rules, this.now()),
      );
      return toCaseView(state, version, caseId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const { state, version } = await this.cases.load(caseId);
      return toCaseView(state, version, caseId);
    }
  }

  private async requireKnownDepartments(command: CaseCommand): Promise<void> {
    const named =
      command.kind === "dispatch"
        ? [command.departmentId]
        : command.kind === "blow_whistle"
          ? command.departmentIds
          : [];
    for (const [index, departmentId] of named.entries()) {
      if (departmentId.trim() !== "" && !(await this.departments.departmentExists(departmentId.trim()))) {
        const field = command.kind === "dispatch" ? "departmentId" : `departmentIds[${index}]`;
        throw new InvalidArgumentError([
          { field, description: `${departmentId} is not a registered department` },
        ]);
      }
    }
  }
}
