import type { AddressInfo } from "node:net";
import { gridCasesV1, partyBuildingV1, socialRegistryV1, volunteerStationsV1 } from "@civic/contracts";
import { CallerTokenIssuer, createClientOptions, natsConnectionOptions } from "@civic/service-kit";
import { credentials } from "@grpc/grpc-js";
import { connect } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { createGatewayApp } from "./app.js";
import type { loadGatewayConfig } from "./config.js";
import { closeDeliberationClients, deliberationClients } from "./deliberation-clients.js";
import { DomainEventFeed } from "./event-feed.js";
import { IdempotencyRecords } from "./idempotency.js";
import { SharedRateLimitCounts } from "./rate-limit-counts.js";
import { upstreamAdmission } from "./upstream-admission.js";

type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** Connects to the services and serves the REST API until closed. */
export async function startGateway(config: GatewayConfig, logger: Logger) {
  // One admission bound per service, shared by the clients of its channel.
  const channel = (address: string) =>
    [
      address,
      credentials.createInsecure(),
      createClientOptions({ interceptors: [upstreamAdmission(config.UPSTREAM_MAX_IN_FLIGHT)] }),
    ] as const;
  const gridCases = channel(config.GRID_CASES_ADDRESS);
  const cases = new gridCasesV1.CaseServiceClient(...gridCases);
  const areas = new gridCasesV1.AreaServiceClient(...gridCases);
  const safety = new gridCasesV1.SafetyIndexServiceClient(...gridCases);
  const workingCalendars = new gridCasesV1.WorkingCalendarServiceClient(...gridCases);
  const patrols = new gridCasesV1.PatrolServiceClient(...gridCases);
  const caseCatalogue = new gridCasesV1.CaseCatalogueServiceClient(...gridCases);
  const communityStaffing = new gridCasesV1.CommunityStaffingServiceClient(...gridCases);
  const scorecards = new gridCasesV1.ScorecardServiceClient(...gridCases);
  const emergencyNotices = new gridCasesV1.EmergencyNoticeServiceClient(...gridCases);
  const disputes = new gridCasesV1.DisputeServiceClient(...gridCases);
  const dutyLists = new gridCasesV1.DutyListServiceClient(...gridCases);
  const deliberation = deliberationClients(...channel(config.DELIBERATION_ADDRESS));
  const partyBuildingChannel = channel(config.PARTY_BUILDING_ADDRESS);
  const partyBuilding = {
    organisations: new partyBuildingV1.OrganisationServiceClient(...partyBuildingChannel),
    members: new partyBuildingV1.MemberServiceClient(...partyBuildingChannel),
    liaison: new partyBuildingV1.LiaisonServiceClient(...partyBuildingChannel),
    serviceCentres: new partyBuildingV1.ServiceCentreServiceClient(...partyBuildingChannel),
    compounds: new partyBuildingV1.CompoundServiceClient(...partyBuildingChannel),
    jointMeetings: new partyBuildingV1.JointMeetingServiceClient(...partyBuildingChannel),
  };
  const socialRegistryChannel = channel(config.SOCIAL_REGISTRY_ADDRESS);
  const socialRegistry = {
    organisations: new socialRegistryV1.OrganisationServiceClient(...socialRegistryChannel),
    projects: new socialRegistryV1.CharityProjectServiceClient(...socialRegistryChannel),
    socialWork: new socialRegistryV1.SocialWorkServiceClient(...socialRegistryChannel),
    density: new socialRegistryV1.DensityServiceClient(...socialRegistryChannel),
    incubation: new socialRegistryV1.IncubationServiceClient(...socialRegistryChannel),
    enterprises: new socialRegistryV1.CaringEnterpriseServiceClient(...socialRegistryChannel),
  };
  const volunteerStationsChannel = channel(config.VOLUNTEER_STATIONS_ADDRESS);
  const volunteerStations = {
    stations: new volunteerStationsV1.StationServiceClient(...volunteerStationsChannel),
    volunteers: new volunteerStationsV1.VolunteerServiceClient(...volunteerStationsChannel),
    activities: new volunteerStationsV1.ActivityServiceClient(...volunteerStationsChannel),
    neighbourhood: new volunteerStationsV1.NeighbourhoodServiceClient(...volunteerStationsChannel),
  };
  const nats = await connect(natsConnectionOptions(config, "gateway"));
  const idempotency = await IdempotencyRecords.open(nats, {
    bucket: config.IDEMPOTENCY_BUCKET,
    ttlMs: config.IDEMPOTENCY_TTL_MS,
    replicas: config.IDEMPOTENCY_REPLICAS,
    maxBytes: config.IDEMPOTENCY_MAX_BYTES,
    // A request runs at most one deadline; a record running for twice that lost its gateway.
    staleAfterMs: 2 * config.GRPC_DEADLINE_MS,
  });
  const feed = DomainEventFeed.start(nats, config.EVENT_NAMESPACE, logger);
  const app = createGatewayApp({
    eventStream: {
      feed,
      limits: {
        perCaller: config.EVENT_STREAM_PER_CALLER,
        total: config.EVENT_STREAM_TOTAL,
        keepAliveMs: 15_000,
      },
    },
    idempotency,
    partyBuilding,
    socialRegistry,
    volunteerStations,
    areas,
    deliberation,
    safety,
    workingCalendars,
    patrols,
    caseCatalogue,
    communityStaffing,
    scorecards,
    emergencyNotices,
    disputes,
    dutyLists,
    cases,
    deadlineMs: config.GRPC_DEADLINE_MS,
    callerTokens: await CallerTokenIssuer.fromPrivateKey(config.CALLER_TOKEN_PRIVATE_KEY),
    jwtSecret: config.JWT_SECRET,
    tokens: {
      jwksUrl: config.JWT_JWKS_URL,
      publicKey: config.JWT_PUBLIC_KEY
        ? { pem: config.JWT_PUBLIC_KEY, algorithm: config.JWT_ALGORITHM }
        : undefined,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    },
    bodyLimit: config.BODY_LIMIT,
    rateLimits: {
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      perIp: config.RATE_LIMIT_PER_IP,
      perCaller: config.RATE_LIMIT_PER_CALLER,
      counts: await SharedRateLimitCounts.open(nats, {
        bucket: config.RATE_LIMIT_BUCKET,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
      }),
    },
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    open311: { contact: config.OPEN311_CONTACT, keyService: config.OPEN311_KEY_SERVICE },
    logger,
  });
  const server = app.listen(config.PORT);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    /** Stops accepting connections, lets in-flight requests finish, then closes the clients. */
    async close() {
      // Open event streams would keep the server from closing: end them first.
      feed.close();
      await new Promise((resolve) => server.close(resolve));
      cases.close();
      areas.close();
      safety.close();
      workingCalendars.close();
      patrols.close();
      caseCatalogue.close();
      communityStaffing.close();
      scorecards.close();
      emergencyNotices.close();
      disputes.close();
      dutyLists.close();
      closeDeliberationClients(deliberation);
      for (const client of Object.values(partyBuilding)) client.close();
      for (const client of Object.values(socialRegistry)) client.close();
      for (const client of Object.values(volunteerStations)) client.close();
      await nats.drain();
    },
  };
}
