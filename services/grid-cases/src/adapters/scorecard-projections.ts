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

/** Keys of the event's area: its year's counters, or its standing totals (stock). */
const yearlyByArea = (event: CloudEvent) => yearlyKeysOf(event.data.areaId, event.time);
const stockByArea = (event: CloudEvent) => stockKeysOf(event.data.areaId);

/**
 * The projections over one followed stream: `scorecard-<name>` follows the stream's
 * `subjects` (relative to its prefix) and counts each event by its type relative to it.
 */
function projectionsOf(stream: { name: string; subjectPrefix: string }) {
  return <Counters>(
    name: string,
    subjects: string[],
    initialState: () => Counters,
    keysOf: (event: CloudEvent) => string[],
    count: (counters: Counters, type: string, event: CloudEvent) => Counters,
  ): Projection<Counters> => ({
    name: `scorecard-${name}`,
    stream: stream.name,
    filterSubjects: subjects.map((subject) => `${stream.subjectPrefix}.${subject}`),
    initialState,
    keysOf,
    apply: (counters, event) => count(counters, relativeType(event, stream.subjectPrefix), event),
  });
}

/**
 * Names the streams of the other domains (creating them if their producers start later) and
 * describes the projections over them.
 */
export async function scorecardProjections(
  jsm: ProjectorOptions["jsm"],
  namespace: string,
  own: { stream: string; subjectPrefix: string },
): Promise<ScorecardProjections> {
  const ownStream = projectionsOf({ name: own.stream, subjectPrefix: own.subjectPrefix });
  const partyBuilding = projectionsOf(await ensureDomainStream(jsm, "party-building", namespace));
  const socialRegistry = projectionsOf(await ensureDomainStream(jsm, "social-registry", namespace));
  const volunteerStations = projectionsOf(await ensureDomainStream(jsm, "volunteer-stations", namespace));
  const deliberation = projectionsOf(await ensureDomainStream(jsm, "deliberation", namespace));
  const asCaseEvent = (type: string, event: CloudEvent) =>
    ({ type, data: event.data }) as unknown as CaseEvent;
  return {
    cases: ownStream(
      "cases",
      ["case.>"],
      emptyCounters,
      (event) =>
        yearlyKeysOf(caseAreaOf(asCaseEvent(relativeType(event, own.subjectPrefix), event)), event.time),
      // Area keys: departments play no part (see countCaseEvent).
      (counters, type, event) => countCaseEvent(counters, asCaseEvent(type, event), "area"),
    ),
    liaison: partyBuilding(
      "liaison",
      ["visit.problem_collected", "problem.solved"],
      emptyLiaisonCounters,
      yearlyByArea,
      (counters, type) => countLiaisonEvent(counters, type),
    ),
    registry: socialRegistry(
      "registry",
      ["organisation.registered", "worker.registered"],
      emptyRegistryCounters,
      stockByArea,
      (counters, type, event) => countRegistryEvent(counters, type, event.time),
    ),
    volunteering: volunteerStations(
      "volunteering",
      ["hours.approved", "hours.corrected"],
      emptyVolunteerCounters,
      yearlyByArea,
      (counters, type, event) => countVolunteerEvent(counters, type, event.data),
    ),
    funds: deliberation(
      "maintenance-funds",
      ["maintenance_fund.deposited", "maintenance_fund.withdrawn"],
      emptyFundCounters,
      yearlyByArea,
      (counters, type, event) => countFundEvent(counters, type, event.data),
    ),
    happinessFunds: deliberation(
      "happiness-funds",
      ["fund.credited", "fund.allocated", "fund.reversed", "fund.disbursed"],
      emptyHappinessFundCounters,
      yearlyByArea,
      (counters, type, event) => countHappinessFundEvent(counters, type, event.data),
    ),
    staffing: ownStream(
      "staffing",
      ["community_staffing.worker_started", "community_staffing.worker_ended"],
      emptyStaffingCounters,
      (event) => stockKeysOf(event.data.communityId),
      (counters, type, event) => countStaffingEvent(counters, type, event.data),
    ),
    compounds: partyBuilding(
      "compounds",
      ["compound.>", "owners_committee.>"],
      emptyCompoundCounters,
      stockByArea,
      (counters, type, event) => countCompoundEvent(counters, type, event.data, event.time),
    ),
  };
}

/** Starts one projector per scorecard projection. */
export async function startScorecardProjectors(
  projections: ScorecardProjections,
  options: ProjectorOptions,
): Promise<RunningConsumer[]> {
  return Promise.all(
    Object.values(projections).map((projection: Projection<unknown>) => startProjector(projection, options)),
  );
}
