import { AreaCode, type Caller, hasAnyRole, PermissionDeniedError, roles } from "@civic/domain-kit";

/** Roles that act for every area. */
export const platformWideRoles = [roles.platformAdmin, roles.commandCentre];
/** Roles that act for the areas named in their token (by area code prefix). */
export const areaStaffRoles = [roles.communityStaff, roles.streetStaff];

/** True when the caller may manage things in `areaId`: platform-wide, or staff of an enclosing area. */
export function managesArea(caller: Caller, areaId: string): boolean {
  if (hasAnyRole(caller, platformWideRoles)) return true;
  if (!hasAnyRole(caller, areaStaffRoles)) return false;
  return AreaCode.anyCovers(caller.areas, areaId);
}

export function requireManagesArea(caller: Caller, areaId: string, what: string): void {
  if (!managesArea(caller, areaId)) {
    throw new PermissionDeniedError(
      `${what} in area ${areaId} needs ${platformWideRoles.join(" or ")}, or ${areaStaffRoles.join(" or ")} of that area`,
    );
  }
}

/** The area prefix a caller may list within: their own areas unless platform-wide. */
export function requireMayList(caller: Caller, areaPrefix: string): void {
  if (hasAnyRole(caller, platformWideRoles)) return;
  if (areaPrefix !== "" && managesArea(caller, areaPrefix)) return;
  throw new PermissionDeniedError(
    areaPrefix === ""
      ? "listing every area needs a platform-wide role; name one of your areas"
      : `listing area ${areaPrefix} needs staff of that area`,
  );
}
