import type { Caller } from "@civic/domain-kit";
import { type Projection, readProjection } from "@civic/event-log";
import type { Db } from "mongodb";
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
export class CaseStatisticsQuery {
  constructor(
    private readonly db: Db,
    private readonly projection: Projection<CaseCounters>,
  ) {}

  async get(scope: string, value: string, caller: Caller): Promise<CaseStatisticsView> {
    const slice = statisticsSliceFor(scope, value, caller);
    const { state } = await readProjection(this.db, this.projection, slice.key);
    return { scope: slice.scope, value: slice.value, ...state, ...caseRates(state) };
  }
}
