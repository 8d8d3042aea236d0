import type { AddressInfo } from "node:net";
import { gridCasesV1, partyBuildingV1, socialRegistryV1, volunteerStationsV1 } from "@civic/contracts";
import { clientInterceptors } from "@civic/service-kit";
import { credentials } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { createGatewayApp } from "./app.js";
import type { loadGatewayConfig } from "./config.js";
import { closeDeliberationClients, deliberationClients } from "./routes/deliberation/index.js";

type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** Connects to the services and serves the REST API until closed. */
export async function startGateway(config: GatewayConfig, logger: Logger) {
  const cases = new gridCasesV1.CaseServiceClient(config.GRID_CASES_ADDRESS, credentials.createInsecure(), {
    interceptors: clientInterceptors(),
  });
  const areas = new gridCasesV1.AreaServiceClient(config.GRID_CASES_ADDRESS, credentials.createInsecure(), {
    interceptors: clientInterceptors(),
  });
  const safety = new gridCasesV1.SafetyIndexServiceClient(
    config.GRID_CASES_ADDRESS,
    credentials.createInsecure(),
    {
      interceptors: clientInterceptors(),
    },
  );
  const deliberation = deliberationClients(config.DELIBERATION_ADDRESS);
  const partyBuilding = {
    organisations: new partyBuildingV1.OrganisationServiceClient(
      config.PARTY_BUILDING_ADDRESS,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
  };
  const socialRegistry = {
    organisations: new socialRegistryV1.OrganisationServiceClient(
      config.SOCIAL_REGISTRY_ADDRESS,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
    projects: new socialRegistryV1.CharityProjectServiceClient(
      config.SOCIAL_REGISTRY_ADDRESS,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
  };
  const volunteerStations = {
    stations: new volunteerStationsV1.StationServiceClient(
      config.VOLUNTEER_STATIONS_ADDRESS,
      credentials.createInsecure(),
      { interceptors: clientInterceptors() },
    ),
  };
  const app = createGatewayApp({
    partyBuilding,
    socialRegistry,
    volunteerStations,
    areas,
    deliberation,
    safety,
    cases,
    deadlineMs: config.GRPC_DEADLINE_MS,
    jwtSecret: config.JWT_SECRET,
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
      await new Promise((resolve) => server.close(resolve));
      cases.close();
      areas.close();
      safety.close();
      closeDeliberationClients(deliberation);
      for (const client of Object.values(partyBuilding)) client.close();
      for (const client of Object.values(socialRegistry)) client.close();
      for (const client of Object.values(volunteerStations)) client.close();
    },
  };
}
