import type { Caller } from "@civic/domain-kit";
import type { ProjectionReader } from "@civic/event-log";
import {
  type CaseCounters,
  type CaseRates,
  caseRates,
  type StatisticsScope,
  statisticsSliceFor,
} from "../domain/case-statistics.js";

export interface CaseStatisticsView extends CaseCounters, CaseRates {
  scope: StatisticsScope;
  value: string;
}

/** Reads one slice of the case statistics projection: one small read, however many cases. */
export class CaseStatisticsDesk {
  constructor(private readonly statistics: ProjectionReader<CaseCounters>) {}

  async get(scope: string, value: string, caller: Caller): Promise<CaseStatisticsView> {
    const slice = statisticsSliceFor(scope, value, caller);
    const { state } = await this.statistics(slice.key);
    return { scope: slice.scope, value: slice.value, ...state, ...caseRates(state) };
  }
}
