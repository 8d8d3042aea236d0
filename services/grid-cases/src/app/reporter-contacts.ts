import type { Caller } from "@civic/domain-kit";
import type { PersonalDataProtector } from "@civic/service-kit";
import type { Collection } from "mongodb";
import { v7 as uuidv7 } from "uuid";
import { mayReadReporterContact, type OpenCase } from "../domain/case.js";

/** One full read of a resident's personal data: who read what, when. */
export interface PersonalDataRead {
  _id: string;
  caseId: string;
  field: "reporterPhone";
  by: string;
  roles: string[];
  at: Date;
}

/**
 * Reporters' phone numbers: sealed for storage, masked for most readers, opened for the
 * roles that call the reporter back, and each opening recorded (insert-only audit log).
 */
export class ReporterContacts {
  constructor(
    private readonly protector: PersonalDataProtector,
    private readonly reads: Collection<PersonalDataRead>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  readonly seal = (plain: string): string => this.protector.seal(plain);

  async phoneFor(state: OpenCase, caller: Caller): Promise<string> {
    if (state.reporterPhoneSealed === "" || !mayReadReporterContact(state, caller))
      return state.reporterPhoneMasked;
    await this.reads.insertOne({
      _id: uuidv7(),
      caseId: state.caseId,
      field: "reporterPhone",
      by: caller.subject,
      roles: caller.roles,
      at: this.now(),
    });
    return this.protector.open(state.reporterPhoneSealed);
  }
}
