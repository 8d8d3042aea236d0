import { deliberationV1 } from "@civic/contracts";
import { EventLog, SnapshotStore } from "@civic/event-log";
import { startGrpcServer } from "@civic/service-kit";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import type { Logger } from "pino";
import { v7 as uuidv7 } from "uuid";
import { councilGrpcService } from "./adapters/council-grpc-service.js";
import { voteGrpcService } from "./adapters/vote-grpc-service.js";
import { CouncilRegistry } from "./app/council-registry.js";
import { VoteDesk } from "./app/vote-desk.js";
import type { DeliberationConfig } from "./config.js";
import {
  type BallotBoxEvent,
  type BallotBoxState,
  evolveBallotBox,
  initialBallotBoxState,
} from "./domain/ballot-box.js";
import {
  type CouncilEvent,
  type CouncilState,
  evolveCouncil,
  initialCouncilState,
} from "./domain/council.js";
import { evolveVote, initialVoteState, type VoteEvent, type VoteState } from "./domain/vote.js";

export interface RunningDeliberation {
  grpcPort: number;
  /** Stops in order: no new calls, in-flight calls finish, events flushed, connections closed. */
  stops: { name: string; stop: () => Promise<void> }[];
}

/** Wires the deliberation service: storage, event log, use cases and the gRPC server. */
export async function startDeliberation(
  config: DeliberationConfig,
  logger: Logger,
): Promise<RunningDeliberation> {
  const mongo = new MongoClient(config.MONGODB_URI);
  await mongo.connect();
  const db = mongo.db(config.MONGODB_DATABASE);
  const nats = await connect({ servers: config.NATS_URL, name: "deliberation", maxReconnectAttempts: -1 });
  const eventLog = await EventLog.open({
    db,
    nats,
    domain: "deliberation",
    namespace: config.EVENT_NAMESPACE,
    logger,
  });
  const councils = eventLog.repository<CouncilState, CouncilEvent>("council", "councils", {
    initialState: initialCouncilState,
    evolve: evolveCouncil,
  });
  const councilSnapshots = new SnapshotStore<CouncilState>(db, "councils").collection;
  await CouncilRegistry.ensureIndexes(councilSnapshots);
  const registry = new CouncilRegistry(councils, councilSnapshots, uuidv7);
  const votes = eventLog.repository<VoteState, VoteEvent>("vote", "votes", {
    initialState: initialVoteState,
    evolve: evolveVote,
  });
  const boxes = eventLog.repository<BallotBoxState, BallotBoxEvent>("box", "ballot_boxes", {
    initialState: initialBallotBoxState,
    evolve: evolveBallotBox,
  });
  const voteDesk = new VoteDesk(db, votes, boxes, councils, eventLog.store, uuidv7);
  eventLog.startSweeper();
  const server = await startGrpcServer({
    port: config.GRPC_PORT,
    logger,
    services: [
      {
        name: "civic.deliberation.v1.CouncilService",
        definition: deliberationV1.CouncilServiceService,
        implementation: councilGrpcService(registry),
      },
      {
        name: "civic.deliberation.v1.VoteService",
        definition: deliberationV1.VoteServiceService,
        implementation: voteGrpcService(voteDesk),
      },
    ],
  });
  return {
    grpcPort: server.port,
    stops: [
      { name: "gRPC server", stop: () => server.shutdown(config.SHUTDOWN_GRACE_MS) },
      { name: "event log", stop: () => eventLog.close() },
      { name: "NATS", stop: () => nats.drain() },
      { name: "MongoDB", stop: () => mongo.close() },
    ],
  };
}
