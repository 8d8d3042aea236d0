import { type RunningDeliberation, startDeliberation } from "@civic/deliberation";
import { DomainEventFeed } from "@civic/gateway";
import { inProcessServiceSettings, uniqueDatabaseName } from "@civic/testing";
import { connect } from "@nats-io/transport-node";
import { type MovableClock, movableClock } from "./movable-clock.js";
import { quietLogger, serveTestGateway } from "./platform.js";
import { deliberationTestAreas, publishAreas } from "./published-areas.js";

/** deliberation and a gateway in front of it, in this process, on free ports. */
export interface DeliberationTestPlatform {
  gatewayUrl: string;
  grpcAddress: string;
  databaseName: string;
  namespace: string;
  deliberation: RunningDeliberation;
  /** The service's clock: tests move it forward. */
  clock: MovableClock;
  stop(): Promise<void>;
}

export async function startDeliberationTestPlatform(
  mongoUri: string,
  natsUrl: string,
  options: { admissibilityFile?: string; coFundingReconcileIntervalMs?: number } = {},
): Promise<DeliberationTestPlatform> {
  const databaseName = uniqueDatabaseName("deliberation");
  const namespace = `e2e_${databaseName.slice(-8)}`;
  const { clock, now } = movableClock();
  const deliberation = await startDeliberation(
    {
      ...inProcessServiceSettings(mongoUri, natsUrl, databaseName, namespace),
      TOPIC_ADMISSIBILITY_FILE: options.admissibilityFile,
      // Rolls back cut-off co-funding plans soon after a test moves the clock past their staleness.
      CO_FUNDING_RECONCILE_INTERVAL_MS: options.coFundingReconcileIntervalMs ?? 250,
    },
    quietLogger,
    { now },
  );
  // grid-cases is not started: its area events are published as it would publish them.
  await publishAreas(natsUrl, namespace, deliberationTestAreas, deliberation.areas);
  const grpcAddress = `127.0.0.1:${deliberation.grpcPort}`;
  const feedConnection = await connect({ servers: natsUrl });
  const feed = DomainEventFeed.start(feedConnection, namespace, quietLogger);
  await feedConnection.flush();
  // Only deliberation's routes are mounted.
  const gateway = await serveTestGateway(
    { deliberation: grpcAddress },
    { eventStream: { feed, limits: { perCaller: 2, total: 50, keepAliveMs: 60_000 } }, deadlineMs: 10_000 },
  );
  return {
    gatewayUrl: gateway.url,
    grpcAddress,
    databaseName,
    namespace,
    deliberation,
    clock,
    async stop() {
      feed.close();
      await gateway.close();
      await feedConnection.drain();
      for (const step of deliberation.stops) await step.stop();
    },
  };
}
