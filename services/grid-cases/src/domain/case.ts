/** Vocabulary and state of a grid case, free of any transport or storage concern. */

export const channels = [
  "hotline_12345",
  "app",
  "grid_patrol",
  "party_visit",
  "deliberation",
  "walk_in",
] as const;
export type Channel = (typeof channels)[number];

/** The six request types of the 12345 hotline standards. */
export const requestTypes = ["consultation", "help", "complaint", "report", "suggestion", "praise"] as const;
export type RequestType = (typeof requestTypes)[number];

export interface CaseSubmittedData {
  caseId: string;
  channel: Channel;
  requestType: RequestType;
  categoryCode: string;
  title: string;
  description: string;
  areaId: string;
  address: string;
  reporterName: string;
  submittedBy: string;
  /** ISO 8601 instant. */
  submittedAt: string;
}

export type CaseEvent = { type: "case.submitted"; data: CaseSubmittedData };

export type SubmittedCase = CaseSubmittedData & { status: "submitted" };

export type CaseState = { status: "none" } | SubmittedCase;

export const initialCaseState = (): CaseState => ({ status: "none" });

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case "case.submitted":
      return { status: "submitted", ...event.data };
    default:
      return state;
  }
}
