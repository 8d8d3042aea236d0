import { AsyncLocalStorage } from "node:async_hooks";
import type { Metadata } from "@grpc/grpc-js";

/**
 * Metadata key with the time (epoch milliseconds) at which the gateway received the HTTP
 * request a call serves. Deciding whether a refused command lost a race needs to know what
 * the aggregate looked like when the client asked, not when the call reached the service.
 */
export const arrivedAtMetadataKey = "x-request-arrived-at";

const arrivals = new AsyncLocalStorage<number>();

/** Writes when the request arrived into outgoing call metadata. */
export function arrivalToMetadata(arrivedAtMs: number, metadata: Metadata): Metadata {
  metadata.set(arrivedAtMetadataKey, String(Math.trunc(arrivedAtMs)));
  return metadata;
}

/**
 * When the request behind a call arrived: the gateway's stamp, or `receivedAtMs` (when this
 * process got the call) for callers that send none. A stamp from the future counts as now; a
 * stamp can only make the service look further back, never change a decision.
 */
export function arrivalFromMetadata(metadata: Metadata, receivedAtMs: number): number {
  const [value] = metadata.get(arrivedAtMetadataKey);
  const stamp = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(stamp) ? Math.min(stamp, receivedAtMs) : receivedAtMs;
}

/** Runs `work` as the handling of a call whose request arrived at `arrivedAtMs`. */
export function withCallArrival<T>(arrivedAtMs: number, work: () => T): T {
  return arrivals.run(arrivedAtMs, work);
}

/** How many milliseconds ago the request of the call being handled arrived; undefined outside a call. */
export function millisecondsSinceArrival(): number | undefined {
  const arrivedAt = arrivals.getStore();
  return arrivedAt === undefined ? undefined : Math.max(0, Date.now() - arrivedAt);
}
