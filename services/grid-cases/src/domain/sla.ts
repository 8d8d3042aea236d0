import { InvalidArgumentError } from "@civic/domain-kit";
import type { RequestType } from "./case.js";
import type { CaseCategoryLookup } from "./case-categories.js";
import type { WorkingDayCounter } from "./working-calendar.js";

/** How fast a case must be handled. Hours are clock hours; days are working days. */
export interface SlaPolicy {
  name: string;
  contactWithinHours?: number;
  onSiteWithinHours?: number;
  resolveWithinWorkingDays: number;
  maxExtensions: number;
  extensionWorkingDays: number;
}

/**
 * Seed 001 (Zhongshan 12345): urgent orders 1 h to contact, 2 h on site, 3 working days
 * to finish; consultation, suggestion and praise within 3 working days; one extension.
 * The standard policy for other cases is configuration; 10 working days by default.
 */
export const defaultSlaPolicies = {
  urgent: {
    name: "urgent",
    contactWithinHours: 1,
    onSiteWithinHours: 2,
    resolveWithinWorkingDays: 3,
    maxExtensions: 1,
    extensionWorkingDays: 3,
  },
  quick: { name: "quick", resolveWithinWorkingDays: 3, maxExtensions: 1, extensionWorkingDays: 3 },
  standard: { name: "standard", resolveWithinWorkingDays: 10, maxExtensions: 1, extensionWorkingDays: 5 },
} satisfies Record<string, SlaPolicy>;

export type SlaPolicies = { urgent: SlaPolicy; quick: SlaPolicy; standard: SlaPolicy };

const quickRequestTypes: RequestType[] = ["consultation", "suggestion", "praise"];

export const deadlineKinds = ["contact", "on_site", "resolve"] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];

/** The deadlines of one case, fixed when it is accepted (ISO 8601 instants). */
export interface CaseDeadlines {
  policy: string;
  contact?: string;
  on_site?: string;
  resolve: string;
}

/** Computes deadlines from the catalogue, the policies and the working calendar. */
export class SlaClock {
  constructor(
    private readonly catalogue: CaseCategoryLookup,
    private readonly calendar: WorkingDayCounter,
    private readonly policies: SlaPolicies = defaultSlaPolicies,
  ) {}

  /** The policy of a case filed under `categoryVersion` of the catalogue (1 for cases filed before versions were kept). */
  policyFor(categoryCode: string, requestType: RequestType, categoryVersion = 1): SlaPolicy {
    const category = this.catalogue.find(categoryCode, categoryVersion);
    if (!category) {
      throw new InvalidArgumentError([
        { field: "categoryCode", description: `${categoryCode} is not in the catalogue` },
      ]);
    }
    if (category.urgency === "urgent") return this.policies.urgent;
    return quickRequestTypes.includes(requestType) ? this.policies.quick : this.policies.standard;
  }

  deadlines(
    categoryCode: string,
    requestType: RequestType,
    acceptedAt: Date,
    categoryVersion = 1,
  ): CaseDeadlines {
    const policy = this.policyFor(categoryCode, requestType, categoryVersion);
    const hoursLater = (hours: number) => new Date(acceptedAt.getTime() + hours * 3_600_000).toISOString();
    return {
      policy: policy.name,
      ...(policy.contactWithinHours ? { contact: hoursLater(policy.contactWithinHours) } : {}),
      ...(policy.onSiteWithinHours ? { on_site: hoursLater(policy.onSiteWithinHours) } : {}),
      resolve: this.calendar.workingDaysAfter(acceptedAt, policy.resolveWithinWorkingDays).toISOString(),
    };
  }

  /** The resolve deadline after one more extension, or undefined when none is left. */
  extendedResolve(
    categoryCode: string,
    requestType: RequestType,
    resolveBy: string,
    extensionsSoFar: number,
    categoryVersion = 1,
  ) {
    const policy = this.policyFor(categoryCode, requestType, categoryVersion);
    if (extensionsSoFar >= policy.maxExtensions) return undefined;
    // Working days are counted from the old deadline's last working day.
    const lastDay = new Date(Date.parse(resolveBy) - 1);
    return this.calendar.workingDaysAfter(lastDay, policy.extensionWorkingDays).toISOString();
  }
}
