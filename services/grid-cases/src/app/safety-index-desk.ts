import {
  AlreadyExistsError,
  type Caller,
  FailedPreconditionError,
  hasAnyRole,
  PermissionDeniedError,
  requireCalendarMonth,
} from "@civic/domain-kit";
import type { AggregateRepository, PageRequest, ProjectionReader } from "@civic/event-log";
import type { SafetyFollowUp } from "../domain/safety-follow-up.js";
import {
  decideRecordIncident,
  incidentCountKey,
  incidentKeyOf,
  type RecordIncident,
  type SafetyIncident,
  type SafetyIncidentEvent,
  type SafetyIncidentState,
  sameIncident,
} from "../domain/safety-incident.js";
import { computeSafetyIndex, type SafetyIndex, type SafetyIndexConfig } from "../domain/safety-index.js";
import {
  decideIncidentCount,
  decidePublishSafetyIndex,
  type SafetyPeriodEvent,
  type SafetyPeriodState,
} from "../domain/safety-period.js";
import type { AreaDesk } from "./area-desk.js";
import type { SafetyFollowUpDesk } from "./safety-follow-up-desk.js";

/** Who feeds incident counts and publishes the index. */
export const safetyIndexOperators = ["command_centre", "incident_feed"];

export interface SafetyIndexView {
  areaId: string;
  period: string;
  /** Per indicator: the total a feed sent, or else the incidents recorded one by one. */
  counts: Record<string, number>;
  /** Incidents recorded one by one, per indicator. */
  recordedIncidents: Record<string, number>;
  /** The index the current counts give (a preview until published). */
  current: SafetyIndex | null;
  published: (SafetyIndex & { publishedAt: string }) | null;
  /** The follow-up an orange or red street's publication opened, if any. */
  followUp: SafetyFollowUp | null;
}

/** Use cases of the safety index: record incidents or counts, publish, read. */
export class SafetyIndexDesk {
  constructor(
    private readonly periods: AggregateRepository<SafetyPeriodState, SafetyPeriodEvent>,
    private readonly incidents: AggregateRepository<SafetyIncidentState, SafetyIncidentEvent>,
    private readonly incidentCounts: ProjectionReader<number>,
    private readonly areas: Pick<AreaDesk, "get" | "exists" | "listChildren">,
    private readonly config: SafetyIndexConfig,
    private readonly followUps: Pick<SafetyFollowUpDesk, "get">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records one incident from a sending system. The same incident sent again changes
   * nothing (`created: false`); the same id with other details is a conflict.
   */
  async recordIncident(
    command: RecordIncident,
    caller: Caller,
  ): Promise<{ incident: SafetyIncident; created: boolean }> {
    this.requireOperator(caller);
    const level = (await this.areas.exists(command.areaId))
      ? (await this.areas.get(command.areaId)).level
      : undefined;
    const event = decideRecordIncident(command, level, this.config, caller, this.now());
    const key = incidentKeyOf(command.source, command.incidentId);
    try {
      await this.incidents.create(key, () => event);
      return { incident: event.data, created: true };
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const { state } = await this.incidents.load(key);
      if (state.status === "recorded" && sameIncident(state, command)) {
        const { status: _status, ...incident } = state;
        return { incident, created: false };
      }
      throw new AlreadyExistsError(`incident ${key} was already recorded with other details`);
    }
  }

  async recordCount(
    command: { areaId: string; period: string; indicator: string; count: number },
    caller: Caller,
  ) {
    this.requireOperator(caller);
    await this.requireDistrictOrStreet(command.areaId);
    const event = decideIncidentCount(command, this.config, caller, this.now());
    await this.periods.execute(periodId(command.areaId, command.period), () => event);
    return this.get(command.areaId, command.period);
  }

  async publish(areaId: string, period: string, caller: Caller): Promise<SafetyIndexView> {
    this.requireOperator(caller);
    requireCalendarMonth(period);
    const area = await this.requireDistrictOrStreet(areaId);
    const recorded = await this.recordedIncidents(areaId, period);
    await this.periods.execute(periodId(areaId, period), (state) =>
      decidePublishSafetyIndex(
        { areaId, period, counts: mergedCounts(state, recorded) },
        area.population,
        this.config,
        caller,
        this.now(),
      ),
    );
    return this.get(areaId, period);
  }

  async get(areaId: string, period: string): Promise<SafetyIndexView> {
    requireCalendarMonth(period);
    const [{ state }, recordedIncidents, area, followUp] = await Promise.all([
      this.periods.load(periodId(areaId, period)),
      this.recordedIncidents(areaId, period),
      this.areas.get(areaId),
      this.followUps.get(areaId, period),
    ]);
    const counts = mergedCounts(state, recordedIncidents);
    const current =
      area.population > 0 && Object.keys(counts).length > 0
        ? computeSafetyIndex(area.population, counts, this.config)
        : null;
    const published = state.status === "none" ? null : state.published;
    return { areaId, period, counts, recordedIncidents, current, published, followUp };
  }

  /** The index of each street of a district for one month, a page at a time. */
  async listStreets(districtId: string, period: string, page: PageRequest) {
    requireCalendarMonth(period);
    const district = await this.areas.get(districtId);
    if (district.level !== "district") {
      throw new FailedPreconditionError(
        `${districtId} is a ${district.level}, not a district`,
        "NOT_DISTRICT",
      );
    }
    const streets = await this.areas.listChildren(districtId, page);
    return {
      streets: await Promise.all(streets.areas.map((street) => this.get(street.areaId, period))),
      nextPageToken: streets.nextPageToken,
    };
  }

  private async recordedIncidents(areaId: string, period: string): Promise<Record<string, number>> {
    const counts = await Promise.all(
      this.config.indicators.map(async ({ key }) => {
        const { state } = await this.incidentCounts(incidentCountKey(areaId, period, key));
        return [key, state] as const;
      }),
    );
    return Object.fromEntries(counts.filter(([, count]) => count > 0));
  }

  private requireOperator(caller: Caller): void {
    if (!hasAnyRole(caller, safetyIndexOperators)) {
      throw new PermissionDeniedError(`the safety index needs one of ${safetyIndexOperators.join(", ")}`);
    }
  }

  private async requireDistrictOrStreet(areaId: string) {
    const area = await this.areas.get(areaId);
    if (area.level !== "district" && area.level !== "street") {
      throw new FailedPreconditionError(
        `the safety index is kept for districts and streets, not a ${area.level}`,
        "NOT_DISTRICT_OR_STREET",
      );
    }
    return area;
  }
}

const periodId = (areaId: string, period: string) => `${areaId}_${period}`;

/** A total a feed sent for an indicator stands; otherwise the incidents recorded one by one count. */
function mergedCounts(state: SafetyPeriodState, recorded: Record<string, number>): Record<string, number> {
  return { ...recorded, ...(state.status === "none" ? {} : state.counts) };
}
