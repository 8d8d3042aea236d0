import { gridCasesV1 } from "@civic/contracts";
import { openServiceStorage, projectionReader, startProjector } from "@civic/event-log";
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
import { caseGrpcService } from "./adapters/case-grpc-service.js";
import { caseStatisticsProjection } from "./adapters/case-statistics-projection.js";
import { disputeGrpcService } from "./adapters/dispute-grpc-service.js";
import { mediationRateProjection } from "./adapters/mediation-rate-projection.js";
import { patrolGrpcService } from "./adapters/patrol-grpc-service.js";
import { startReferralConsumers } from "./adapters/referral-consumers.js";
import { startSafetyFollowUpConsumer } from "./adapters/safety-follow-up-consumer.js";
import { safetyIncidentCountsProjection } from "./adapters/safety-incident-counts-projection.js";
import { safetyIndexGrpcService } from "./adapters/safety-index-grpc-service.js";
import { workingCalendarGrpcService } from "./adapters/working-calendar-grpc-service.js";
import {
  areaAggregate,
  calendarYearAggregate,
  caseAggregate,
  departmentAggregate,
  disputeAggregate,
  patrolAggregate,
  patrolPlanAggregate,
  safetyFollowUpAggregate,
  safetyIncidentAggregate,
  safetyPeriodAggregate,
} from "./aggregates.js";
import { AreaDesk } from "./app/area-desk.js";
import { readCalendarFile } from "./app/calendar-file.js";
import { CaseIntakeDesk } from "./app/case-intake-desk.js";
import { CaseListDesk } from "./app/case-list-desk.js";
import { CaseReferralDesk } from "./app/case-referral-desk.js";
import { CaseStatisticsDesk } from "./app/case-statistics-desk.js";
import { CaseWorkflowDesk } from "./app/case-workflow-desk.js";
import { DisputeDesk } from "./app/dispute-desk.js";
import { PatrolDesk } from "./app/patrol-desk.js";
import { ReporterContacts } from "./app/reporter-contacts.js";
import { SafetyFollowUpDesk } from "./app/safety-follow-up-desk.js";
import { SafetyIndexDesk } from "./app/safety-index-desk.js";
import { SlaWatcher } from "./app/sla-watcher.js";
import { WorkingCalendarDesk } from "./app/working-calendar-desk.js";
import type { GridCasesConfig } from "./config.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./domain/case-categories.js";
import { defaultSafetyIndexConfig, fourIndicatorSafetyIndexConfig } from "./domain/safety-index.js";
import { SlaClock } from "./domain/sla.js";
import { china2026 } from "./domain/working-calendar.js";

export type RunningGridCases = RunningService;

/** Wires the grid-cases service: storage, event log, use cases and the gRPC server. */
export async function startGridCases(
  config: GridCasesConfig,
  logger: Logger,
  options: { onMongoCommand?: (event: CommandStartedEvent) => void } = {},
): Promise<RunningGridCases> {
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
  const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);
  const calendars = new WorkingCalendarDesk(await eventLog.repository(calendarYearAggregate), logger);
  await calendars.loadIfAbsent([china2026, ...calendarFileYears], "platform");
  const calendarRefresh = new PeriodicRound("working-calendar refresh", () => calendars.refresh(), logger);
  calendarRefresh.start(config.WORKING_CALENDAR_REFRESH_MS ?? 60_000);
  const sla = new SlaClock(catalogue, calendars);
  const slaWatcher = new SlaWatcher(cases, logger);
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
  const referralConsumers = await startReferralConsumers(caseReferrals, consumerOptions);
  const incidentCountsProjector = await startProjector(incidentCountsProjection, consumerOptions);
  eventLog.startSweeper();
  slaWatcher.start(config.SLA_WATCH_INTERVAL_MS);
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      {
        name: "civic.grid_cases.v1.CaseService",
        definition: gridCasesV1.CaseServiceService,
        implementation: caseGrpcService(
          new CaseIntakeDesk(cases, catalogue, registry, reporterContacts, uuidv7),
          new CaseWorkflowDesk(cases, sla, registry),
          new CaseStatisticsDesk(projectionReader(db, statisticsProjection)),
          new CaseListDesk(cases),
          catalogue,
        ),
      },
      {
        name: "civic.grid_cases.v1.SafetyIndexService",
        definition: gridCasesV1.SafetyIndexServiceService,
        implementation: safetyIndexGrpcService(
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
      },
      {
        name: "civic.grid_cases.v1.PatrolService",
        definition: gridCasesV1.PatrolServiceService,
        implementation: patrolGrpcService(patrols),
      },
      {
        name: "civic.grid_cases.v1.DisputeService",
        definition: gridCasesV1.DisputeServiceService,
        implementation: disputeGrpcService(disputes),
      },
      {
        name: "civic.grid_cases.v1.WorkingCalendarService",
        definition: gridCasesV1.WorkingCalendarServiceService,
        implementation: workingCalendarGrpcService(calendars),
      },
      {
        name: "civic.grid_cases.v1.AreaService",
        definition: gridCasesV1.AreaServiceService,
        implementation: areaGrpcService(registry),
      },
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
      { name: "mediation rate projector", stop: () => mediationRateProjector.stop() },
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
