import {
  AlreadyExistsError,
  chinaDate,
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
} from "@civic/domain-kit";
import { isOrganisationAreaCode } from "./area-code.js";
import { dateOrToday } from "./calendar-date.js";
import { creditCodeProblem } from "./credit-code.js";
import {
  type CreditListEnteredData,
  type CreditListEntry,
  type CreditListRemovedData,
  creditListDeciders,
  creditListsNow,
  withCreditListEntered,
  withCreditListRemoved,
} from "./credit-list.js";

export const legalForms = [
  "social_group",
  "private_non_enterprise_unit",
  "foundation",
  "community_organisation",
] as const;
export type LegalForm = (typeof legalForms)[number];

export const organisationCategories = [
  "charity",
  "social_affairs",
  "community_service",
  "culture_and_sports",
] as const;
export type OrganisationCategory = (typeof organisationCategories)[number];

export const organisationStatuses = [
  "filed",
  "registered",
  "active",
  "suspended",
  "deregistered",
  "revoked",
] as const;
export type OrganisationStatus = (typeof organisationStatuses)[number];

export const creditLists = ["abnormal_activity", "serious_illegality"] as const;
export type CreditList = (typeof creditLists)[number];

export const annualReportResults = ["qualified", "basically_qualified", "unqualified"] as const;
export type AnnualReportResult = (typeof annualReportResults)[number];

export interface StatusChange {
  status: OrganisationStatus;
  reason: string;
  effectiveOn: string;
  recordedAt: string;
  recordedBy: string;
}

export interface AnnualReport {
  year: number;
  result: AnnualReportResult;
  note: string;
  recordedAt: string;
}

export interface Organisation {
  status: OrganisationStatus;
  creditCode: string;
  name: string;
  legalForm: LegalForm;
  category: OrganisationCategory;
  areaId: string;
  statusHistory: StatusChange[];
  creditListEntries: CreditListEntry<CreditList>[];
  annualReports: AnnualReport[];
  partyBranchCovered: boolean;
}

export type OrganisationState = { status: "none" } | Organisation;

interface Stamp {
  by: string;
  at: string;
}

export type OrganisationEvent =
  | {
      type: "organisation.registered";
      data: {
        creditCode: string;
        name: string;
        legalForm: LegalForm;
        category: OrganisationCategory;
        areaId: string;
        filedOn: string;
      } & Stamp;
    }
  | {
      type: "organisation.status_changed";
      data: {
        creditCode: string;
        from: OrganisationStatus;
        to: OrganisationStatus;
        reason: string;
        effectiveOn: string;
      } & Stamp;
    }
  | {
      type: "organisation.credit_list_entered";
      data: CreditListEnteredData<CreditList>;
    }
  | {
      type: "organisation.credit_list_removed";
      data: CreditListRemovedData<CreditList>;
    }
  | {
      type: "organisation.annual_report_recorded";
      data: { creditCode: string; year: number; result: AnnualReportResult; note: string } & Stamp;
    }
  | {
      type: "organisation.party_branch_coverage_set";
      data: { creditCode: string; covered: boolean } & Stamp;
    };

export const initialOrganisationState = (): OrganisationState => ({ status: "none" });

