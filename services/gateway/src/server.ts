import type { AddressInfo } from "node:net";
import { gridCasesV1, partyBuildingV1 } from "@civic/contracts";
import { clientInterceptors } from "@civic/service-kit";
import { credentials } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { createGatewayApp } from "./app.js";
import type { loadGatewayConfig } from "./config.js";

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
  const partyBuildingChannel = [
    config.PARTY_BUILDING_ADDRESS,
    credentials.createInsecure(),
    { interceptors: clientInterceptors() },
  ] as const;
  const partyBuilding = {
    organisations: new partyBuildingV1.OrganisationServiceClient(...partyBuildingChannel),
    members: new partyBuildingV1.MemberServiceClient(...partyBuildingChannel),
    liaison: new partyBuildingV1.LiaisonServiceClient(...partyBuildingChannel),
  };
  const app = createGatewayApp({
    partyBuilding,
    areas,
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
      for (const client of Object.values(partyBuilding)) client.close();
    },
  };
}
