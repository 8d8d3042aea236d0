import { AlreadyExistsError, FieldChecks } from "@civic/domain-kit";
import { isOrganisationAreaCode } from "./area-code.js";
import { pastDate } from "./calendar-date.js";
import { creditCodeProblem } from "./credit-code.js";
import {
  type CreditListEnteredData,
  type CreditListEntry,
  type CreditListRemovedData,
  creditListDeciders,
  creditListsOn,
  withCreditListEntered,
  withCreditListRemoved,
} from "./credit-list.js";

/**
 * The caring-enterprise directory (爱心企业名录): enterprises that give money, goods and
 * volunteer hours to the community, their recognitions, the market-regulation credit lists
 * they may be on, and a credit evaluation computed from all of it (creditEvaluation below).
 */

interface Stamp {
  by: string;
  at: string;
}

export const donationKinds = ["money", "goods", "volunteer_hours"] as const;
export type DonationKind = (typeof donationKinds)[number];

/** Market regulation's lists: 经营异常名录 and 严重违法失信名单. */
export const enterpriseCreditLists = ["abnormal_operation", "serious_illegality"] as const;
export type EnterpriseCreditList = (typeof enterpriseCreditLists)[number];

export interface Donation {
  donationId: string;
  kind: DonationKind;
  /** Money given, in fen (kind money), else 0. */
  amountFen: number;
  /** What was given (kind goods), else "". */
  description: string;
  /** The goods' estimated value in fen (kind goods), else 0. */
  estimatedValueFen: number;
  /** Whole hours of volunteering by the enterprise's staff (kind volunteer_hours), else 0. */
  volunteerHours: number;
  /** Who received it (a community, project or organisation), free text; may be "". */
  recipient: string;
  donatedOn: string;
}

export interface Recognition {
  title: string;
  awardedOn: string;
  issuer: string;
}

export interface CaringEnterprise {
  status: "listed";
  creditCode: string;
  name: string;
  areaId: string;
  listedOn: string;
  donations: Donation[];
  recognitions: Recognition[];
  creditListEntries: CreditListEntry<EnterpriseCreditList>[];
}

export type CaringEnterpriseState = { status: "none" } | CaringEnterprise;

export type CaringEnterpriseEvent =
  | {
      type: "enterprise.listed";
      data: { creditCode: string; name: string; areaId: string; listedOn: string } & Stamp;
    }
  | { type: "enterprise.donation_recorded"; data: { creditCode: string } & Donation & Stamp; id: string }
  | { type: "enterprise.recognised"; data: { creditCode: string } & Recognition & Stamp }
  | {
      type: "enterprise.credit_list_entered";
      data: CreditListEnteredData<EnterpriseCreditList>;
    }
  | {
      type: "enterprise.credit_list_removed";
      data: CreditListRemovedData<EnterpriseCreditList>;
    };

export const initialCaringEnterpriseState = (): CaringEnterpriseState => ({ status: "none" });

