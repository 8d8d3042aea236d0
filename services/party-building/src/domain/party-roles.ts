import { AreaCode, PermissionDeniedError, roles } from "@civic/domain-kit";

/** Roles that act in party building; the gateway puts them in the caller's identity. */
export const partyRoles = {
  platformAdmin: roles.platformAdmin,
  /** 党务工作者: keeps the organisation tree and the member rolls of their areas. */
  partyOrganiser: roles.partyOrganiser,
  /** 社区"两委" staff: record what registered members do in their community. */
  communityStaff: roles.communityStaff,
} as const;

/**
 * Who keeps a community's party-building records (compounds, joint meetings, service centres,
 * their rosters and bookings): its party organisers and community staff.
 */
export const communityKeepers = [partyRoles.partyOrganiser, partyRoles.communityStaff];

export interface PartyActor {
  subject: string;
  roles: string[];
  /** Area codes the actor is responsible for; a code covers every area that starts with it. */
  areas: string[];
}

export function coversArea(actor: PartyActor, areaId: string): boolean {
  return AreaCode.anyCovers(actor.areas, areaId);
}

/** Platform administrators everywhere; holders of one of `roles` in their own areas. */
export function requireRoleIn(actor: PartyActor, roles: readonly string[], ...areaIds: string[]): void {
  if (actor.roles.includes(partyRoles.platformAdmin)) return;
  if (!roles.some((role) => actor.roles.includes(role))) {
    throw new PermissionDeniedError(
      `this needs one of the roles ${[...roles, partyRoles.platformAdmin].join(", ")}`,
    );
  }
  const outside = areaIds.find((areaId) => !coversArea(actor, areaId));
  if (outside !== undefined)
    throw new PermissionDeniedError(`area ${outside} is not among the caller's areas`);
}

/** Platform administrators everywhere; party organisers in their own areas. */
export function requireOrganiserOf(actor: PartyActor, ...areaIds: string[]): void {
  requireRoleIn(actor, [partyRoles.partyOrganiser], ...areaIds);
}
