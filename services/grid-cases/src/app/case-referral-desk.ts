import { AlreadyExistsError, InvalidArgumentError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import { v5 as uuidv5 } from "uuid";
import type { CaseEvent, CaseOrigin, CaseState } from "../domain/case.js";
import type { CaseCategoryCatalogue } from "../domain/case-categories.js";
import { type ReferringDomain, referringChannels } from "../domain/case-referral.js";
import { decideSubmitCase, type Sealer } from "../domain/submit-case.js";

/** A problem another service hands over: a party member's visit, a deliberation task. */
export interface CaseReferral {
  origin: CaseOrigin & { domain: ReferringDomain };
  categoryCode: string;
  title: string;
  description: string;
  areaId: string;
  address: string;
  referredBy: string;
  referredAt: Date;
}

/** Fixed namespace of referral case ids (UUIDv5): the same referral always names the same case. */
const referralNamespace = "6f1d3c2e-7a4b-5c8d-9e0f-1a2b3c4d5e6f";

export function referralCaseId(origin: CaseOrigin): string {
  return uuidv5(`${origin.domain}:${origin.reference}`, referralNamespace);
}

/**
 * Opens cases from other services' events, once per referral: the case id is derived from
 * the origin, so a redelivered or repeated event finds the case already there.
 */
export class CaseReferralDesk {
  constructor(
    private readonly cases: AggregateRepository<CaseState, CaseEvent>,
    private readonly catalogue: { current(): Promise<CaseCategoryCatalogue> },
    private readonly geography: { exists(areaId: string): Promise<boolean> },
    private readonly seal: Sealer,
  ) {}

  async refer(referral: CaseReferral): Promise<{ caseId: string; created: boolean }> {
    const caseId = referralCaseId(referral.origin);
    if (!(await this.geography.exists(referral.areaId.trim()))) {
      throw new InvalidArgumentError([
        { field: "areaId", description: `${referral.areaId} is not a known area` },
      ]);
    }
    const catalogue = await this.catalogue.current();
    const category = catalogue.find(referral.categoryCode);
    const command = {
      caseId,
      channel: referringChannels[referral.origin.domain],
      requestType: category?.requestType ?? "help",
      categoryCode: referral.categoryCode,
      title: referral.title,
      description: referral.description,
      areaId: referral.areaId,
      address: referral.address,
      reporterName: "",
      reporterPhone: "",
      anonymous: false,
      submittedBy: referral.referredBy,
      submittedAt: referral.referredAt,
      origin: referral.origin,
    };
    try {
      await this.cases.create(caseId, (initial) => decideSubmitCase(command, initial, catalogue, this.seal));
      return { caseId, created: true };
    } catch (error) {
      if (error instanceof AlreadyExistsError) return { caseId, created: false };
      throw error;
    }
  }
}