export function evolveCaringEnterprise(
  state: CaringEnterpriseState,
  event: CaringEnterpriseEvent,
): CaringEnterpriseState {
  if (event.type === "enterprise.listed") {
    const { creditCode, name, areaId, listedOn } = event.data;
    return {
      status: "listed",
      creditCode,
      name,
      areaId,
      listedOn,
      donations: [],
      recognitions: [],
      creditListEntries: [],
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "enterprise.donation_recorded": {
      const { creditCode: _code, by: _by, at: _at, ...donation } = event.data;
      return { ...state, donations: [...state.donations, donation] };
    }
    case "enterprise.recognised": {
      const { title, awardedOn, issuer } = event.data;
      return { ...state, recognitions: [...state.recognitions, { title, awardedOn, issuer }] };
    }
    case "enterprise.credit_list_entered":
      return { ...state, creditListEntries: withCreditListEntered(state.creditListEntries, event.data) };
    case "enterprise.credit_list_removed":
      return { ...state, creditListEntries: withCreditListRemoved(state.creditListEntries, event.data) };
  }
}

/** The largest amount accepted in one donation: 10 billion yuan, well inside exact integers. */
const maxFen = 1_000_000_000_000;

export function decideListEnterprise(
  command: { creditCode: string; name: string; areaId: string; listedOn: string },
  state: CaringEnterpriseState,
  actor: { subject: string },
  now: Date,
): CaringEnterpriseEvent {
  const checks = new FieldChecks();
  const codeProblem = creditCodeProblem(command.creditCode);
  if (codeProblem) checks.add("creditCode", codeProblem);
  else if (!command.creditCode.startsWith("9"))
    checks.add("creditCode", "an enterprise is registered with market regulation: its code starts with 9");
  const name = command.name.trim();
  checks
    .text("name", name, { max: 100 })
    .check("areaId", isOrganisationAreaCode(command.areaId), "must be a district, street or community code");
  const listedOn = pastDate(command.listedOn, "listedOn", now, checks);
  checks.throwIfAny();
  if (state.status !== "none")
    throw new AlreadyExistsError(
      `enterprise ${command.creditCode} is already in the directory`,
      "ENTERPRISE_LISTED",
    );
  return {
    type: "enterprise.listed",
    data: {
      creditCode: command.creditCode,
      name,
      areaId: command.areaId,
      listedOn,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** A donation as the caller gives it: its kind not yet checked. */
export type RecordDonation = Omit<Donation, "kind"> & { kind: string };

/** The event id of a donation: a donation id is recorded once in the whole directory. */
export const donationEventId = (donationId: string) => `caring-donation-${donationId}`;

const wholeAmount = (value: number, max: number) => Number.isInteger(value) && value > 0 && value <= max;

/** The donation the command describes, or the violations that make it none. */
export function checkedDonation(command: RecordDonation, now: Date): Donation {
  const kind = command.kind as DonationKind;
  const checks = new FieldChecks()
    .identifier("donationId", command.donationId)
    .oneOf("kind", kind, donationKinds);
  const description = command.description.trim();
  const kindFields: {
    field: keyof RecordDonation;
    kind: DonationKind;
    valid: boolean;
    description: string;
  }[] = [
    {
      field: "amountFen",
      kind: "money",
      valid: wholeAmount(command.amountFen, maxFen),
      description: "must be a whole number of fen above 0",
    },
    {
      field: "description",
      kind: "goods",
      valid: description !== "" && [...description].length <= 200,
      description: "must be 1 to 200 characters",
    },
    {
      field: "estimatedValueFen",
      kind: "goods",
      valid: wholeAmount(command.estimatedValueFen, maxFen),
      description: "must be a whole number of fen above 0",
    },
    {
      field: "volunteerHours",
      kind: "volunteer_hours",
      valid: wholeAmount(command.volunteerHours, 100_000),
      description: "must be whole hours, 1 to 100000",
    },
  ];
  for (const check of kindFields) {
    const value = command[check.field];
    if (kind === check.kind) {
      checks.check(check.field, check.valid, check.description);
    } else {
      checks.check(check.field, value === 0 || value === "", `is only for kind ${check.kind}`);
    }
  }
  const recipient = command.recipient.trim();
  checks.text("recipient", recipient, { max: 100, optional: true });
  const donatedOn = pastDate(command.donatedOn, "donatedOn", now, checks);
  checks.throwIfAny();
  return {
    donationId: command.donationId,
    kind,
    amountFen: kind === "money" ? command.amountFen : 0,
    description: kind === "goods" ? description : "",
    estimatedValueFen: kind === "goods" ? command.estimatedValueFen : 0,
    volunteerHours: kind === "volunteer_hours" ? command.volunteerHours : 0,
    recipient,
    donatedOn,
  };
}

const sameDonation = (a: Donation, b: Donation) =>
  (Object.keys(a) as (keyof Donation)[]).every((key) => a[key] === b[key]);

/**
 * Records a donation once: the same donation id with the same details again records nothing
 * (undefined), with other details it is ALREADY_EXISTS.
 */
export function decideRecordDonation(
  command: RecordDonation,
  state: CaringEnterprise,
  actor: { subject: string },
  now: Date,
): CaringEnterpriseEvent | undefined {
  const donation = checkedDonation(command, now);
  const known = state.donations.find((candidate) => candidate.donationId === donation.donationId);
  if (known) {
    if (sameDonation(known, donation)) return undefined;
    throw donationIdTaken(donation.donationId);
  }
  return {
    type: "enterprise.donation_recorded",
    id: donationEventId(donation.donationId),
    data: { creditCode: state.creditCode, ...donation, by: actor.subject, at: now.toISOString() },
  };
}

export const donationIdTaken = (donationId: string) =>
  new AlreadyExistsError(
    `donation ${donationId} is already recorded with other details`,
    "DONATION_ID_TAKEN",
  );

export function decideRecognise(
  command: Recognition,
  state: CaringEnterprise,
  actor: { subject: string },
  now: Date,
): CaringEnterpriseEvent {
  const title = command.title.trim();
  const issuer = command.issuer.trim();
  const checks = new FieldChecks().text("title", title, { max: 100 }).text("issuer", issuer, { max: 100 });
  const awardedOn = pastDate(command.awardedOn, "awardedOn", now, checks);
  checks.throwIfAny();
  return {
    type: "enterprise.recognised",
    data: {
      creditCode: state.creditCode,
      title,
      awardedOn,
      issuer,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** Entering an enterprise on a market-regulation list and removing it; dates after today are refused. */
export const enterpriseCreditListDeciders = creditListDeciders<
  EnterpriseCreditList,
  CaringEnterprise,
  CaringEnterpriseEvent
>({
  rules: { lists: enterpriseCreditLists, refusesFutureDates: true },
  entered: (data) => ({ type: "enterprise.credit_list_entered", data }),
  removed: (data) => ({ type: "enterprise.credit_list_removed", data }),
});
export const decideEnterCreditList = enterpriseCreditListDeciders.enter;
export const decideRemoveFromCreditList = enterpriseCreditListDeciders.remove;

// The credit evaluation -----------------------------------------------------------------

/**
 * The rules of the credit evaluation, as of a date D. "The last 12 months" are the dates
 * after D one year earlier, up to D; "the last 3 years" likewise.
 */
export const creditEvaluationRules = {
  /** 1 point per full 10,000 yuan of money and goods' estimated value in the last 12 months… */
  fenPerValuePoint: 1_000_000,
  /** …at most 40. */
  maxValuePoints: 40,
  /** 1 point per full 10 volunteer hours in the last 12 months… */
  hoursPerVolunteerPoint: 10,
  /** …at most 20. */
  maxVolunteerPoints: 20,
  /** Regularity: 2 points per calendar month with a donation in the last 12 months… */
  pointsPerDonationMonth: 2,
  /** …at most 24 (every month). */
  maxRegularityPoints: 24,
  /** 5 points per recognition awarded in the last 3 years… */
  pointsPerRecognition: 5,
  /** …at most 15. */
  maxRecognitionPoints: 15,
  /** Points taken while on a list on D. */
  listPenalty: { abnormal_operation: 20, serious_illegality: 50 } as Record<EnterpriseCreditList, number>,
  /** The least score of each level, best first; below the last: no level. */
  levels: [
    { level: "AAA", minScore: 60 },
    { level: "AA", minScore: 40 },
    { level: "A", minScore: 20 },
  ],
} as const;

export type CreditLevel = "AAA" | "AA" | "A" | "none";

export interface CreditEvaluation {
  asOf: string;
  /** The first date the 12-month window counts: D one year earlier, plus one day. */
  windowStartsAfter: string;
  donationValueFen: number;
  volunteerHours: number;
  donationMonths: number;
  recognitionsCounted: number;
  creditLists: EnterpriseCreditList[];
  points: {
    donationValue: number;
    volunteerHours: number;
    regularity: number;
    recognitions: number;
    creditLists: number;
  };
  score: number;
  level: CreditLevel;
}

/** D shifted by whole years (as text: 2028-02-29 less a year is 2027-02-29, which sorts right). */
const yearsBefore = (date: string, years: number) => `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;

/** What the evaluation reads of an enterprise's record. */
export interface EvaluatedRecord {
  donations: readonly Donation[];
  recognitions: readonly Recognition[];
  creditListEntries: readonly Pick<
    CreditListEntry<EnterpriseCreditList>,
    "list" | "enteredOn" | "removedOn"
  >[];
}

export function creditEvaluation(enterprise: EvaluatedRecord, asOf: string): CreditEvaluation {
  const rules = creditEvaluationRules;
  const windowStartsAfter = yearsBefore(asOf, 1);
  const inWindow = enterprise.donations.filter(
    (donation) => donation.donatedOn > windowStartsAfter && donation.donatedOn <= asOf,
  );
  const donationValueFen = inWindow.reduce(
    (sum, donation) => sum + donation.amountFen + donation.estimatedValueFen,
    0,
  );
  const volunteerHours = inWindow.reduce((sum, donation) => sum + donation.volunteerHours, 0);
  const donationMonths = new Set(inWindow.map((donation) => donation.donatedOn.slice(0, 7))).size;
  const recognitionsCounted = enterprise.recognitions.filter(
    (recognition) => recognition.awardedOn > yearsBefore(asOf, 3) && recognition.awardedOn <= asOf,
  ).length;
  const creditLists = creditListsOn(enterprise.creditListEntries, asOf);
  const points = {
    donationValue: Math.min(rules.maxValuePoints, Math.floor(donationValueFen / rules.fenPerValuePoint)),
    volunteerHours: Math.min(
      rules.maxVolunteerPoints,
      Math.floor(volunteerHours / rules.hoursPerVolunteerPoint),
    ),
    regularity: Math.min(rules.maxRegularityPoints, donationMonths * rules.pointsPerDonationMonth),
    recognitions: Math.min(rules.maxRecognitionPoints, recognitionsCounted * rules.pointsPerRecognition),
    creditLists: 0 - creditLists.reduce((sum, list) => sum + rules.listPenalty[list], 0),
  };
  const score = Math.max(
    0,
    points.donationValue +
      points.volunteerHours +
      points.regularity +
      points.recognitions +
      points.creditLists,
  );
  const level: CreditLevel = creditLists.includes("serious_illegality")
    ? "none"
    : (rules.levels.find((candidate) => score >= candidate.minScore)?.level ?? "none");
  return {
    asOf,
    windowStartsAfter,
    donationValueFen,
    volunteerHours,
    donationMonths,
    recognitionsCounted,
    creditLists,
    points,
    score,
    level,
  };
}
