import type { AggregateRepository } from "@civic/event-log";
import { type Caller, InvalidArgumentError } from "@civic/service-kit";
import type { CaseEvent, CaseState } from "../domain/case.js";
import type { CaseCategoryCatalogue } from "../domain/case-categories.js";
import { decideSubmitCase, type SubmitCase } from "../domain/submit-case.js";
import { type CaseView, toCaseView } from "./case-view.js";
import type { ReporterContacts } from "./reporter-contacts.js";

export type SubmitCaseInput = Omit<SubmitCase, "caseId" | "submittedBy" | "submittedAt">;

/** Use cases of case intake: submit a case, read one back. */
export class CaseIntake {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly catalogue: CaseCategoryCatalogue,
    private readonly geography: { exists(areaId: string): Promise<boolean> },
    private readonly contacts: Pick<ReporterContacts, "seal" | "phoneFor">,
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
      decideSubmitCase(command, initial, this.catalogue, this.contacts.seal),
    );
    return toCaseView(state, version, command.caseId);
  }

  /** The case as the caller may see it: the reporter's phone in full only for those who call back. */
  async get(caseId: string, caller: Caller): Promise<CaseView> {
    const { state, version } = await this.cases.load(caseId);
    const view = toCaseView(state, version, caseId);
    if (state.status === "none") return view;
    return { ...view, reporterPhone: await this.contacts.phoneFor(state, caller) };
  }
}
