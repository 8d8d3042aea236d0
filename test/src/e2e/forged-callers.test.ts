/**
 * Anyone who reaches a service's gRPC port directly, bypassing the gateway, gains nothing by
 * claiming to be someone: the services trust only caller tokens the gateway signed.
 */
import {
  deliberationV1,
  gridCasesV1,
  partyBuildingV1,
  socialRegistryV1,
  volunteerStationsV1,
} from "@civic/contracts";
import {
  CallerTokenIssuer,
  callerTokenMetadataKey,
  generateCallerTokenKeys,
  inProcessCallerTokens,
} from "@civic/service-kit";
import * as grpc from "@grpc/grpc-js";
import { UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { platformForTheseTests } from "../support/platform-for-tests.js";
import { startWholePlatform, type WholePlatform } from "../support/whole-platform.js";

type Service = keyof WholePlatform["serviceAddresses"];
type UnaryInvoker = (
  request: unknown,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

/** One creating call per service that a platform admin may make. */
const attempts: {
  service: Service;
  client: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client;
  method: string;
  request: unknown;
}[] = [
  {
    service: "grid-cases",
    client: gridCasesV1.AreaServiceClient,
    method: "defineArea",
    request: gridCasesV1.DefineAreaRequest.fromPartial({
      areaId: "440400",
      level: gridCasesV1.AreaLevel.AREA_LEVEL_CITY,
      name: "珠海市",
      population: 2_581_829,
      households: 902_738,
    }),
  },
  {
    service: "party-building",
    client: partyBuildingV1.OrganisationServiceClient,
    method: "foundOrganisation",
    request: partyBuildingV1.FoundOrganisationRequest.fromPartial({
      level: partyBuildingV1.OrganisationLevel.ORGANISATION_LEVEL_DISTRICT_COMMITTEE,
      name: "Forged committee",
      areaId: "440402",
    }),
  },
  {
    service: "deliberation",
    client: deliberationV1.CouncilServiceClient,
    method: "createCouncil",
    request: deliberationV1.CreateCouncilRequest.fromPartial({
      areaId: "440402001002",
      name: "Forged council",
      seatCount: 5,
      termStart: "2026-01-01",
      termEnd: "2028-12-31",
    }),
  },
  {
    service: "social-registry",
    client: socialRegistryV1.OrganisationServiceClient,
    method: "registerOrganisation",
    request: socialRegistryV1.RegisterOrganisationRequest.fromPartial({
      creditCode: "51440402MJ0000001X",
      name: "Forged association",
      areaId: "440402001002",
    }),
  },
  {
    service: "volunteer-stations",
    client: volunteerStationsV1.StationServiceClient,
    method: "registerStation",
    request: volunteerStationsV1.RegisterStationRequest.fromPartial({
      stationId: "forged-station",
      kind: "service_point",
      name: "Forged station",
      areaId: "440402001002",
    }),
  },
];

const admin = { subject: "intruder", roles: ["platform_admin"], areas: ["44"] };

/** The ways a caller might claim to be a platform admin without the gateway's key. */
async function forgeries(): Promise<[string, grpc.Metadata][]> {
  const plain = new grpc.Metadata();
  plain.set("x-caller-subject", admin.subject);
  plain.set("x-caller-role", "platform_admin");
  plain.set("x-caller-roles", "platform_admin");
  plain.set("x-caller-areas", "44");
  const otherKey = await CallerTokenIssuer.fromPrivateKey(generateCallerTokenKeys().privateKey);
  const unsigned = new grpc.Metadata();
  unsigned.set(
    callerTokenMetadataKey,
    new UnsecuredJWT({ roles: admin.roles, areas: admin.areas })
      .setSubject(admin.subject)
      .setIssuer("civic-gateway")
      .setAudience("civic-services")
      .setIssuedAt()
      .setExpirationTime("60s")
      .encode(),
  );
  return [
    ["plain x-caller-* metadata", plain],
    ["a token signed by another key", await otherKey.toMetadata(admin, new grpc.Metadata())],
    ['an unsigned token (alg "none")', unsigned],
  ];
}

function callService(
  platform: WholePlatform,
  attempt: (typeof attempts)[number],
  metadata: grpc.Metadata,
): Promise<{ code: grpc.status }> {
  const client = new attempt.client(
    platform.serviceAddresses[attempt.service],
    grpc.credentials.createInsecure(),
  );
  const invoke = (client as unknown as Record<string, UnaryInvoker>)[attempt.method];
  if (!invoke) throw new Error(`${attempt.service} has no method ${attempt.method}`);
  return new Promise((resolve) =>
    invoke.call(client, attempt.request, metadata, { deadline: Date.now() + 10_000 }, (error) => {
      client.close();
      resolve({ code: error ? error.code : grpc.status.OK });
    }),
  );
}

describe("services refuse callers the gateway did not sign", () => {
  const platform = platformForTheseTests(startWholePlatform);

  it("refuses a forged platform admin straight at each service's port, and stores nothing", async () => {
    const before = await platform().storedDocuments({ settled: true });
    const answers: string[] = [];
    for (const attempt of attempts) {
      for (const [forgery, metadata] of await forgeries()) {
        const { code } = await callService(platform(), attempt, metadata);
        answers.push(`${attempt.service} ${attempt.method}, ${forgery}: ${grpc.status[code]}`);
      }
    }
    expect(answers).toEqual(
      attempts.flatMap((attempt) =>
        ["plain x-caller-* metadata", "a token signed by another key", 'an unsigned token (alg "none")'].map(
          (forgery) => `${attempt.service} ${attempt.method}, ${forgery}: UNAUTHENTICATED`,
        ),
      ),
    );
    expect(await platform().storedDocuments({ settled: true })).toEqual(before);
  });

  it("lets the same call through when the gateway's key signed it (the refusal is the signature's)", async () => {
    const { issuer } = await inProcessCallerTokens();
    const gridCases = attempts[0];
    if (!gridCases) throw new Error("no grid-cases attempt");
    const signed = await issuer.toMetadata(admin, new grpc.Metadata());
    expect(await callService(platform(), gridCases, signed)).toEqual({ code: grpc.status.OK });
  });
});
