import { NotFoundError } from "@civic/domain-kit";
import type { CaseState, OpenCase } from "../domain/case.js";

/** A case as use cases return it: its state, its version, and the phone as the caller may see it. */
export interface CaseView extends Omit<OpenCase, "reporterPhoneSealed"> {
  version: number;
  reporterPhone: string;
}

export function toCaseView(state: CaseState, version: number, caseId: string): CaseView {
  if (state.status === "none") throw new NotFoundError("case", caseId);
  const { reporterPhoneSealed: _sealed, ...shown } = state;
  return { ...shown, version, reporterPhone: state.reporterPhoneMasked };
}
