import { type AreaDirectory, startAreaReplica } from "@civic/area-replica";
import { openServiceStorage } from "@civic/event-log";
import { PeriodicRound, type RunningService, startGrpcServer } from "@civic/service-kit";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import { councilGrpcService } from "./adapters/council-grpc-service.js";
import { startElectionSeating } from "./adapters/election-seating-consumer.js";
import { fundGrpcService } from "./adapters/fund-grpc-service.js";
import { maintenanceFundGrpcService } from "./adapters/maintenance-fund-grpc-service.js";
import { meetingGrpcService } from "./adapters/meeting-grpc-service.js";
import { microProjectGrpcService } from "./adapters/micro-project-grpc-service.js";
import { renovationGrpcService } from "./adapters/renovation-grpc-service.js";
import { resolutionGrpcService } from "./adapters/resolution-grpc-service.js";
import { startTaskProgressConsumers } from "./adapters/task-progress-consumers.js";
import { topicGrpcService } from "./adapters/topic-grpc-service.js";
import { startTopicProposalConsumers } from "./adapters/topic-proposal-consumers.js";
import { voteGrpcService } from "./adapters/vote-grpc-service.js";
import {
  ballotBoxAggregate,
  coFundingAggregate,
  councilAggregate,
  fundAggregate,
  maintenanceFundAggregate,
  meetingAggregate,
  microProjectAggregate,
  microProjectBudgetAggregate,
  renovationProgrammeAggregate,
  renovationProjectAggregate,
  resolutionAggregate,
  topicAggregate,
  voteAggregate,
} from "./aggregates.js";
import { loadAdmissibilityList } from "./app/admissibility-file.js";
import { AreaScope } from "./app/area-scope.js";
import { CoFundingDesk } from "./app/co-funding-desk.js";
import { CouncilDesk } from "./app/council-desk.js";
import { FundDesk } from "./app/fund-desk.js";
import { MaintenanceFundDesk } from "./app/maintenance-fund-desk.js";
import { MeetingDesk } from "./app/meeting-desk.js";
import { MicroProjectDesk } from "./app/micro-project-desk.js";
import { RenovationDesk } from "./app/renovation-desk.js";
import { ResolutionDesk } from "./app/resolution-desk.js";
import { TopicDesk } from "./app/topic-desk.js";
import { VoteDesk } from "./app/vote-desk.js";
import {
  type DeliberationConfig,
  defaultMicroProjectBudgetFen,
  defaultTopicProposalDomains,
} from "./config.js";

export interface RunningDeliberation extends RunningService {
  /** The service's replica of grid-cases' areas (tests wait on it). */
  areas: AreaDirectory;
}

export interface DeliberationOptions {
  /** The service's clock; tests pass a fake one. */
  now?: () => Date;
}

/** Wires the deliberation service: storage, event log, use cases and the gRPC server. */
export async function startDeliberation(
  config: DeliberationConfig,
  logger: Logger,
  options: DeliberationOptions = {},
): Promise<RunningDeliberation> {
  const now = options.now ?? (() => new Date());
  // Read before connecting anything: a bad file stops the start with its reason.
  const admissibility = await loadAdmissibilityList(config.TOPIC_ADMISSIBILITY_FILE);
  const { db, eventLog, consumerOptions, closers } = await openServiceStorage(
    "deliberation",
    config,
    logger,
    { now },
  );
  const areaReplica = await startAreaReplica({ consumer: "deliberation", ...consumerOptions });
  const areaScope = new AreaScope(areaReplica.directory);
  const councils = await eventLog.repository(councilAggregate);
  const registry = new CouncilDesk(councils, areaScope, uuidv7, now);
  const votes = await eventLog.repository(voteAggregate);
  const boxes = await eventLog.repository(ballotBoxAggregate);
  const voteDesk = new VoteDesk(db, votes, boxes, councils, eventLog.store, uuidv7, now);
  const topics = await eventLog.repository(topicAggregate);
  const topicDesk = new TopicDesk(topics, areaScope, admissibility, uuidv7, now);
  const funds = await eventLog.repository(fundAggregate);
  const maintenanceFunds = new MaintenanceFundDesk(
    await eventLog.repository(maintenanceFundAggregate),
    eventLog.store,
    areaScope,
    voteDesk,
    uuidv7,
    now,
  );
  const microProjects = new MicroProjectDesk(
    await eventLog.repository(microProjectAggregate),
    await eventLog.repository(microProjectBudgetAggregate),
    areaScope,
    voteDesk,
    config.MICRO_PROJECT_BUDGET_FEN ?? defaultMicroProjectBudgetFen,
    uuidv7,
    now,
  );
  const renovation = new RenovationDesk(
    await eventLog.repository(renovationProgrammeAggregate),
    await eventLog.repository(renovationProjectAggregate),
    areaScope,
    voteDesk,
    topicDesk,
    uuidv7,
    now,
  );
  const meetings = await eventLog.repository(meetingAggregate);
  const meetingDesk = new MeetingDesk(meetings, councils, uuidv7, now);
  const resolutions = await eventLog.repository(resolutionAggregate);
  const resolutionDesk = new ResolutionDesk(db, resolutions, voteDesk, meetingDesk, uuidv7, now);
  const coFundingPlans = await eventLog.repository(coFundingAggregate);
  const fundLedger = new FundDesk(
    funds,
    eventLog.store,
    areaScope,
    resolutionDesk,
    {
      // A project without a plan was co-funded before plans were recorded, in one request.
      isFunded: async (projectId) =>
        ["funded", "none"].includes((await coFundingPlans.load(projectId)).state.status),
    },
    uuidv7,
    now,
  );
  const coFunding = new CoFundingDesk(coFundingPlans, fundLedger, uuidv7, now);
  const staleAfterMs = config.CO_FUNDING_STALE_AFTER_MS ?? 120_000;
  const coFundingReconciler = new PeriodicRound(
    "co-funding reconciliation",
    () => coFunding.reconcile(staleAfterMs),
    logger,
  );
  coFundingReconciler.start(config.CO_FUNDING_RECONCILE_INTERVAL_MS ?? 30_000);
  const progressConsumers = await startTaskProgressConsumers(resolutionDesk, consumerOptions);
  const topicProposals = await startTopicProposalConsumers(topicDesk, {
    ...consumerOptions,
    domains: (config.TOPIC_PROPOSAL_DOMAINS ?? defaultTopicProposalDomains).split(","),
  });
  const electionSeating = await startElectionSeating(voteDesk, registry, consumerOptions);
  eventLog.startSweeper();
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      councilGrpcService(registry),
      voteGrpcService(voteDesk),
      topicGrpcService(topicDesk),
      fundGrpcService(fundLedger, coFunding),
      maintenanceFundGrpcService(maintenanceFunds),
      microProjectGrpcService(microProjects),
      renovationGrpcService(renovation),
      meetingGrpcService(meetingDesk),
      resolutionGrpcService(resolutionDesk),
    ],
  });
  return {
    grpcPort: server.port,
    areas: areaReplica.directory,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      ...progressConsumers.map((consumer) => ({
        name: "task progress consumer",
        stop: () => consumer.stop(),
      })),
      ...topicProposals.map((consumer) => ({
        name: "topic proposal consumer",
        stop: () => consumer.stop(),
      })),
      { name: "election seating", stop: () => electionSeating.stop() },
      { name: "co-funding reconciliation", stop: () => coFundingReconciler.stop() },
      { name: "area replica", stop: () => areaReplica.stop() },
      ...closers,
    ],
  };
}
