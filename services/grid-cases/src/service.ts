import { HotAggregates, openServiceStorage, projectionReader, startProjector } from "@civic/event-log";
import {
  PeriodicRound,
  PersonalDataProtector,
  type RunningService,
  startGrpcServer,
} from "@civic/service-kit";
import type { CommandStartedEvent } from "mongodb";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import { areaGrpcService } from "./adapters/area-grpc-service.js";
import { caseCatalogueGrpcService } from "./adapters/case-catalogue-grpc-service.js";
import { caseGrpcService } from "./adapters/case-grpc-service.js";
import { caseStatisticsProjection } from "./adapters/case-statistics-projection.js";
import { communityStaffingGrpcService } from "./adapters/community-staffing-grpc-service.js";
import { disputeGrpcService } from "./adapters/dispute-grpc-service.js";
import { dutyListGrpcService } from "./adapters/duty-list-grpc-service.js";
import { dutyReportProjection } from "./adapters/duty-report-projection.js";
import { emergencyNoticeGrpcService } from "./adapters/emergency-notice-grpc-service.js";
import { mediationRateProjection } from "./adapters/mediation-rate-projection.js";
import { patrolGrpcService } from "./adapters/patrol-grpc-service.js";
import { startReferralConsumers } from "./adapters/referral-consumers.js";
import { startSafetyFollowUpConsumer } from "./adapters/safety-follow-up-consumer.js";
import { safetyIncidentCountsProjection } from "./adapters/safety-incident-counts-projection.js";
import { safetyIndexGrpcService } from "./adapters/safety-index-grpc-service.js";
import { scorecardGrpcService } from "./adapters/scorecard-grpc-service.js";
import { scorecardProjections, startScorecardProjectors } from "./adapters/scorecard-projections.js";
import { workingCalendarGrpcService } from "./adapters/working-calendar-grpc-service.js";
import {
  areaAggregate,
  calendarYearAggregate,
  caseAggregate,
  catalogueVersionAggregate,
  communityStaffingAggregate,
  communityTaskAggregate,
  departmentAggregate,
  disputeAggregate,
  dutyListAggregate,
  emergencyNoticeAggregate,
  noticeTallyAggregate,
  patrolAggregate,
  patrolPlanAggregate,
  routingRulesAggregate,
  safetyFollowUpAggregate,
  safetyIncidentAggregate,
  safetyPeriodAggregate,
} from "./aggregates.js";
import { AreaDesk } from "./app/area-desk.js";
import { readCalendarFile } from "./app/calendar-file.js";
import { CaseCategoryDesk } from "./app/case-category-desk.js";
import { CaseIntakeDesk } from "./app/case-intake-desk.js";
import { CaseListDesk } from "./app/case-list-desk.js";
import { CaseReferralDesk } from "./app/case-referral-desk.js";
import { CaseStatisticsDesk } from "./app/case-statistics-desk.js";
import { CaseWorkflowDesk } from "./app/case-workflow-desk.js";
import { CommunityStaffingDesk } from "./app/community-staffing-desk.js";
import { CommunityTaskDesk } from "./app/community-task-desk.js";
import { DisputeDesk } from "./app/dispute-desk.js";
import { DutyListDesk } from "./app/duty-list-desk.js";
import { EmergencyNoticeDesk } from "./app/emergency-notice-desk.js";
import { PatrolDesk } from "./app/patrol-desk.js";
import { ReporterContacts } from "./app/reporter-contacts.js";
import { RoutingRulesDesk } from "./app/routing-rules-desk.js";
import { SafetyFollowUpDesk } from "./app/safety-follow-up-desk.js";
import { SafetyIndexDesk } from "./app/safety-index-desk.js";
import { ScorecardDesk } from "./app/scorecard-desk.js";
import { SlaWatcher } from "./app/sla-watcher.js";
import { WorkingCalendarDesk } from "./app/working-calendar-desk.js";
import type { GridCasesConfig } from "./config.js";
import { defaultStaffingThresholds } from "./domain/community-staffing.js";
import { defaultSafetyIndexConfig, fourIndicatorSafetyIndexConfig } from "./domain/safety-index.js";
import { SlaClock } from "./domain/sla.js";
import { china2026 } from "./domain/working-calendar.js";

