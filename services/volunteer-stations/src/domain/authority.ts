import { AreaCode, type Caller, PermissionDeniedError } from "@civic/domain-kit";

/** Roles that act for every area. */
export const platformWideRoles = ["platform_admin", "command_centre"];
/** Roles that act for the areas named in their token (by area code prefix). */
export const areaStaffRoles = ["community_staff", "street_staff"];

/** True when the caller may manage things in `areaId`: platform-wide, or staff of an enclosing area. */
export function managesArea(caller: Caller, areaId: string): boolean {
  if (caller.roles.some((role) => platformWideRoles.includes(role))) return true;
  if (!caller.roles.some((role) => areaStaffRoles.includes(role))) return false;
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
  if (caller.roles.some((role) => platformWideRoles.includes(role))) return;
  if (areaPrefix !== "" && managesArea(caller, areaPrefix)) return;
  throw new PermissionDeniedError(
    areaPrefix === ""
      ? "listing every area needs a platform-wide role; name one of your areas"
      : `listing area ${areaPrefix} needs staff of that area`,
  );
}
