import type { AggregateRepository } from "@civic/event-log";
import { type Caller, InvalidArgumentError } from "@civic/service-kit";
import type { CaseEvent, CaseState } from "../domain/case.js";
import type { CaseCategoryCatalogue } from "../domain/case-categories.js";
import { decideSubmitCase, type SubmitCase } from "../domain/submit-case.js";
import { type CaseView, toCaseView } from "./case-view.js";

export type SubmitCaseInput = Omit<SubmitCase, "caseId" | "submittedBy" | "submittedAt">;

/** Use cases of case intake: submit a case, read one back. */
export class CaseIntake {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly catalogue: CaseCategoryCatalogue,
    private readonly geography: { exists(areaId: string): Promise<boolean> },
    private readonly newCaseId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async submit(input: SubmitCaseInput, caller: Caller): Promise<CaseView> {
    const command: SubmitCase = {
      ...input,
      caseId: this.newCaseId(),
      submittedBy: caller.subject,
      submittedAt: this.now(),
    };
    if (input.areaId.trim() !== "" && !(await this.geography.exists(input.areaId.trim()))) {
      throw new InvalidArgumentError([
        { field: "areaId", description: `${input.areaId} is not a known area` },
      ]);
    }
    const { state, version } = await this.cases.create(command.caseId, (initial) =>
      decideSubmitCase(command, initial, this.catalogue),
    );
    return toCaseView(state, version, command.caseId);
  }

  async get(caseId: string): Promise<CaseView> {
    const { state, version } = await this.cases.load(caseId);
    return toCaseView(state, version, caseId);
  }
}
