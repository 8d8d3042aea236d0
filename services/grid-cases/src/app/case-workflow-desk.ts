import { type Caller, InvalidArgumentError, NotFoundError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import type { CaseEvent, CaseState } from "../domain/case.js";
import { type CaseCommand, decideCaseTransition } from "../domain/case-lifecycle.js";
import type { SlaClock } from "../domain/sla.js";
import { type CaseView, toCaseView } from "./case-view.js";

/** Moves cases through their lifecycle on behalf of a caller. */
export class CaseWorkflowDesk {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly sla: SlaClock,
    private readonly departments: { departmentExists(departmentId: string): Promise<boolean> },
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
    const { state, version } = await this.cases.execute(
      caseId,
      (current) => {
        if (current.status === "none") throw new NotFoundError("case", caseId);
        return decideCaseTransition(command, current, caller, this.now(), this.sla);
      },
      expectedVersion,
    );
    return toCaseView(state, version, caseId);
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
