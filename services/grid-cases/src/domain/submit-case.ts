import { AlreadyExistsError, FieldChecks, isPhoneNumber, maskPhone } from "@civic/domain-kit";
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
import { isCatalogueCode } from "./catalogue-code.js";

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

export function submitCaseChecks(command: SubmitCase): FieldChecks {
  const checks = new FieldChecks()
    .oneOf("channel", command.channel, channels)
    .oneOf("requestType", command.requestType, requestTypes)
    .check(
      "categoryCode",
      isCatalogueCode(command.categoryCode),
      "must be a catalogue code such as manhole-cover-missing",
    )
    .requiredText("title", command.title, 100)
    .requiredText("description", command.description, 2000)
    .requiredText("areaId", command.areaId, 64)
    .text("address", command.address, { max: 200, optional: true })
    .text("reporterName", command.reporterName, { max: 50, optional: true })
    .check(
      "reporterPhone",
      command.reporterPhone === "" || isPhoneNumber(command.reporterPhone),
      "must be a mobile number (11 digits) or a fixed line with area code",
    )
    .check(
      "anonymous",
      !command.anonymous || (command.reporterName.trim() === "" && command.reporterPhone === ""),
      "an anonymous report has no reporter name or phone",
    );
  if (command.location) {
    const { latitude, longitude } = command.location;
    checks
      .check(
        "location.latitude",
        Number.isFinite(latitude) && latitude >= -90 && latitude <= 90,
        "must be -90 to 90 degrees",
      )
      .check(
        "location.longitude",
        Number.isFinite(longitude) && longitude >= -180 && longitude <= 180,
        "must be -180 to 180 degrees",
      );
  }
  return checks.mediaUrl("mediaUrl", command.mediaUrl ?? "", { optional: true });
}

/** Decides the submission of a new case: the command must be valid and the case new. */
export function decideSubmitCase(
  command: SubmitCase,
  state: CaseState,
  catalogue: CaseCategoryCatalogue,
  seal: Sealer,
): Extract<CaseEvent, { type: "case.submitted" }> {
  const checks = submitCaseChecks(command);
  if (checks.violations.length === 0 && !catalogue.find(command.categoryCode))
    checks.add("categoryCode", `${command.categoryCode} is not in the catalogue`);
  checks.throwIfAny();
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
