import { AlreadyExistsError, InvalidArgumentError, isPhoneNumber, maskPhone } from "@civic/domain-kit";
import {
  type CaseEvent,
  type CaseOrigin,
  type CaseState,
  type Channel,
  channels,
  type GeoPoint,
  type RequestType,
  requestTypes,
} from "./case.js";
import type { CaseCategoryCatalogue } from "./case-categories.js";
import { withReferralFeedback } from "./case-referral.js";

export interface SubmitCase {
  caseId: string;
  channel: string;
  requestType: string;
  categoryCode: string;
  title: string;
  description: string;
  areaId: string;
  address: string;
  reporterName: string;
  /** The reporter's phone, in clear only inside this decision; stored sealed and masked. */
  reporterPhone: string;
  /** An anonymous report carries neither name nor phone. */
  anonymous: boolean;
  submittedBy: string;
  submittedAt: Date;
  /** Set when another service's event referred the case. */
  origin?: CaseOrigin;
  location?: GeoPoint;
  /** "" or absent when none. */
  mediaUrl?: string;
}

/** Seals personal data for storage (see PersonalDataProtector). */
export type Sealer = (plain: string) => string;

type Violation = { field: string; description: string };

const categoryCodePattern = /^[a-z][a-z0-9-]{1,63}$/;

function textViolation(field: string, value: string, { required, max }: { required: boolean; max: number }) {
  const trimmed = value.trim();
  if (required && trimmed === "") return { field, description: "must not be empty" };
  if ([...trimmed].length > max) return { field, description: `must be at most ${max} characters` };
  return undefined;
}

function locationViolations(location: GeoPoint | undefined): Violation[] {
  if (!location) return [];
  const { latitude, longitude } = location;
  return [
    Number.isFinite(latitude) && latitude >= -90 && latitude <= 90
      ? undefined
      : { field: "location.latitude", description: "must be -90 to 90 degrees" },
    Number.isFinite(longitude) && longitude >= -180 && longitude <= 180
      ? undefined
      : { field: "location.longitude", description: "must be -180 to 180 degrees" },
  ].filter((violation): violation is Violation => violation !== undefined);
}

function mediaUrlViolation(mediaUrl: string): Violation | undefined {
  if (mediaUrl === "") return undefined;
  const invalid = {
    field: "mediaUrl",
    description: "must be a public http(s) URL of at most 500 characters",
  };
  if (mediaUrl.length > 500 || !URL.canParse(mediaUrl)) return invalid;
  const { protocol } = new URL(mediaUrl);
  return protocol === "https:" || protocol === "http:" ? undefined : invalid;
}

export function validateSubmitCase(command: SubmitCase): Violation[] {
  const violations: (Violation | undefined)[] = [
    channels.includes(command.channel as Channel)
      ? undefined
      : { field: "channel", description: `must be one of ${channels.join(", ")}` },
    requestTypes.includes(command.requestType as RequestType)
      ? undefined
      : { field: "requestType", description: `must be one of ${requestTypes.join(", ")}` },
    categoryCodePattern.test(command.categoryCode)
      ? undefined
      : { field: "categoryCode", description: "must be a catalogue code such as manhole-cover-missing" },
    textViolation("title", command.title, { required: true, max: 100 }),
    textViolation("description", command.description, { required: true, max: 2000 }),
    textViolation("areaId", command.areaId, { required: true, max: 64 }),
    textViolation("address", command.address, { required: false, max: 200 }),
    textViolation("reporterName", command.reporterName, { required: false, max: 50 }),
    command.reporterPhone !== "" && !isPhoneNumber(command.reporterPhone)
      ? {
          field: "reporterPhone",
          description: "must be a mobile number (11 digits) or a fixed line with area code",
        }
      : undefined,
    command.anonymous && (command.reporterName.trim() !== "" || command.reporterPhone !== "")
      ? { field: "anonymous", description: "an anonymous report has no reporter name or phone" }
      : undefined,
    ...locationViolations(command.location),
    mediaUrlViolation(command.mediaUrl?.trim() ?? ""),
  ];
  return violations.filter((violation): violation is Violation => violation !== undefined);
}

/** Decides the submission of a new case: the command must be valid and the case new. */
export function decideSubmitCase(
  command: SubmitCase,
  state: CaseState,
  catalogue: CaseCategoryCatalogue,
  seal: Sealer,
): Extract<CaseEvent, { type: "case.submitted" }> {
  const violations = validateSubmitCase(command);
  if (violations.length === 0 && !catalogue.find(command.categoryCode)) {
    violations.push({
      field: "categoryCode",
      description: `${command.categoryCode} is not in the catalogue`,
    });
  }
  if (violations.length > 0) throw new InvalidArgumentError(violations);
  if (state.status !== "none") throw new AlreadyExistsError(`case ${command.caseId} already exists`);
  return withReferralFeedback(command.origin, {
    type: "case.submitted",
    data: {
      caseId: command.caseId,
      channel: command.channel as Channel,
      requestType: command.requestType as RequestType,
      categoryCode: command.categoryCode,
      categoryVersion: catalogue.version,
      title: command.title.trim(),
      description: command.description.trim(),
      areaId: command.areaId.trim(),
      address: command.address.trim(),
      reporterName: command.reporterName.trim(),
      anonymous: command.anonymous,
      reporterPhoneMasked: command.reporterPhone ? maskPhone(command.reporterPhone) : "",
      reporterPhoneSealed: command.reporterPhone ? seal(command.reporterPhone) : "",
      submittedBy: command.submittedBy,
      submittedAt: command.submittedAt.toISOString(),
      ...(command.location ? { location: command.location } : {}),
      ...(command.mediaUrl?.trim() ? { mediaUrl: command.mediaUrl.trim() } : {}),
    },
  });
}
