import { AreaCode, type Caller, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import { v7 as uuidv7 } from "uuid";
import {
  type ChangeStage,
  type Cohort,
  type CohortEvent,
  type CohortState,
  decideChangeStage,
  decideEnterCohort,
  decideOpenCohort,
  decideOpenIncubator,
  type Incubation,
  type IncubationEvent,
  type IncubationState,
  type Incubator,
  type IncubatorEvent,
  type IncubatorState,
  type OpenIncubator,
} from "../domain/incubation.js";
import type { OrganisationEvent, OrganisationState } from "../domain/organisation.js";
import { requireRegistryOfficer } from "./organisation-desk.js";

export type IncubatorView = Incubator & { version: number };
export type CohortView = Cohort & { version: number };
export type IncubationView = Incubation & { version: number };

/**
 * IncubationDesk, their cohorts and the incubation of each organisation. An organisation's
 * incubation is one stream (incubation-<credit code>): entering a cohort appends its next
 * version, so two entries at once cannot both commit, and the one decided again on the
 * winner's state finds the organisation in a cohort.
 */
export class IncubationDesk {
  constructor(
    private readonly incubators: AggregateRepository<IncubatorState, IncubatorEvent>,
    private readonly cohorts: AggregateRepository<CohortState, CohortEvent>,
    private readonly incubations: AggregateRepository<IncubationState, IncubationEvent>,
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly newId: () => string = uuidv7,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async openIncubator(command: Omit<OpenIncubator, "incubatorId">, caller: Caller): Promise<IncubatorView> {
    requireRegistryOfficer(caller, command.areaId);
    const incubatorId = this.newId();
    const operator = await this.organisations.load(command.operatorCreditCode);
    const { state, version } = await this.incubators.create(incubatorId, () =>
      decideOpenIncubator({ ...command, incubatorId }, operator.state, caller, this.now()),
    );
    return { ...(state as Incubator), version };
  }

  async getIncubator(incubatorId: string): Promise<IncubatorView> {
    const { state, version } = await this.incubators.load(incubatorId);
    if (state.status === "none") throw new NotFoundError("incubator", incubatorId);
    return { ...state, version };
  }

  async listIncubators(areaId: string, page: PageRequest) {
    const filter = AreaCode.range("state.areaId", areaId);
    const found = await pageOfSnapshots(this.incubators.snapshots, filter, page);
    return {
      incubators: found.items.map(({ state, version }) => ({ ...(state as Incubator), version })),
      nextPageToken: found.nextPageToken,
    };
  }

  async openCohort(
    incubatorId: string,
    command: { name: string; startsOn: string; endsOn: string },
    caller: Caller,
  ): Promise<CohortView> {
    const incubator = await this.getIncubator(incubatorId);
    requireRegistryOfficer(caller, incubator.areaId);
    const cohortId = this.newId();
    const { state, version } = await this.cohorts.create(cohortId, () =>
      decideOpenCohort({ ...command, cohortId }, incubator, caller, this.now()),
    );
    return { ...(state as Cohort), version };
  }

  async getCohort(cohortId: string): Promise<CohortView> {
    const { state, version } = await this.cohorts.load(cohortId);
    if (state.status === "none") throw new NotFoundError("incubation cohort", cohortId);
    return { ...state, version };
  }

  async listCohorts(incubatorId: string, page: PageRequest) {
    await this.getIncubator(incubatorId);
    const found = await pageOfSnapshots(this.cohorts.snapshots, { "state.incubatorId": incubatorId }, page);
    return {
      cohorts: found.items.map(({ state, version }) => ({ ...(state as Cohort), version })),
      nextPageToken: found.nextPageToken,
    };
  }

  async enterCohort(
    cohortId: string,
    command: { creditCode: string; appliedOn: string },
    caller: Caller,
  ): Promise<IncubationView> {
    const cohort = await this.getCohort(cohortId);
    requireRegistryOfficer(caller, cohort.areaId);
    const organisation = await this.organisations.load(command.creditCode);
    const { state, version } = await this.incubations.execute(command.creditCode, (current) =>
      decideEnterCohort(command, cohort, organisation.state, current, caller, this.now()),
    );
    return { ...(state as Incubation), version };
  }

  async getIncubation(creditCode: string): Promise<IncubationView> {
    const { state, version } = await this.incubations.load(creditCode);
    if (state.status === "none") throw new NotFoundError("incubation of organisation", creditCode);
    return { ...state, version };
  }

  async changeStage(creditCode: string, command: ChangeStage, caller: Caller): Promise<IncubationView> {
    const { state, version } = await this.incubations.execute(creditCode, (current) => {
      if (current.status === "none") throw new NotFoundError("incubation of organisation", creditCode);
      requireRegistryOfficer(caller, current.areaId);
      return decideChangeStage(command, current, caller, this.now());
    });
    return { ...(state as Incubation), version };
  }

  /** Organisations whose latest enrolment is in the cohort, by credit code. */
  async listParticipants(cohortId: string, page: PageRequest) {
    await this.getCohort(cohortId);
    const found = await pageOfSnapshots(this.incubations.snapshots, { "state.cohortId": cohortId }, page);
    return {
      incubations: found.items.map(({ state, version }) => ({ ...(state as Incubation), version })),
      nextPageToken: found.nextPageToken,
    };
  }
}
