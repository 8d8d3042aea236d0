import { randomBytes } from "node:crypto";
import { deliberationConfigSchema, startDeliberation } from "@civic/deliberation";
import { gatewayConfigSchema, startGateway } from "@civic/gateway";
import { gridCasesConfigSchema, startGridCases } from "@civic/grid-cases";
import { partyBuildingConfigSchema, startPartyBuilding } from "@civic/party-building";
import { inProcessCallerTokens } from "@civic/service-kit";
import { socialRegistryConfigSchema, startSocialRegistry } from "@civic/social-registry";
import { inProcessServiceSettings, uniqueDatabaseName } from "@civic/testing";
import { startVolunteerStations, volunteerStationsConfigSchema } from "@civic/volunteer-stations";
import { MongoClient } from "mongodb";
import { quietLogger, testJwtSecret, testWorkingCalendarFile } from "./platform.js";

/** Every service and the production gateway wiring (limits raised), in this process. */
export interface WholePlatform {
  gatewayUrl: string;
  /** Event namespace of this platform: its events are on `<namespace>.<domain>.>`. */
  namespace: string;
  /** Where each service's gRPC server listens (host:port), for calls that bypass the gateway. */
  serviceAddresses: Record<
    "grid-cases" | "party-building" | "deliberation" | "social-registry" | "volunteer-stations",
    string
  >;
  /**
   * The number of documents in each collection of every service's database, leaving out
   * what only follows events already stored. `settled`: once two readings agree, so that
   * what earlier requests set off has landed.
   */
  storedDocuments(options?: { settled?: boolean }): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

interface Stoppable {
  stops: { stop: () => Promise<void> }[];
}

/** Written after an event is stored, by the relay that publishes it and the projections that fold it. */
const followUpCollections = new Set(["relay_marks", "relay_checkpoint", "projection_steps"]);

export async function startWholePlatform(
  mongoUri: string,
  natsUrl: string,
  /** Gateway settings besides the test's (e.g. UPSTREAM_MAX_IN_FLIGHT). */
  gatewaySettings: Record<string, unknown> = {},
): Promise<WholePlatform> {
  const base = uniqueDatabaseName("whole");
  const namespace = `whole_${base.slice(-8)}`;
  const callerTokens = await inProcessCallerTokens();
  const storage = (suffix: string) => ({
    CALLER_TOKEN_PUBLIC_KEY: callerTokens.publicKey,
    ...inProcessServiceSettings(mongoUri, natsUrl, `${base}_${suffix}`, namespace),
  });
  const personalDataKey = () => randomBytes(32).toString("base64");
  const services: Stoppable[] = [];
  const started = async <Service extends Stoppable>(service: Promise<Service>) => {
    const running = await service;
    services.push(running);
    return running;
  };
  const gridCases = await started(
    startGridCases(
      gridCasesConfigSchema.parse({
        ...storage("gc"),
        PERSONAL_DATA_KEY: personalDataKey(),
        WORKING_CALENDAR_FILE: testWorkingCalendarFile,
      }),
      quietLogger,
    ),
  );
  const partyBuilding = await started(
    startPartyBuilding(partyBuildingConfigSchema.parse(storage("pb")), quietLogger),
  );
  const deliberation = await started(
    startDeliberation(deliberationConfigSchema.parse(storage("dl")), quietLogger),
  );
  const socialRegistry = await started(
    startSocialRegistry(socialRegistryConfigSchema.parse(storage("sr")), quietLogger),
  );
  const volunteerStations = await started(
    startVolunteerStations(
      volunteerStationsConfigSchema.parse({ ...storage("vs"), PERSONAL_DATA_KEY: personalDataKey() }),
      quietLogger,
    ),
  );
  const address = (service: { grpcPort: number }) => `127.0.0.1:${service.grpcPort}`;
  const gateway = await startGateway(
    gatewayConfigSchema.parse({
      PORT: 0,
      GRID_CASES_ADDRESS: address(gridCases),
      PARTY_BUILDING_ADDRESS: address(partyBuilding),
      DELIBERATION_ADDRESS: address(deliberation),
      SOCIAL_REGISTRY_ADDRESS: address(socialRegistry),
      VOLUNTEER_STATIONS_ADDRESS: address(volunteerStations),
      NATS_URL: natsUrl,
      EVENT_NAMESPACE: namespace,
      IDEMPOTENCY_BUCKET: `${namespace}_idempotency`,
      RATE_LIMIT_BUCKET: `${namespace}_rate_limits`,
      JWT_SECRET: testJwtSecret,
      CALLER_TOKEN_PRIVATE_KEY: callerTokens.privateKey,
      RATE_LIMIT_PER_IP: 1_000_000,
      RATE_LIMIT_PER_CALLER: 1_000_000,
      ...gatewaySettings,
    }),
    quietLogger,
  );
  const mongo = await MongoClient.connect(mongoUri);
  const databaseNames = ["gc", "pb", "dl", "sr", "vs"].map((suffix) => `${base}_${suffix}`);
  return {
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    namespace,
    serviceAddresses: {
      "grid-cases": address(gridCases),
      "party-building": address(partyBuilding),
      deliberation: address(deliberation),
      "social-registry": address(socialRegistry),
      "volunteer-stations": address(volunteerStations),
    },
    async storedDocuments({ settled = false } = {}) {
      const read = async () => {
        const counts: Record<string, number> = {};
        for (const name of databaseNames) {
          const db = mongo.db(name);
          for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray()) {
            if (followUpCollections.has(collection)) continue;
            counts[`${name}.${collection}`] = await db.collection(collection).countDocuments();
          }
        }
        return counts;
      };
      let counts = await read();
      for (let attempt = 0; settled && attempt < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const again = await read();
        if (JSON.stringify(again) === JSON.stringify(counts)) break;
        counts = again;
      }
      return counts;
    },
    async stop() {
      await mongo.close();
      await gateway.close();
      for (const service of services.reverse()) for (const step of service.stops) await step.stop();
    },
  };
}