export function evolveOrganisation(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  if (event.type === "organisation.registered") {
    const { creditCode, name, legalForm, category, areaId, filedOn, by, at } = event.data;
    return {
      status: "filed",
      creditCode,
      name,
      legalForm,
      category,
      areaId,
      statusHistory: [{ status: "filed", reason: "", effectiveOn: filedOn, recordedAt: at, recordedBy: by }],
      creditListEntries: [],
      annualReports: [],
      partyBranchCovered: false,
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "organisation.status_changed": {
      const { to, reason, effectiveOn, by, at } = event.data;
      return {
        ...state,
        status: to,
        statusHistory: [
          ...state.statusHistory,
          { status: to, reason, effectiveOn, recordedAt: at, recordedBy: by },
        ],
      };
    }
    case "organisation.credit_list_entered":
      return { ...state, creditListEntries: withCreditListEntered(state.creditListEntries, event.data) };
    case "organisation.credit_list_removed":
      return { ...state, creditListEntries: withCreditListRemoved(state.creditListEntries, event.data) };
    case "organisation.annual_report_recorded": {
      const { year, result, note, at } = event.data;
      return { ...state, annualReports: [...state.annualReports, { year, result, note, recordedAt: at }] };
    }
    case "organisation.party_branch_coverage_set":
      return { ...state, partyBranchCovered: event.data.covered };
  }
}

/** The lists an organisation is on now. */
export function currentCreditLists(organisation: Organisation): CreditList[] {
  return creditListsNow(organisation.creditListEntries);
}

/** Civil-affairs legal forms and the first two characters their codes must have. */
const codePrefixByLegalForm: Partial<Record<LegalForm, string>> = {
  social_group: "51",
  private_non_enterprise_unit: "52",
  foundation: "53",
};

export interface RegisterOrganisation {
  creditCode: string;
  name: string;
  legalForm: string;
  category: string;
  areaId: string;
  filedOn: string;
}

export function decideRegisterOrganisation(
  command: RegisterOrganisation,
  state: OrganisationState,
  actor: { subject: string },
  now: Date,
): OrganisationEvent {
  const checks = new FieldChecks();
  const codeProblem = creditCodeProblem(command.creditCode);
  if (codeProblem) checks.add("creditCode", codeProblem);
  const legalForm = command.legalForm as LegalForm;
  checks.text("name", command.name, { max: 100 }).oneOf("legalForm", legalForm, legalForms);
  const expectedPrefix = codePrefixByLegalForm[legalForm];
  if (!codeProblem && expectedPrefix && !command.creditCode.startsWith(expectedPrefix)) {
    checks.add(
      "creditCode",
      `a ${legalForm.replaceAll("_", " ")} registered with civil affairs has a code starting ${expectedPrefix}`,
    );
  }
  const filedOn = dateOrToday(command.filedOn, now);
  checks
    .oneOf("category", command.category, organisationCategories)
    .check("areaId", isOrganisationAreaCode(command.areaId), "must be a district, street or community code")
    .check("filedOn", filedOn !== undefined, "must be a date YYYY-MM-DD")
    .throwIfAny();
  const name = command.name.trim();
  if (state.status !== "none") {
    throw new AlreadyExistsError(
      `an organisation with credit code ${command.creditCode} is already registered`,
      "CREDIT_CODE_TAKEN",
    );
  }
  return {
    type: "organisation.registered",
    data: {
      creditCode: command.creditCode,
      name,
      legalForm,
      category: command.category as OrganisationCategory,
      areaId: command.areaId,
      filedOn: filedOn as string,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export const statusActions = [
  "approve_registration",
  "activate",
  "suspend",
  "resume",
  "deregister",
  "revoke",
] as const;
export type StatusAction = (typeof statusActions)[number];

/** Each action: the statuses it applies to, where it leads, and whether it needs a reason. */
const statusTransitions: Record<
  StatusAction,
  { from: readonly OrganisationStatus[]; to: OrganisationStatus; needsReason: boolean }
> = {
  approve_registration: { from: ["filed"], to: "registered", needsReason: false },
  activate: { from: ["registered"], to: "active", needsReason: false },
  suspend: { from: ["active"], to: "suspended", needsReason: true },
  resume: { from: ["suspended"], to: "active", needsReason: false },
  deregister: { from: ["active", "suspended"], to: "deregistered", needsReason: true },
  revoke: { from: ["active", "suspended"], to: "revoked", needsReason: true },
};

export interface ChangeStatus {
  action: string;
  reason: string;
  effectiveOn: string;
}

export function decideChangeStatus(
  command: ChangeStatus,
  state: Organisation,
  actor: { subject: string },
  now: Date,
): OrganisationEvent {
  const transition = statusTransitions[command.action as StatusAction];
  const checks = new FieldChecks().oneOf("action", command.action, statusActions);
  const reason = command.reason.trim();
  if (transition?.needsReason && reason === "") checks.add("reason", `is required to ${command.action}`);
  const effectiveOn = dateOrToday(command.effectiveOn, now);
  checks
    .text("reason", reason, { max: 500, optional: true })
    .check("effectiveOn", effectiveOn !== undefined, "must be a date YYYY-MM-DD")
    .throwIfAny();
  if (!transition.from.includes(state.status)) {
    throw new FailedPreconditionError(
      `cannot ${command.action.replaceAll("_", " ")} an organisation that is ${state.status}` +
        ` (only when ${transition.from.join(" or ")})`,
      "ILLEGAL_STATUS_TRANSITION",
    );
  }
  const latest = state.statusHistory.at(-1)?.effectiveOn ?? "";
  if ((effectiveOn as string) < latest) {
    throw new InvalidArgumentError([
      { field: "effectiveOn", description: `must not be before the last change, ${latest}` },
    ]);
  }
  if ((effectiveOn as string) > chinaDate(now)) {
    throw new InvalidArgumentError([{ field: "effectiveOn", description: "must not be in the future" }]);
  }
  return {
    type: "organisation.status_changed",
    data: {
      creditCode: state.creditCode,
      from: state.status,
      to: transition.to,
      reason,
      effectiveOn: effectiveOn as string,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** Statuses in which an organisation is a legal person the lists and reports apply to. */
const supervisedStatuses: readonly OrganisationStatus[] = [
  "registered",
  "active",
  "suspended",
  "revoked",
  "deregistered",
];

/** Entering an organisation on a credit list and removing it; dates after today are accepted. */
export const organisationCreditListDeciders = creditListDeciders<CreditList, Organisation, OrganisationEvent>(
  {
    rules: { lists: creditLists, refusesFutureDates: false },
    entered: (data) => ({ type: "organisation.credit_list_entered", data }),
    removed: (data) => ({ type: "organisation.credit_list_removed", data }),
    refuseEntry(organisation) {
      if (!supervisedStatuses.includes(organisation.status)) {
        throw new FailedPreconditionError(
          `an organisation that is ${organisation.status} is not yet on the register's credit lists`,
          "NOT_YET_REGISTERED",
        );
      }
    },
  },
);
export const decideEnterCreditList = organisationCreditListDeciders.enter;
export const decideRemoveFromCreditList = organisationCreditListDeciders.remove;

export function decideRecordAnnualReport(
  command: { year: number; result: string; note: string },
  state: Organisation,
  actor: { subject: string },
  now: Date,
): OrganisationEvent {
  const thisYear = Number(now.toISOString().slice(0, 4));
  new FieldChecks()
    .check(
      "year",
      Number.isInteger(command.year) && command.year >= 2000 && command.year < thisYear,
      `must be a past year, 2000 to ${thisYear - 1}`,
    )
    .oneOf("result", command.result, annualReportResults)
    .text("note", command.note, { max: 1000, optional: true })
    .throwIfAny();
  const note = command.note.trim();
  if (!supervisedStatuses.includes(state.status)) {
    throw new FailedPreconditionError(
      `an organisation that is ${state.status} files no annual report yet`,
      "NOT_YET_REGISTERED",
    );
  }
  if (state.annualReports.some((report) => report.year === command.year)) {
    throw new FailedPreconditionError(
      `the annual report of ${command.year} is already recorded`,
      "ANNUAL_REPORT_RECORDED",
    );
  }
  return {
    type: "organisation.annual_report_recorded",
    data: {
      creditCode: state.creditCode,
      year: command.year,
      result: command.result as AnnualReportResult,
      note,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** Undefined when the coverage is already as asked: nothing to record. */
export function decideSetPartyBranchCoverage(
  covered: boolean,
  state: Organisation,
  actor: { subject: string },
  now: Date,
): OrganisationEvent | undefined {
  if (state.partyBranchCovered === covered) return undefined;
  return {
    type: "organisation.party_branch_coverage_set",
    data: { creditCode: state.creditCode, covered, by: actor.subject, at: now.toISOString() },
  };
}
