import { createClientOptions } from "@civic/service-kit";
import { Client, credentials } from "@grpc/grpc-js";

/**
 * The services the gateway calls, by name (`grid-cases`): one plain gRPC client per
 * service address, which calls any of its RPCs by path. The routes of a service left out
 * are not mounted.
 */
export type Upstreams = Readonly<Partial<Record<string, Client>>>;

/**
 * The service that serves an RPC, named after its proto package: `civic.<name>.v1` with `_`
 * for `-` (`/civic.grid_cases.v1.CaseService/GetCase` → `grid-cases`).
 */
export const upstreamNameOf = (rpcPath: string): string =>
  (rpcPath.split("/")[1]?.split(".")[1] ?? "").replaceAll("_", "-");

/**
 * A client for each service address, with the platform's reconnect backoff and interceptors
 * (the requests in flight to each are bounded at the gateway's door: upstream-admission.ts).
 */
export function upstreamClients(addresses: Readonly<Record<string, string>>): Upstreams {
  const clientOf = (address: string) =>
    new Client(address, credentials.createInsecure(), createClientOptions());
  return Object.fromEntries(Object.entries(addresses).map(([name, address]) => [name, clientOf(address)]));
}

export function closeUpstreams(upstreams: Upstreams): void {
  for (const client of Object.values(upstreams)) client?.close();
}
