import type { AggregateRepository } from "@civic/event-log";
import { type Caller, NotFoundError } from "@civic/service-kit";
import type { CaseEvent, CaseState, SubmittedCase } from "../domain/case.js";
import { decideSubmitCase, type SubmitCase } from "../domain/submit-case.js";

export type SubmitCaseInput = Omit<SubmitCase, "caseId" | "submittedBy" | "submittedAt">;

export interface CaseView extends SubmittedCase {
  version: number;
}

/** Use cases of case intake: submit a case, read one back. */
export class CaseIntake {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
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
    const { state, version } = await this.cases.create(command.caseId, (initial) =>
      decideSubmitCase(command, initial),
    );
    return toView(state, version, command.caseId);
  }

  async get(caseId: string): Promise<CaseView> {
    const { state, version } = await this.cases.load(caseId);
    return toView(state, version, caseId);
  }
}

function toView(state: CaseState, version: number, caseId: string): CaseView {
  if (state.status === "none") throw new NotFoundError("case", caseId);
  return { ...state, version };
}
