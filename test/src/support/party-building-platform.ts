import { type RunningPartyBuilding, startPartyBuilding } from "@civic/party-building";
import { inProcessServiceSettings, uniqueDatabaseName } from "@civic/testing";
import { jsonCall } from "./in-process-gateway.js";
import { quietLogger, serveTestGateway } from "./platform.js";
import { type PublishedArea, publishAreas } from "./published-areas.js";

/** Points per community service kind, configured differently from the defaults. */
export const testCommunityServicePoints = { volunteering: 2, dispute_mediation: 5 };

/** party-building and a gateway in front of it, in this process, on free ports. */
export interface PartyBuildingPlatform {
  gatewayUrl: string;
  databaseName: string;
  /** Event namespace of this platform: its events are on `<namespace>.party-building.>`. */
  namespace: string;
  partyBuilding: RunningPartyBuilding;
  stop(): Promise<void>;
}

export async function startPartyBuildingPlatform(
  mongoUri: string,
  natsUrl: string,
  /** Areas grid-cases would have defined, published before the platform is handed out. */
  publishedAreas: PublishedArea[] = [],
): Promise<PartyBuildingPlatform> {
  const databaseName = uniqueDatabaseName("party");
  const namespace = `pb_${databaseName.slice(-8)}`;
  const partyBuilding = await startPartyBuilding(
    {
      ...inProcessServiceSettings(mongoUri, natsUrl, databaseName, namespace),
      COMMUNITY_SERVICE_POINTS: testCommunityServicePoints,
    },
    quietLogger,
  );
  if (publishedAreas.length > 0) await publishAreas(natsUrl, namespace, publishedAreas, partyBuilding.areas);
  const address = `127.0.0.1:${partyBuilding.grpcPort}`;
  // grid-cases is not started: only party-building's routes are mounted.
  const gateway = await serveTestGateway(
    { "party-building": address },
    // Generous: the concurrency tests assert outcomes, not latency, on a shared machine.
    { deadlineMs: 30_000 },
  );
  return {
    gatewayUrl: gateway.url,
    databaseName,
    namespace,
    partyBuilding,
    async stop() {
      await gateway.close();
      for (const step of partyBuilding.stops) await step.stop();
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
type GatewayAnswer = { status: number; contentType: string; location: string | null; body: any };

/** A JSON call to the test gateway. */
export function gatewayClient(baseUrl: () => string) {
  return (method: string, path: string, body?: unknown, authorization?: string): Promise<GatewayAnswer> =>
    jsonCall(baseUrl(), method, path, authorization, body);
}

/** Founds the tree the party tests share: 香洲区委 → 拱北街道党工委 → 南村社区党委 (Nancun). */
export async function foundNancunCommittee(found: (body: Record<string, unknown>) => Promise<string>) {
  const district = await found({ level: "district_committee", name: "香洲区委", areaId: "440402" });
  const street = await found({
    level: "street_working_committee",
    name: "拱北街道党工委",
    parentId: district,
    areaId: "440402001",
  });
  const community = await found({
    level: "community_committee",
    name: "南村社区党委",
    parentId: street,
    areaId: "440402001002",
  });
  return { district, street, community };
}
