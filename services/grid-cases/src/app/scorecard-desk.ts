import type { Caller } from "@civic/domain-kit";
import type { ProjectionReader } from "@civic/event-log";
import type { CaseCounters } from "../domain/case-statistics.js";
import {
  type CompoundCounters,
  checkScorecardRequest,
  type FundCounters,
  type HappinessFundCounters,
  type LiaisonCounters,
  type RegistryCounters,
  type Scorecard,
  type StaffingCounters,
  scorecardOf,
  type VolunteerCounters,
} from "../domain/scorecard.js";
import type { AreaDesk } from "./area-desk.js";

export interface ScorecardReaders {
  cases: ProjectionReader<CaseCounters>;
  liaison: ProjectionReader<LiaisonCounters>;
  registry: ProjectionReader<RegistryCounters>;
  volunteering: ProjectionReader<VolunteerCounters>;
  funds: ProjectionReader<FundCounters>;
  happinessFunds: ProjectionReader<HappinessFundCounters>;
  staffing: ProjectionReader<StaffingCounters>;
  compounds: ProjectionReader<CompoundCounters>;
}

/** Reads an area's scorecard: one key of each projection and the area, however long the history. */
export class ScorecardDesk {
  constructor(
    private readonly readers: ScorecardReaders,
    private readonly areas: AreaDesk,
  ) {}

  async get(areaId: string, year: number, caller: Caller): Promise<Scorecard> {
    checkScorecardRequest(areaId, year, caller);
    const area = await this.areas.get(areaId);
    const key = `${areaId}@${year}`;
    const [cases, liaison, registry, volunteering, funds, happinessFunds, staffing, compounds] =
      await Promise.all([
        this.readers.cases(key),
        this.readers.liaison(key),
        this.readers.registry(areaId),
        this.readers.volunteering(key),
        this.readers.funds(key),
        this.readers.happinessFunds(key),
        this.readers.staffing(areaId),
        this.readers.compounds(areaId),
      ]);
    return scorecardOf({
      area: {
        areaId,
        name: area.name,
        level: area.level,
        population: area.population,
        households: area.households,
      },
      year,
      cases: cases.state,
      liaison: liaison.state,
      registry: registry.state,
      volunteering: volunteering.state,
      funds: funds.state,
      happinessFunds: happinessFunds.state,
      staffing: staffing.state,
      compounds: compounds.state,
    });
  }
}
