import {
  type CloudEvent,
  ensureDomainStream,
  type Projection,
  type ProjectorOptions,
  type RunningConsumer,
  startProjector,
} from "@civic/event-log";
import type { CaseEvent } from "../domain/case.js";
import { type CaseCounters, countCaseEvent, emptyCounters } from "../domain/case-statistics.js";
import {
  type CompoundCounters,
  caseAreaOf,
  countCompoundEvent,
  countFundEvent,
  countHappinessFundEvent,
  countLiaisonEvent,
  countRegistryEvent,
  countStaffingEvent,
  countVolunteerEvent,
  emptyCompoundCounters,
  emptyFundCounters,
  emptyHappinessFundCounters,
  emptyLiaisonCounters,
  emptyRegistryCounters,
  emptyStaffingCounters,
  emptyVolunteerCounters,
  type FundCounters,
  type HappinessFundCounters,
  type LiaisonCounters,
  type RegistryCounters,
  type StaffingCounters,
  stockKeysOf,
  type VolunteerCounters,
  yearlyKeysOf,
} from "../domain/scorecard.js";

/**
 * The scorecard's projections: one per producing stream (a projector follows one stream, in
 * order, as the single writer of its keys), so each event counts once however often it is
 * delivered. The scorecard desk reads one key of each.
 */
export interface ScorecardProjections {
  cases: Projection<CaseCounters>;
  liaison: Projection<LiaisonCounters>;
  registry: Projection<RegistryCounters>;
  volunteering: Projection<VolunteerCounters>;
  funds: Projection<FundCounters>;
  happinessFunds: Projection<HappinessFundCounters>;
  staffing: Projection<StaffingCounters>;
  compounds: Projection<CompoundCounters>;
}

const relativeType = (event: CloudEvent, subjectPrefix: string) => event.type.slice(subjectPrefix.length + 1);

/**
 * Names the streams of the other domains (creating them if their producers start later) and
 * describes the projections over them.
 */
export async function scorecardProjections(
  jsm: ProjectorOptions["jsm"],
  namespace: string,
  own: { stream: string; subjectPrefix: string },
): Promise<ScorecardProjections> {
  const partyBuilding = await ensureDomainStream(jsm, "party-building", namespace);
  const socialRegistry = await ensureDomainStream(jsm, "social-registry", namespace);
  const volunteerStations = await ensureDomainStream(jsm, "volunteer-stations", namespace);
  const deliberation = await ensureDomainStream(jsm, "deliberation", namespace);
  const toCaseEvent = (event: CloudEvent) =>
    ({ type: relativeType(event, own.subjectPrefix), data: event.data }) as unknown as CaseEvent;
  return {
    cases: {
      name: "scorecard-cases",
      stream: own.stream,
      filterSubjects: [`${own.subjectPrefix}.case.>`],
      initialState: emptyCounters,
      keysOf: (event) => yearlyKeysOf(caseAreaOf(toCaseEvent(event)), event.time),
      // Area keys: departments play no part (see countCaseEvent).
      apply: (counters, event) => countCaseEvent(counters, toCaseEvent(event), "area"),
    },
    liaison: {
      name: "scorecard-liaison",
      stream: partyBuilding.name,
      filterSubjects: [
        `${partyBuilding.subjectPrefix}.visit.problem_collected`,
        `${partyBuilding.subjectPrefix}.problem.solved`,
      ],
      initialState: emptyLiaisonCounters,
      keysOf: (event) => yearlyKeysOf(event.data.areaId, event.time),
      apply: (counters, event) =>
        countLiaisonEvent(counters, relativeType(event, partyBuilding.subjectPrefix)),
    },
    registry: {
      name: "scorecard-registry",
      stream: socialRegistry.name,
      filterSubjects: [
        `${socialRegistry.subjectPrefix}.organisation.registered`,
        `${socialRegistry.subjectPrefix}.worker.registered`,
      ],
      initialState: emptyRegistryCounters,
      keysOf: (event) => stockKeysOf(event.data.areaId),
      apply: (counters, event) =>
        countRegistryEvent(counters, relativeType(event, socialRegistry.subjectPrefix), event.time),
    },
    volunteering: {
      name: "scorecard-volunteering",
      stream: volunteerStations.name,
      filterSubjects: [
        `${volunteerStations.subjectPrefix}.hours.approved`,
        `${volunteerStations.subjectPrefix}.hours.corrected`,
      ],
      initialState: emptyVolunteerCounters,
      keysOf: (event) => yearlyKeysOf(event.data.areaId, event.time),
      apply: (counters, event) =>
        countVolunteerEvent(counters, relativeType(event, volunteerStations.subjectPrefix), event.data),
    },
    funds: {
      name: "scorecard-maintenance-funds",
      stream: deliberation.name,
      filterSubjects: [
        `${deliberation.subjectPrefix}.maintenance_fund.deposited`,
        `${deliberation.subjectPrefix}.maintenance_fund.withdrawn`,
      ],
      initialState: emptyFundCounters,
      keysOf: (event) => yearlyKeysOf(event.data.areaId, event.time),
      apply: (counters, event) =>
        countFundEvent(counters, relativeType(event, deliberation.subjectPrefix), event.data),
    },
    happinessFunds: {
      name: "scorecard-happiness-funds",
      stream: deliberation.name,
      filterSubjects: ["credited", "allocated", "reversed", "disbursed"].map(
        (step) => `${deliberation.subjectPrefix}.fund.${step}`,
      ),
      initialState: emptyHappinessFundCounters,
      keysOf: (event) => yearlyKeysOf(event.data.areaId, event.time),
      apply: (counters, event) =>
        countHappinessFundEvent(counters, relativeType(event, deliberation.subjectPrefix), event.data),
    },
    staffing: {
      name: "scorecard-staffing",
      stream: own.stream,
      filterSubjects: [
        `${own.subjectPrefix}.community_staffing.worker_started`,
        `${own.subjectPrefix}.community_staffing.worker_ended`,
      ],
      initialState: emptyStaffingCounters,
      keysOf: (event) => stockKeysOf(event.data.communityId),
      apply: (counters, event) =>
        countStaffingEvent(counters, relativeType(event, own.subjectPrefix), event.data),
    },
    compounds: {
      name: "scorecard-compounds",
      stream: partyBuilding.name,
      filterSubjects: [
        `${partyBuilding.subjectPrefix}.compound.>`,
        `${partyBuilding.subjectPrefix}.owners_committee.>`,
      ],
      initialState: emptyCompoundCounters,
      keysOf: (event) => stockKeysOf(event.data.areaId),
      apply: (counters, event) =>
        countCompoundEvent(
          counters,
          relativeType(event, partyBuilding.subjectPrefix),
          event.data,
          event.time,
        ),
    },
  };
}

/** Starts one projector per scorecard projection. */
export async function startScorecardProjectors(
  projections: ScorecardProjections,
  options: ProjectorOptions,
): Promise<RunningConsumer[]> {
  return Promise.all([
    startProjector(projections.cases, options),
    startProjector(projections.liaison, options),
    startProjector(projections.registry, options),
    startProjector(projections.volunteering, options),
    startProjector(projections.funds, options),
    startProjector(projections.happinessFunds, options),
    startProjector(projections.staffing, options),
    startProjector(projections.compounds, options),
  ]);
}
