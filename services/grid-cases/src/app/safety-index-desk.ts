import type { AggregateRepository } from "@civic/event-log";
import { type Caller, FailedPreconditionError, PermissionDeniedError } from "@civic/service-kit";
import { computeSafetyIndex, type SafetyIndex, type SafetyIndexConfig } from "../domain/safety-index.js";
import {
  decideIncidentCount,
  decidePublishSafetyIndex,
  type SafetyPeriodEvent,
  type SafetyPeriodState,
} from "../domain/safety-period.js";
import type { AreaRegistry } from "./area-registry.js";

/** Who feeds incident counts and publishes the index. */
export const safetyIndexOperators = ["command_centre", "incident_feed"];

export interface SafetyIndexView {
  areaId: string;
  period: string;
  counts: Record<string, number>;
  /** The index the current counts give (a preview until published). */
  current: SafetyIndex | null;
  published: (SafetyIndex & { publishedAt: string }) | null;
}

/** Use cases of the safety index: record counts, publish, read. */
export class SafetyIndexDesk {
  constructor(
    private readonly periods: AggregateRepository<SafetyPeriodState, SafetyPeriodEvent>,
    private readonly areas: Pick<AreaRegistry, "get">,
    private readonly config: SafetyIndexConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

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
    const area = await this.requireDistrictOrStreet(areaId);
    await this.periods.execute(periodId(areaId, period), (state) =>
      decidePublishSafetyIndex(state, area.population, this.config, caller, this.now()),
    );
    return this.get(areaId, period);
  }

  async get(areaId: string, period: string): Promise<SafetyIndexView> {
    const { state } = await this.periods.load(periodId(areaId, period));
    if (state.status === "none") return { areaId, period, counts: {}, current: null, published: null };
    const area = await this.areas.get(areaId);
    const current =
      area.population > 0 ? computeSafetyIndex(area.population, state.counts, this.config) : null;
    return { areaId, period, counts: state.counts, current, published: state.published };
  }

  private requireOperator(caller: Caller): void {
    if (!caller.roles.some((role) => safetyIndexOperators.includes(role))) {
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
