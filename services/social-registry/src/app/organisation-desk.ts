import { AreaCode, type Caller, FieldChecks, NotFoundError, PermissionDeniedError } from "@civic/domain-kit";
import {
  type AggregateRepository,
  type PageRequest,
  pageOfSnapshots,
  type SnapshotFilter,
} from "@civic/event-log";
import { escapeRegExp } from "@civic/service-kit";
import {
  type ChangeStatus,
  decideChangeStatus,
  decideRecordAnnualReport,
  decideRegisterOrganisation,
  decideSetPartyBranchCoverage,
  type Organisation,
  type OrganisationCategory,
  type OrganisationEvent,
  type OrganisationState,
  type OrganisationStatus,
  organisationCategories,
  organisationCreditListDeciders,
  organisationStatuses,
  type RegisterOrganisation,
} from "../domain/organisation.js";
import { CreditListDesk } from "./credit-list-desk.js";

/** Roles that keep the register: civil affairs in their areas, platform administrators anywhere. */
export const registryOfficerRoles = ["civil_affairs", "platform_admin"] as const;

export interface OrganisationView extends Organisation {
  version: number;
}

export interface OrganisationSearch {
  name: string;
  creditCodePrefix: string;
  category: string;
  areaId: string;
  status: string;
}

/** Whether the caller keeps the register for an area (platform_admin: every area). */
export function requireRegistryOfficer(caller: Caller, areaId: string): void {
  if (caller.roles.includes("platform_admin")) return;
  if (caller.roles.includes("civil_affairs") && AreaCode.anyCovers(caller.areas, areaId)) return;
  throw new PermissionDeniedError(
    `changing the register of area ${areaId} needs civil_affairs for that area or platform_admin`,
  );
}

/**
 * Use cases of the organisation register. The credit code is the aggregate id: the first
 * event of stream organisation-<code> is a unique (stream, version 1) insert, so of two
 * registrations of one code, racing or not, exactly one commits.
 */
export class OrganisationDesk {
  constructor(
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  readonly creditLists = new CreditListDesk(this.change.bind(this), organisationCreditListDeciders, () =>
    this.now(),
  );

  async register(command: RegisterOrganisation, caller: Caller): Promise<OrganisationView> {
    requireRegistryOfficer(caller, command.areaId);
    const { state, version } = await this.organisations.create(command.creditCode, (initial) =>
      decideRegisterOrganisation(command, initial, caller, this.now()),
    );
    return toView(state, version, command.creditCode);
  }

  async get(creditCode: string): Promise<OrganisationView> {
    const { state, version } = await this.organisations.load(creditCode);
    return toView(state, version, creditCode);
  }

  changeStatus(creditCode: string, command: ChangeStatus, caller: Caller) {
    return this.change(creditCode, caller, (organisation) =>
      decideChangeStatus(command, organisation, caller, this.now()),
    );
  }

  recordAnnualReport(
    creditCode: string,
    command: { year: number; result: string; note: string },
    caller: Caller,
  ) {
    return this.change(creditCode, caller, (organisation) =>
      decideRecordAnnualReport(command, organisation, caller, this.now()),
    );
  }

  setPartyBranchCoverage(creditCode: string, covered: boolean, caller: Caller) {
    return this.change(creditCode, caller, (organisation) =>
      decideSetPartyBranchCoverage(covered, organisation, caller, this.now()),
    );
  }

  async search(search: OrganisationSearch, page: PageRequest) {
    const found = await pageOfSnapshots(this.organisations.snapshots, searchFilter(search), page);
    return {
      organisations: found.items.map((snapshot) => toView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  private async change(
    creditCode: string,
    caller: Caller,
    decide: (organisation: Organisation) => OrganisationEvent | undefined,
  ): Promise<OrganisationView> {
    const { state, version } = await this.organisations.execute(creditCode, (current) => {
      if (current.status === "none") throw new NotFoundError("organisation", creditCode);
      requireRegistryOfficer(caller, current.areaId);
      return decide(current);
    });
    return toView(state, version, creditCode);
  }
}

function searchFilter(search: OrganisationSearch): SnapshotFilter {
  const checks = new FieldChecks();
  const filter: Record<string, unknown> = {};
  const name = search.name.trim();
  if ([...name].length > 100) checks.add("name", "must be at most 100 characters");
  else if (name !== "") filter["state.name"] = { $regex: escapeRegExp(name) };
  if (search.creditCodePrefix !== "") {
    if (!/^[0-9A-Z]{1,18}$/.test(search.creditCodePrefix))
      checks.add("creditCodePrefix", "must be 1 to 18 digits or capital letters");
    // Under $and: the page range adds its own condition on _id.
    else filter.$and = [{ _id: { $regex: `^${search.creditCodePrefix}` } }];
  }
  if (search.category !== "") {
    if (!organisationCategories.includes(search.category as OrganisationCategory))
      checks.add("category", `must be one of ${organisationCategories.join(", ")}`);
    else filter["state.category"] = search.category;
  }
  if (search.areaId !== "") {
    if (!AreaCode.isPrefix(search.areaId, { min: 6, max: 15 })) checks.add("areaId", "must be an area code");
    else Object.assign(filter, AreaCode.range("state.areaId", search.areaId));
  }
  if (search.status !== "") {
    if (!organisationStatuses.includes(search.status as OrganisationStatus))
      checks.add("status", `must be one of ${organisationStatuses.join(", ")}`);
    else filter["state.status"] = search.status;
  }
  checks.throwIfAny();
  return filter;
}

function toView(state: OrganisationState, version: number, creditCode: string): OrganisationView {
  if (state.status === "none") throw new NotFoundError("organisation", creditCode);
  return { ...state, version };
}
