import {
  AreaCode,
  type Caller,
  FieldChecks,
  InvalidArgumentError,
  isCalendarDate,
  NotFoundError,
} from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import {
  type AssignDuty,
  type Duty,
  type DutyEvent,
  type DutyState,
  decideAssignDuty,
  decideRemoveDuty,
  dutyIdOf,
  dutyPeriods,
  validateDuty,
} from "../domain/centre-duty.js";
import { communityKeepers, requireRoleIn } from "../domain/party-roles.js";
import {
  type CentreEvent,
  type CentreOffer,
  type CentreState,
  centreLevels,
  decideRegisterCentre,
  decideUpdateOffer,
  type RegisterCentre,
  type ServiceCentre,
  validateCentre,
  validateOffer,
} from "../domain/service-centre.js";

export type CentreView = ServiceCentre & { version: number };

/** The longest stretch of a roster read at once. */
const maxRosterDays = 31;

/** Use cases of party-mass service centres: registering, their offer, listing, duty rosters. */
export class ServiceCentreDesk {
  constructor(
    private readonly centres: AggregateRepository<CentreState, CentreEvent>,
    private readonly duties: AggregateRepository<DutyState, DutyEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async register(command: RegisterCentre, caller: Caller): Promise<CentreView> {
    validateCentre(command);
    requireRoleIn(caller, communityKeepers, command.areaId);
    const { state, version } = await this.centres.create(command.centreId, (initial) =>
      decideRegisterCentre(command, initial, caller.subject, this.now()),
    );
    return { ...registered(state, command.centreId), version };
  }

  async get(centreId: string): Promise<CentreView> {
    const { state, version } = await this.centres.load(centreId);
    return { ...registered(state, centreId), version };
  }

  async updateOffer(
    centreId: string,
    offer: CentreOffer,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<CentreView> {
    validateOffer(offer);
    const centre = await this.get(centreId);
    requireRoleIn(caller, communityKeepers, centre.areaId);
    const { state, version } = await this.centres.execute(
      centreId,
      () => decideUpdateOffer(offer, caller.subject, this.now()),
      expectedVersion,
    );
    return { ...registered(state, centreId), version };
  }

  /** Centres in an area (a code covers every area below it), of one level or all, in id order. */
  async list(
    filter: { areaId: string; level: string; gapsOnly: boolean },
    page: PageRequest,
  ): Promise<{ centres: CentreView[]; nextPageToken: string }> {
    if (filter.areaId !== "" && !AreaCode.isPrefix(filter.areaId, { min: 6, max: 15 }))
      throw new InvalidArgumentError([{ field: "areaId", description: "must be an area code or empty" }]);
    if (filter.level !== "" && !(centreLevels as readonly string[]).includes(filter.level))
      throw new InvalidArgumentError([
        { field: "level", description: `must be one of ${centreLevels.join(", ")} or empty` },
      ]);
    const query: Record<string, unknown> = { "state.status": "registered" };
    Object.assign(query, AreaCode.range("state.areaId", filter.areaId));
    if (filter.level) query["state.level"] = filter.level;
    if (filter.gapsOnly) query["state.standard.gaps.0"] = { $exists: true };
    const found = await pageOfSnapshots(this.centres.snapshots, query, page);
    return {
      centres: found.items.map((item) => ({ ...(item.state as ServiceCentre), version: item.version })),
      nextPageToken: found.nextPageToken,
    };
  }

  async assignDuty(centreId: string, command: AssignDuty, caller: Caller): Promise<Duty> {
    validateDuty(command);
    const centre = await this.get(centreId);
    requireRoleIn(caller, communityKeepers, centre.areaId);
    const dutyId = dutyIdOf(centreId, command.date, command.period, command.personId);
    const { state } = await this.duties.execute(dutyId, (current) =>
      decideAssignDuty(command, centreId, current, caller.subject, this.now()),
    );
    return state as Duty;
  }

  async removeDuty(centreId: string, dutyId: string, caller: Caller): Promise<Duty> {
    const centre = await this.get(centreId);
    requireRoleIn(caller, communityKeepers, centre.areaId);
    if (!dutyId.startsWith(`${centreId}~`)) throw new NotFoundError("duty", dutyId);
    const { state } = await this.duties.execute(dutyId, (current) =>
      decideRemoveDuty(current, caller.subject, this.now()),
    );
    return state as Duty;
  }

  /** Who is on duty from one local date to another (inclusive), by date and period. */
  async roster(centreId: string, from: string, to: string): Promise<Duty[]> {
    const aDate = "must be a date, YYYY-MM-DD";
    const checks = new FieldChecks().check("from", isCalendarDate(from), aDate);
    if (!isCalendarDate(to)) checks.add("to", aDate);
    else if (isCalendarDate(from)) {
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      checks.check(
        "to",
        days >= 0 && days < maxRosterDays,
        `must be from to ${maxRosterDays - 1} days after it`,
      );
    }
    checks.throwIfAny();
    await this.get(centreId);
    const found = await this.duties.snapshots
      .find({
        "state.centreId": centreId,
        "state.status": "assigned",
        "state.date": { $gte: from, $lte: to },
      })
      .toArray();
    const order = (duty: Duty) => `${duty.date}${dutyPeriods.indexOf(duty.period)}${duty.personId}`;
    return found.map((item) => item.state as Duty).sort((a, b) => order(a).localeCompare(order(b)));
  }
}

function registered(state: CentreState, centreId: string): ServiceCentre {
  if (state.status === "none") throw new NotFoundError("service centre", centreId);
  return state;
}
