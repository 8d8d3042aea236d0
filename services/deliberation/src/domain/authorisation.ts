import { AreaCode, type Caller, hasAnyRole, PermissionDeniedError } from "@civic/domain-kit";

/** Roles that run deliberation in their area (the gateway puts them in the caller's identity). */
export const deliberationRoles = {
  communityStaff: "community_staff",
  streetStaff: "street_staff",
} as const;

const organisers: string[] = [deliberationRoles.communityStaff, deliberationRoles.streetStaff];

/** Councils, votes, topics and funds of an area are run by the area's community or street staff. */
export function requireOrganiserOf(caller: Caller, areaId: string, action: string): void {
  if (!hasAnyRole(caller, organisers)) {
    throw new PermissionDeniedError(`${action} is for community or street staff`, "NOT_AN_ORGANISER");
  }
  if (!AreaCode.anyCovers(caller.areas, areaId)) {
    throw new PermissionDeniedError(`${action}: area ${areaId} is not yours`, "OUTSIDE_YOUR_AREA");
  }
}

export const isOrganiserOf = (caller: Caller, areaId: string): boolean =>
  hasAnyRole(caller, organisers) && AreaCode.anyCovers(caller.areas, areaId);
