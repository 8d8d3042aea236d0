import {
  AlreadyExistsError,
  AreaCode,
  type Caller,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
} from "@civic/domain-kit";
import {
  type AggregateRepository,
  type PageRequest,
  pageOfSnapshots,
  type SnapshotFilter,
} from "@civic/event-log";
import { v5 as uuidv5 } from "uuid";
import {
  type AffiliationInput,
  type AgencyEvent,
  type AgencyState,
  countSocialWorkers,
  decideChangeAffiliation,
  decideRegisterAgency,
  decideRegisterSocialWorker,
  type LicenceLevel,
  licenceLevels,
  licenceTaken,
  normalisedLicenceNumber,
  type RegisterAgency,
  type RegisterSocialWorker,
  type SocialWorkAgency,
  type SocialWorker,
  type SocialWorkerCounts,
  type SocialWorkerEvent,
  type SocialWorkerState,
} from "../domain/social-work.js";
import { requireRegistryOfficer } from "./organisation-desk.js";

export type AgencyView = SocialWorkAgency & { version: number };
export type SocialWorkerView = SocialWorker & { version: number };

/** Fixed namespace of worker ids (UUIDv5 of the licence number): one worker per licence. */
const licenceNamespace = "6d1f3a2b-8c4e-5f70-9a1b-2c3d4e5f6a7b";

export function workerIdForLicence(licenceNumber: string): string {
  return uuidv5(`licence:${licenceNumber}`, licenceNamespace);
}

/**
 * Social-work agencies and licensed social workers. An agency's id is its credit code; a
 * worker's id is derived from the licence number, so registering a licence is event 1 of
 * stream worker-<id>: the event log's unique (stream, version) key lets exactly one of any
 * number of concurrent registrations of one licence number commit.
 */
export class SocialWorkDesk {
  constructor(
    private readonly agencies: AggregateRepository<AgencyState, AgencyEvent>,
    private readonly workers: AggregateRepository<SocialWorkerState, SocialWorkerEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async registerAgency(command: RegisterAgency, caller: Caller): Promise<AgencyView> {
    requireRegistryOfficer(caller, command.areaId);
    const { state, version } = await this.agencies.create(command.creditCode, (initial) =>
      decideRegisterAgency(command, initial, caller, this.now()),
    );
    return agencyView(state, version, command.creditCode);
  }

  async getAgency(creditCode: string): Promise<AgencyView> {
    const { state, version } = await this.agencies.load(creditCode);
    return agencyView(state, version, creditCode);
  }

  async listAgencies(areaId: string, page: PageRequest) {
    const filter = AreaCode.range("state.areaId", areaId);
    const found = await pageOfSnapshots(this.agencies.snapshots, filter, page);
    return {
      agencies: found.items.map((snapshot) => agencyView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  async registerWorker(command: Omit<RegisterSocialWorker, "workerId">, caller: Caller) {
    requireRegistryOfficer(caller, command.areaId);
    const licenceNumber = normalisedLicenceNumber(command.licenceNumber);
    const workerId = workerIdForLicence(licenceNumber ?? "");
    const decide = (initial: SocialWorkerState) =>
      decideRegisterSocialWorker({ ...command, workerId }, initial, caller, this.now());
    // Bad input is refused before the agency is looked up.
    decide({ status: "none" });
    await this.requireAgency(command.affiliation);
    try {
      const { state, version } = await this.workers.create(workerId, decide);
      return workerView(state, version, workerId);
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw licenceTaken(licenceNumber as string);
      throw error;
    }
  }

  async getWorker(workerId: string): Promise<SocialWorkerView> {
    const { state, version } = await this.workers.load(workerId);
    return workerView(state, version, workerId);
  }

  async changeAffiliation(
    workerId: string,
    command: { affiliation: AffiliationInput; changedOn: string },
    caller: Caller,
  ): Promise<SocialWorkerView> {
    const current = await this.getWorker(workerId);
    requireRegistryOfficer(caller, current.areaId);
    decideChangeAffiliation(command, current, caller, this.now());
    await this.requireAgency(command.affiliation);
    const { state, version } = await this.workers.execute(workerId, (worker) => {
      if (worker.status === "none") throw new NotFoundError("social worker", workerId);
      return decideChangeAffiliation(command, worker, caller, this.now());
    });
    return workerView(state, version, workerId);
  }

  async listWorkers(
    search: { areaId: string; licenceLevel: string; agencyCreditCode: string },
    page: PageRequest,
  ) {
    const found = await pageOfSnapshots(this.workers.snapshots, workerFilter(search), page);
    return {
      workers: found.items.map((snapshot) => workerView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  /** Workers in the area and below, by licence level and affiliation. */
  async countWorkers(areaId: string): Promise<SocialWorkerCounts> {
    if (areaId === "")
      throw new InvalidArgumentError([{ field: "areaId", description: "must be an area code" }]);
    return countSocialWorkers(await this.workersIn(areaId));
  }

  /** The workers of an area and below, with what counting them needs. */
  async workersIn(
    areaId: string,
  ): Promise<Pick<SocialWorker, "licenceLevel" | "affiliation" | "registeredOn">[]> {
    const snapshots = await this.workers.snapshots
      .find(AreaCode.range("state.areaId", areaId), {
        projection: { "state.licenceLevel": 1, "state.affiliation": 1, "state.registeredOn": 1 },
      })
      .toArray();
    return snapshots.map(({ state }) => state as SocialWorker);
  }

  private async requireAgency(affiliation: AffiliationInput): Promise<void> {
    if (affiliation.kind !== "agency") return;
    const { state } = await this.agencies.load(affiliation.agencyCreditCode);
    if (state.status === "none") {
      throw new FailedPreconditionError(
        `no social-work agency with credit code ${affiliation.agencyCreditCode} is registered`,
        "UNKNOWN_AGENCY",
      );
    }
  }
}

function workerFilter(search: {
  areaId: string;
  licenceLevel: string;
  agencyCreditCode: string;
}): SnapshotFilter {
  const filter: Record<string, unknown> = AreaCode.range("state.areaId", search.areaId);
  if (search.licenceLevel !== "") {
    if (!licenceLevels.includes(search.licenceLevel as LicenceLevel))
      throw new InvalidArgumentError([
        { field: "licenceLevel", description: `must be one of ${licenceLevels.join(", ")}` },
      ]);
    filter["state.licenceLevel"] = search.licenceLevel;
  }
  if (search.agencyCreditCode !== "") {
    if (!/^[0-9A-Z]{18}$/.test(search.agencyCreditCode))
      throw new InvalidArgumentError([
        { field: "agencyCreditCode", description: "must be an 18-character credit code" },
      ]);
    filter["state.affiliation.agencyCreditCode"] = search.agencyCreditCode;
  }
  return filter;
}

function agencyView(state: AgencyState, version: number, creditCode: string): AgencyView {
  if (state.status === "none") throw new NotFoundError("social-work agency", creditCode);
  return { ...state, version };
}

function workerView(state: SocialWorkerState, version: number, workerId: string): SocialWorkerView {
  if (state.status === "none") throw new NotFoundError("social worker", workerId);
  return { ...state, version };
}
