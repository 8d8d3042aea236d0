import { gridCasesV1 } from "@civic/contracts";
import { openServiceStorage, projectionReader, startProjector } from "@civic/event-log";
import { PersonalDataProtector, type RunningService, startGrpcServer } from "@civic/service-kit";
import type { CommandStartedEvent } from "mongodb";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import { areaGrpcService } from "./adapters/area-grpc-service.js";
import { caseGrpcService } from "./adapters/case-grpc-service.js";
import { caseStatisticsProjection } from "./adapters/case-statistics-projection.js";
import { startReferralConsumers } from "./adapters/referral-consumers.js";
import { safetyIncidentCountsProjection } from "./adapters/safety-incident-counts-projection.js";
import { safetyIndexGrpcService } from "./adapters/safety-index-grpc-service.js";
import {
  areaAggregate,
  caseAggregate,
  departmentAggregate,
  safetyIncidentAggregate,
  safetyPeriodAggregate,
} from "./aggregates.js";
import { AreaDesk } from "./app/area-desk.js";
import { CaseIntakeDesk } from "./app/case-intake-desk.js";
import { CaseListDesk } from "./app/case-list-desk.js";
import { CaseReferralDesk } from "./app/case-referral-desk.js";
import { CaseStatisticsDesk } from "./app/case-statistics-desk.js";
import { CaseWorkflowDesk } from "./app/case-workflow-desk.js";
import { ReporterContacts } from "./app/reporter-contacts.js";
import { SafetyIndexDesk } from "./app/safety-index-desk.js";
import { SlaWatcher } from "./app/sla-watcher.js";
import type { GridCasesConfig } from "./config.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./domain/case-categories.js";
import { defaultSafetyIndexConfig, fourIndicatorSafetyIndexConfig } from "./domain/safety-index.js";
import { SlaClock } from "./domain/sla.js";
import { china2026, WorkingCalendar } from "./domain/working-calendar.js";

export type RunningGridCases = RunningService;

/** Wires the grid-cases service: storage, event log, use cases and the gRPC server. */
export async function startGridCases(
  config: GridCasesConfig,
  logger: Logger,
  options: { onMongoCommand?: (event: CommandStartedEvent) => void } = {},
): Promise<RunningGridCases> {
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
  const safetyConfig =
    config.SAFETY_INDEX_INDICATORS === "four" ? fourIndicatorSafetyIndexConfig : defaultSafetyIndexConfig;
  const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);
  const sla = new SlaClock(catalogue, new WorkingCalendar([china2026]));
  const slaWatcher = new SlaWatcher(cases, logger);
  const statisticsProjection = caseStatisticsProjection(eventLog.streamName, eventLog.store.subjectPrefix);
  const statisticsProjector = await startProjector(statisticsProjection, consumerOptions);
  const reporterContacts = new ReporterContacts(
    new PersonalDataProtector(config.PERSONAL_DATA_KEY, config.PERSONAL_DATA_PREVIOUS_KEYS),
    db.collection("personal_data_reads"),
  );
  const referralConsumers = await startReferralConsumers(
    new CaseReferralDesk(cases, catalogue, registry, reporterContacts.seal),
    consumerOptions,
  );
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
          ),
        ),
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
      { name: "statistics projector", stop: () => statisticsProjector.stop() },
      { name: "incident counts projector", stop: () => incidentCountsProjector.stop() },
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
