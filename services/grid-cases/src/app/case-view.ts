import { NotFoundError } from "@civic/service-kit";
import type { CaseState, OpenCase } from "../domain/case.js";

/** A case as use cases return it: its state and the version that state is at. */
export interface CaseView extends OpenCase {
  version: number;
}

export function toCaseView(state: CaseState, version: number, caseId: string): CaseView {
  if (state.status === "none") throw new NotFoundError("case", caseId);
  return { ...state, version };
}
