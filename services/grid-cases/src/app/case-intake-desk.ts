import { type Caller, InvalidArgumentError, NotFoundError, PermissionDeniedError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import {
  type CaseEvent,
  type CaseState,
  mayReadCaseInFull,
  type OpenCase,
  withoutPersonalDetails,
} from "../domain/case.js";
import type { CaseCategoryCatalogue } from "../domain/case-categories.js";
import { mayReadPossibleDuplicates, possibleDuplicates } from "../domain/duplicate-hint.js";
import { decideSubmitCase, type SubmitCase } from "../domain/submit-case.js";
import { type CaseView, toCaseView } from "./case-view.js";
import type { ReporterContacts } from "./reporter-contacts.js";

export type SubmitCaseInput = Omit<SubmitCase, "caseId" | "submittedBy" | "submittedAt">;

/** Use cases of case intake: submit a case, read one back. */
export class CaseIntakeDesk {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly catalogue: { current(): Promise<CaseCategoryCatalogue> },
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
    const catalogue = await this.catalogue.current();
    const { state, version } = await this.cases.create(command.caseId, (initial) =>
      decideSubmitCase(command, initial, catalogue, this.contacts.seal),
    );
    return toCaseView(state, version, command.caseId);
  }

  /** Open cases that look like `caseId`, for its dispatchers (command centre, the area's community staff). */
  async possibleDuplicates(caseId: string, caller: Caller) {
    const { state } = await this.cases.load(caseId);
    if (state.status === "none") throw new NotFoundError("case", caseId);
    if (!mayReadPossibleDuplicates(state, caller)) {
      throw new PermissionDeniedError("possible duplicates are for the dispatchers of the case's area");
    }
    const candidates = await this.cases.snapshots
      .find({ "state.areaId": state.areaId, "state.categoryCode": state.categoryCode } as never)
      .sort({ _id: -1 })
      .limit(200)
      .toArray();
    const byId = new Map(candidates.map((snapshot) => [snapshot._id, snapshot.state as OpenCase]));
    return possibleDuplicates(state, [...byId.values()], this.now()).map((hint) => ({
      ...hint,
      title: byId.get(hint.caseId)?.title ?? "",
    }));
  }

  /** The case as the caller may see it: in full or without personal details, the phone in full only for those who call back. */
  async get(caseId: string, caller: Caller): Promise<CaseView> {
    const { state, version } = await this.cases.load(caseId);
    const view = toCaseView(state, version, caseId);
    if (state.status === "none") return view;
    if (!mayReadCaseInFull(state, caller)) return toCaseView(withoutPersonalDetails(state), version, caseId);
    return { ...view, reporterPhone: await this.contacts.phoneFor(state, caller) };
  }
}
