import {
  AlreadyExistsError,
  AreaCode,
  type Caller,
  chinaDate,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
} from "@civic/domain-kit";
import {
  type AggregateRepository,
  EventIdTakenError,
  type PageRequest,
  pageOfSnapshots,
} from "@civic/event-log";
import { dateOrToday } from "../domain/calendar-date.js";
import {
  type CaringEnterprise,
  type CaringEnterpriseEvent,
  type CaringEnterpriseState,
  type CreditEvaluation,
  checkedDonation,
  creditEvaluation,
  decideListEnterprise,
  decideRecognise,
  decideRecordDonation,
  enterpriseCreditListDeciders,
  type Recognition,
  type RecordDonation,
} from "../domain/caring-enterprise.js";
import { CreditListDesk } from "./credit-list-desk.js";
import { requireRegistryOfficer } from "./organisation-desk.js";

export type CaringEnterpriseView = CaringEnterprise & { version: number; evaluation: CreditEvaluation };

/** Who records donations: the charity hub of the area, besides the register's keepers. */
function requireDonationRecorder(caller: Caller, areaId: string): void {
  if (caller.roles.includes("charity_hub") && AreaCode.anyCovers(caller.areas, areaId)) return;
  try {
    requireRegistryOfficer(caller, areaId);
  } catch {
    throw new PermissionDeniedError(
      `recording donations in area ${areaId} needs charity_hub or civil_affairs for that area, or platform_admin`,
    );
  }
}

/**
 * The caring-enterprise directory. An enterprise is one stream, enterprise-<credit code>;
 * a donation is an event whose id comes from the client's donation id, so a retried or
 * duplicated request stores it once (in the stream, by the decider; across the directory, by
 * the event log's unique event id).
 */
export class CaringEnterpriseDesk {
  constructor(
    private readonly enterprises: AggregateRepository<CaringEnterpriseState, CaringEnterpriseEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  readonly creditLists = new CreditListDesk(this.change.bind(this), enterpriseCreditListDeciders, () =>
    this.now(),
  );

  async list(
    command: { creditCode: string; name: string; areaId: string; listedOn: string },
    caller: Caller,
  ): Promise<CaringEnterpriseView> {
    requireRegistryOfficer(caller, command.areaId);
    const { state, version } = await this.enterprises.create(command.creditCode, (initial) =>
      decideListEnterprise(command, initial, caller, this.now()),
    );
    return this.view(state, version, command.creditCode);
  }

  async get(creditCode: string): Promise<CaringEnterpriseView> {
    const { state, version } = await this.enterprises.load(creditCode);
    return this.view(state, version, creditCode);
  }

  async directory(areaId: string, page: PageRequest) {
    const filter = AreaCode.range("state.areaId", areaId);
    const found = await pageOfSnapshots(this.enterprises.snapshots, filter, page);
    return {
      enterprises: found.items.map((snapshot) => this.view(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  /** `recorded` is false when the donation was already recorded with the same details. */
  async recordDonation(creditCode: string, command: RecordDonation, caller: Caller) {
    checkedDonation(command, this.now());
    const decide = (current: CaringEnterpriseState) => {
      const enterprise = this.existing(current, creditCode);
      requireDonationRecorder(caller, enterprise.areaId);
      return decideRecordDonation(command, enterprise, caller, this.now());
    };
    try {
      const executed = await this.enterprises.execute(creditCode, decide);
      return {
        enterprise: this.view(executed.state, executed.version, creditCode),
        recorded: !!executed.event,
      };
    } catch (error) {
      if (!(error instanceof EventIdTakenError)) throw error;
      // A twin request committed it first, or the id belongs to another enterprise's donation.
      const { state, version } = await this.enterprises.load(creditCode);
      if (!this.hasDonation(state, command.donationId))
        throw new AlreadyExistsError(
          `donation id ${command.donationId} is already used`,
          "DONATION_ID_TAKEN",
        );
      decide(state); // the twin's details: the same records nothing, others are ALREADY_EXISTS
      return { enterprise: this.view(state, version, creditCode), recorded: false };
    }
  }

  recognise(creditCode: string, command: Recognition, caller: Caller) {
    return this.change(creditCode, caller, (enterprise) =>
      decideRecognise(command, enterprise, caller, this.now()),
    );
  }

  async evaluate(creditCode: string, asOfInput: string): Promise<CreditEvaluation> {
    const asOf = dateOrToday(asOfInput, this.now());
    if (asOf === undefined)
      throw new InvalidArgumentError([{ field: "asOf", description: "must be a date YYYY-MM-DD" }]);
    const { state } = await this.enterprises.load(creditCode);
    return creditEvaluation(this.existing(state, creditCode), asOf);
  }

  private async change(
    creditCode: string,
    caller: Caller,
    decide: (enterprise: CaringEnterprise) => CaringEnterpriseEvent,
  ): Promise<CaringEnterpriseView> {
    const { state, version } = await this.enterprises.execute(creditCode, (current) => {
      const enterprise = this.existing(current, creditCode);
      requireRegistryOfficer(caller, enterprise.areaId);
      return decide(enterprise);
    });
    return this.view(state, version, creditCode);
  }

  private hasDonation(state: CaringEnterpriseState, donationId: string): boolean {
    return (
      state.status === "listed" && state.donations.some((donation) => donation.donationId === donationId)
    );
  }

  private existing(state: CaringEnterpriseState, creditCode: string): CaringEnterprise {
    if (state.status === "none") throw new NotFoundError("caring enterprise", creditCode);
    return state;
  }

  private view(state: CaringEnterpriseState, version: number, creditCode: string): CaringEnterpriseView {
    const enterprise = this.existing(state, creditCode);
    return { ...enterprise, version, evaluation: creditEvaluation(enterprise, chinaDate(this.now())) };
  }
}