export type RunningGridCases = RunningService;

/** Wires the grid-cases service: storage, event log, use cases and the gRPC server. */
export async function startGridCases(
  config: GridCasesConfig,
  logger: Logger,
  options: {
    onMongoCommand?: (event: CommandStartedEvent) => void;
    /** The clock of case steps, their deadlines and the SLA watcher; tests pass a fake one. */
    now?: () => Date;
  } = {},
): Promise<RunningGridCases> {
  const now = options.now ?? (() => new Date());
  // Read before connecting anything: a bad file stops the start with its reason.
  const calendarFileYears = await readCalendarFile(config.WORKING_CALENDAR_FILE);
  const { db, eventLog, consumerOptions, closers } = await openServiceStorage(
    "grid-cases",
    config,
    logger,
    options,
  );
  const cases = await eventLog.repository(caseAggregate);
  const areas = await eventLog.repository(areaAggregate);
  const departments = await eventLog.repository(departmentAggregate);
  const registry = new AreaDesk(areas, departments);
  const staffing = new CommunityStaffingDesk(await eventLog.repository(communityStaffingAggregate), areas, {
    ...defaultStaffingThresholds,
    ...config.STAFFING_THRESHOLDS,
  });
  registry.afterFiguresUpdated((areaId) => staffing.figuresChanged(areaId));
  const safetyPeriods = await eventLog.repository(safetyPeriodAggregate);
  const safetyIncidents = await eventLog.repository(safetyIncidentAggregate);
  const incidentCountsProjection = safetyIncidentCountsProjection(
    eventLog.streamName,
    eventLog.store.subjectPrefix,
  );
  const safetyFollowUps = new SafetyFollowUpDesk(await eventLog.repository(safetyFollowUpAggregate));
  const safetyFollowUpConsumer = await startSafetyFollowUpConsumer(safetyFollowUps, {
    ...consumerOptions,
    stream: eventLog.streamName,
    subjectPrefix: eventLog.store.subjectPrefix,
  });
  const safetyConfig =
    config.SAFETY_INDEX_INDICATORS === "four" ? fourIndicatorSafetyIndexConfig : defaultSafetyIndexConfig;
  const catalogue = new CaseCategoryDesk(await eventLog.repository(catalogueVersionAggregate));
  await catalogue.publishShippedIfAbsent();
  const routing = new RoutingRulesDesk(await eventLog.repository(routingRulesAggregate), catalogue, registry);
  const calendars = new WorkingCalendarDesk(await eventLog.repository(calendarYearAggregate), logger);
  await calendars.loadIfAbsent([china2026, ...calendarFileYears], "platform");
  const calendarRefresh = new PeriodicRound("working-calendar refresh", () => calendars.refresh(), logger);
  calendarRefresh.start(config.WORKING_CALENDAR_REFRESH_MS ?? 60_000);
  const sla = new SlaClock(catalogue, calendars);
  const slaWatcher = new SlaWatcher(cases, logger, now);
  const statisticsProjection = caseStatisticsProjection(eventLog.streamName, eventLog.store.subjectPrefix);
  const statisticsProjector = await startProjector(statisticsProjection, consumerOptions);
  const reporterContacts = new ReporterContacts(
    new PersonalDataProtector(config.PERSONAL_DATA_KEY, config.PERSONAL_DATA_PREVIOUS_KEYS),
    db.collection("personal_data_reads"),
  );
  const caseReferrals = new CaseReferralDesk(cases, catalogue, registry, reporterContacts.seal);
  const patrols = new PatrolDesk(
    await eventLog.repository(patrolPlanAggregate),
    await eventLog.repository(patrolAggregate),
    registry,
    caseReferrals,
    uuidv7,
  );
  const mediationRates = mediationRateProjection(eventLog.streamName, eventLog.store.subjectPrefix);
  const mediationRateProjector = await startProjector(mediationRates, consumerOptions);
  const disputes = new DisputeDesk(
    await eventLog.repository(disputeAggregate),
    cases,
    patrols,
    projectionReader(db, mediationRates),
  );
  const dutyReports = dutyReportProjection(eventLog.streamName, eventLog.store.subjectPrefix);
  const dutyReportProjector = await startProjector(dutyReports, consumerOptions);
  const dutyLists = new DutyListDesk(await eventLog.repository(dutyListAggregate), catalogue, registry, now);
  const communityTasks = new CommunityTaskDesk(
    await eventLog.repository(communityTaskAggregate),
    dutyLists,
    catalogue,
    registry,
    projectionReader(db, dutyReports),
    uuidv7,
    now,
  );
  const referralConsumers = await startReferralConsumers(caseReferrals, consumerOptions);
  const incidentCountsProjector = await startProjector(incidentCountsProjection, consumerOptions);
  const scorecard = await scorecardProjections(consumerOptions.jsm, consumerOptions.namespace, {
    stream: eventLog.streamName,
    subjectPrefix: eventLog.store.subjectPrefix,
  });
  const scorecardProjectors = await startScorecardProjectors(scorecard, consumerOptions);
  const tallies = await eventLog.repository(noticeTallyAggregate);
  const emergencyNotices = new EmergencyNoticeDesk(
    await eventLog.repository(emergencyNoticeAggregate),
    tallies,
    new HotAggregates(tallies),
    registry,
    uuidv7,
  );
  eventLog.startSweeper();
  slaWatcher.start(config.SLA_WATCH_INTERVAL_MS);
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      caseGrpcService(
        new CaseIntakeDesk(cases, catalogue, registry, reporterContacts, uuidv7, now),
        new CaseWorkflowDesk(cases, sla, registry, { categories: catalogue, routing }, now),
        new CaseStatisticsDesk(projectionReader(db, statisticsProjection)),
        new CaseListDesk(cases),
        catalogue,
      ),
      safetyIndexGrpcService(
        new SafetyIndexDesk(
          safetyPeriods,
          safetyIncidents,
          projectionReader(db, incidentCountsProjection),
          registry,
          safetyConfig,
          safetyFollowUps,
        ),
        safetyFollowUps,
      ),
      patrolGrpcService(patrols),
      caseCatalogueGrpcService(catalogue, routing),
      communityStaffingGrpcService(staffing),
      disputeGrpcService(disputes),
      dutyListGrpcService(dutyLists, communityTasks),
      workingCalendarGrpcService(calendars),
      scorecardGrpcService(
        new ScorecardDesk(
          {
            cases: projectionReader(db, scorecard.cases),
            liaison: projectionReader(db, scorecard.liaison),
            registry: projectionReader(db, scorecard.registry),
            volunteering: projectionReader(db, scorecard.volunteering),
            funds: projectionReader(db, scorecard.funds),
            happinessFunds: projectionReader(db, scorecard.happinessFunds),
            staffing: projectionReader(db, scorecard.staffing),
            compounds: projectionReader(db, scorecard.compounds),
          },
          registry,
        ),
      ),
      emergencyNoticeGrpcService(emergencyNotices),
      areaGrpcService(registry),
    ],
  });
  return {
    grpcPort: server.port,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      { name: "SLA watcher", stop: () => slaWatcher.stop() },
      { name: "working-calendar refresh", stop: () => calendarRefresh.stop() },
      { name: "statistics projector", stop: () => statisticsProjector.stop() },
      { name: "incident counts projector", stop: () => incidentCountsProjector.stop() },
      {
        name: "scorecard projectors",
        stop: async () => {
          await Promise.all(scorecardProjectors.map((projector) => projector.stop()));
        },
      },
      { name: "mediation rate projector", stop: () => mediationRateProjector.stop() },
      { name: "duty report projector", stop: () => dutyReportProjector.stop() },
      { name: "safety follow-up consumer", stop: () => safetyFollowUpConsumer.stop() },
      {
        name: "referral consumers",
        stop: async () => {
          await Promise.all(referralConsumers.map((consumer) => consumer.stop()));
        },
      },
      ...closers,
    ],
  };
}
