import { gridCasesV1 } from "@civic/contracts";
import { openServiceStorage, SnapshotStore, startProjector } from "@civic/event-log";
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
import { patrolGrpcService } from "./adapters/patrol-grpc-service.js";
import { startReferralConsumers } from "./adapters/referral-consumers.js";
import { startSafetyFollowUpConsumer } from "./adapters/safety-follow-up-consumer.js";
import { safetyIncidentCountsProjection } from "./adapters/safety-incident-counts-projection.js";
import { safetyIndexGrpcService } from "./adapters/safety-index-grpc-service.js";
import { workingCalendarGrpcService } from "./adapters/working-calendar-grpc-service.js";
import { AreaRegistry } from "./app/area-registry.js";
import { readCalendarFile } from "./app/calendar-file.js";
import { CaseIntake } from "./app/case-intake.js";
import { CaseListing } from "./app/case-listing.js";
import { CaseReferrals } from "./app/case-referrals.js";
import { CaseStatisticsQuery } from "./app/case-statistics-query.js";
import { CaseWorkflow } from "./app/case-workflow.js";
import { GridPatrols } from "./app/grid-patrols.js";
import { ReporterContacts } from "./app/reporter-contacts.js";
import { SafetyFollowUps } from "./app/safety-follow-ups.js";
import { SafetyIndexDesk } from "./app/safety-index-desk.js";
import { SlaWatcher } from "./app/sla-watcher.js";
import { WorkingCalendars } from "./app/working-calendars.js";
import type { GridCasesConfig } from "./config.js";
import { type AreaEvent, type AreaState, evolveArea, initialAreaState } from "./domain/area.js";
import {
  type CalendarYearEvent,
  type CalendarYearState,
  evolveCalendarYear,
  initialCalendarYearState,
} from "./domain/calendar-year.js";
import { type CaseEvent, type CaseState, evolveCase, initialCaseState } from "./domain/case.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./domain/case-categories.js";
import {
  type DepartmentEvent,
  type DepartmentState,
  evolveDepartment,
  initialDepartmentState,
} from "./domain/department.js";
import {
  evolvePatrol,
  evolvePatrolPlan,
  initialPatrolPlanState,
  initialPatrolState,
  type PatrolEvent,
  type PatrolPlanEvent,
  type PatrolPlanState,
  type PatrolState,
} from "./domain/grid-patrol.js";
import {
  evolveSafetyFollowUp,
  initialSafetyFollowUpState,
  type SafetyFollowUpEvent,
  type SafetyFollowUpState,
} from "./domain/safety-follow-up.js";
import {
  evolveSafetyIncident,
  initialSafetyIncidentState,
  type SafetyIncidentEvent,
  type SafetyIncidentState,
} from "./domain/safety-incident.js";
import { defaultSafetyIndexConfig, fourIndicatorSafetyIndexConfig } from "./domain/safety-index.js";
import {
  evolveSafetyPeriod,
  initialSafetyPeriodState,
  type SafetyPeriodEvent,
  type SafetyPeriodState,
} from "./domain/safety-period.js";
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
  const { db, eventLog, closers } = await openServiceStorage("grid-cases", config, logger, options);
  const cases = eventLog.repository<CaseState, CaseEvent>("case", "cases", {
    initialState: initialCaseState,
    evolve: evolveCase,
  });
  const areas = eventLog.repository<AreaState, AreaEvent>("area", "areas", {
    initialState: initialAreaState,
    evolve: evolveArea,
  });
  const departments = eventLog.repository<DepartmentState, DepartmentEvent>("department", "departments", {
    initialState: initialDepartmentState,
    evolve: evolveDepartment,
  });
  const areaSnapshots = new SnapshotStore<AreaState>(db, "areas").collection;
  await AreaRegistry.ensureIndexes(areaSnapshots);
  const registry = new AreaRegistry(
    areas,
    areaSnapshots,
    departments,
    new SnapshotStore<DepartmentState>(db, "departments").collection,
  );
  const safetyPeriods = eventLog.repository<SafetyPeriodState, SafetyPeriodEvent>(
    "safety",
    "safety_periods",
    {
      initialState: initialSafetyPeriodState,
      evolve: evolveSafetyPeriod,
    },
  );
  const safetyIncidents = eventLog.repository<SafetyIncidentState, SafetyIncidentEvent>(
    "incident",
    "safety_incidents",
    { initialState: initialSafetyIncidentState, evolve: evolveSafetyIncident },
  );
  const incidentCountsProjection = safetyIncidentCountsProjection(
    eventLog.streamName,
    eventLog.store.subjectPrefix,
  );
  const safetyFollowUps = new SafetyFollowUps(
    eventLog.repository<SafetyFollowUpState, SafetyFollowUpEvent>("safety_follow_up", "safety_follow_ups", {
      initialState: initialSafetyFollowUpState,
      evolve: evolveSafetyFollowUp,
    }),
  );
  const safetyFollowUpConsumer = await startSafetyFollowUpConsumer(safetyFollowUps, {
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    stream: eventLog.streamName,
    subjectPrefix: eventLog.store.subjectPrefix,
  });
  const safetyConfig =
    config.SAFETY_INDEX_INDICATORS === "four" ? fourIndicatorSafetyIndexConfig : defaultSafetyIndexConfig;
  const snapshots = new SnapshotStore<CaseState>(db, "cases").collection;
  await SlaWatcher.ensureIndexes(snapshots);
  await CaseListing.ensureIndexes(snapshots);
  await snapshots.createIndex({ "state.areaId": 1, "state.categoryCode": 1 }, { name: "area_category" });
  const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);
  const calendars = new WorkingCalendars(
    eventLog.repository<CalendarYearState, CalendarYearEvent>("calendar", "calendar_years", {
      initialState: initialCalendarYearState,
      evolve: evolveCalendarYear,
    }),
    new SnapshotStore<CalendarYearState>(db, "calendar_years").collection,
    logger,
  );
  await calendars.loadIfAbsent([china2026, ...calendarFileYears], "platform");
  const calendarRefresh = new PeriodicRound("working-calendar refresh", () => calendars.refresh(), logger);
  calendarRefresh.start(config.WORKING_CALENDAR_REFRESH_MS ?? 60_000);
  const sla = new SlaClock(catalogue, calendars);
  const slaWatcher = new SlaWatcher(snapshots, cases, logger);
  const statisticsProjection = caseStatisticsProjection(eventLog.streamName, eventLog.store.subjectPrefix);
  const statisticsProjector = await startProjector(statisticsProjection, {
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
  });
  const reporterContacts = new ReporterContacts(
    new PersonalDataProtector(config.PERSONAL_DATA_KEY),
    db.collection("personal_data_reads"),
  );
  const caseReferrals = new CaseReferrals(cases, catalogue, registry, reporterContacts.seal);
  const patrolSnapshots = new SnapshotStore<PatrolState>(db, "patrols").collection;
  await GridPatrols.ensureIndexes(patrolSnapshots);
  const gridPatrols = new GridPatrols(
    eventLog.repository<PatrolPlanState, PatrolPlanEvent>("patrol_plan", "patrol_plans", {
      initialState: initialPatrolPlanState,
      evolve: evolvePatrolPlan,
    }),
    eventLog.repository<PatrolState, PatrolEvent>("patrol", "patrols", {
      initialState: initialPatrolState,
      evolve: evolvePatrol,
    }),
    patrolSnapshots,
    registry,
    caseReferrals,
    uuidv7,
  );
  const referralConsumers = await startReferralConsumers(caseReferrals, {
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
    namespace: config.EVENT_NAMESPACE,
  });
  const incidentCountsProjector = await startProjector(incidentCountsProjection, {
    js: eventLog.js,
    jsm: eventLog.jsm,
    db,
    logger,
  });
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
          new CaseIntake(cases, catalogue, registry, reporterContacts, snapshots, uuidv7),
          new CaseWorkflow(cases, sla, registry),
          new CaseStatisticsQuery(db, statisticsProjection),
          new CaseListing(snapshots),
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
            { db, projection: incidentCountsProjection },
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
        implementation: patrolGrpcService(gridPatrols),
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
