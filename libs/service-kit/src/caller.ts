import type { Metadata } from "@grpc/grpc-js";
import { UnauthenticatedError } from "./errors.js";

/** Who is calling, as the gateway verified it; services authorise by role and area. */
export interface Caller {
  subject: string;
  roles: string[];
  areas: string[];
  department?: string;
}

const keys = {
  subject: "x-caller-subject",
  roles: "x-caller-roles",
  areas: "x-caller-areas",
  department: "x-caller-department",
} as const;

export function callerToMetadata(caller: Caller, metadata: Metadata): void {
  metadata.set(keys.subject, caller.subject);
  metadata.set(keys.roles, caller.roles.join(","));
  metadata.set(keys.areas, caller.areas.join(","));
  if (caller.department) metadata.set(keys.department, caller.department);
}

export function callerFromMetadata(metadata: Metadata): Caller {
  const text = (key: string) => {
    const [value] = metadata.get(key);
    return typeof value === "string" ? value.trim() : "";
  };
  const list = (key: string) =>
    text(key)
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  const subject = text(keys.subject);
  if (subject === "") throw new UnauthenticatedError("the call carries no caller identity");
  const department = text(keys.department);
  return { subject, roles: list(keys.roles), areas: list(keys.areas), ...(department ? { department } : {}) };
}
