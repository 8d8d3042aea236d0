import { type Caller, UnauthenticatedError } from "@civic/domain-kit";
import { Metadata } from "@grpc/grpc-js";

/** gRPC metadata keys carrying the caller from the gateway to the services. */
export const callerMetadataKeys = {
  subject: "x-caller-subject",
  roles: "x-caller-roles",
  areas: "x-caller-areas",
  department: "x-caller-department",
} as const;

// gRPC ASCII metadata allows printable ASCII only (grpc-js throws on anything else), and
// lists are comma-separated: each value is percent-encoded (encodeURIComponent), which
// leaves plain ids such as "grid-worker-9" or "440402" unchanged.
const encode = (value: string) => encodeURIComponent(value);
const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Writes the caller into (new or given) call metadata. */
export function callerToMetadata(caller: Caller, metadata: Metadata = new Metadata()): Metadata {
  const keys = callerMetadataKeys;
  metadata.set(keys.subject, encode(caller.subject));
  metadata.set(keys.roles, caller.roles.map(encode).join(","));
  metadata.set(keys.areas, caller.areas.map(encode).join(","));
  if (caller.department) metadata.set(keys.department, encode(caller.department));
  else metadata.remove(keys.department);
  return metadata;
}

/** Reads the caller from call metadata; a call without a subject is UNAUTHENTICATED. */
export function callerFromMetadata(metadata: Metadata): Caller {
  const keys = callerMetadataKeys;
  const raw = (key: string) => {
    const [value] = metadata.get(key);
    return typeof value === "string" ? value.trim() : "";
  };
  const list = (key: string) =>
    raw(key)
      .split(",")
      .map((item) => decode(item.trim()))
      .filter((item) => item !== "");
  const subject = decode(raw(keys.subject));
  if (subject === "") throw new UnauthenticatedError("the call carries no caller identity");
  const department = decode(raw(keys.department));
  return { subject, roles: list(keys.roles), areas: list(keys.areas), ...(department ? { department } : {}) };
}
