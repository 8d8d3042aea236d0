import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

/** Resolves true when the process answers healthy, false (or rejects) otherwise. */
export type HealthProbe = () => Promise<boolean>;

const probeTimeoutMs = 1_000;
const check = healthService.Check;
if (!check) throw new Error("grpc-health-check's service definition has no Check method");
const { path, requestSerialize, responseDeserialize } = check;

/**
 * grpc.health.v1 Check of the server as a whole (service "") answering SERVING. A new
 * channel each time: a long-lived one would wait out grpc-js's reconnect backoff (up to
 * two minutes) after the process was down, long after it is back.
 */
export function grpcHealthProbe(address: string): HealthProbe {
  return () =>
    new Promise((resolve) => {
      const client = new grpc.Client(address, grpc.credentials.createInsecure());
      client.makeUnaryRequest(
        path,
        requestSerialize,
        responseDeserialize,
        { service: "" },
        { deadline: Date.now() + probeTimeoutMs },
        (error, response?: { status?: unknown }) => {
          client.close();
          resolve(!error && (response?.status === "SERVING" || response?.status === 1));
        },
      );
    });
}

/** `GET url` answering 200. */
export function httpHealthProbe(url: string): HealthProbe {
  return async () => (await fetch(url, { signal: AbortSignal.timeout(probeTimeoutMs) })).ok;
}
