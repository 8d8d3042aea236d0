import { PermissionDeniedError } from "@civic/service-kit";

/** Roles that act in party building; the gateway puts them in the caller's identity. */
export const partyRoles = {
  platformAdmin: "platform_admin",
  /** 党务工作者: keeps the organisation tree and the member rolls of their areas. */
  partyOrganiser: "party_organiser",
} as const;

export interface PartyActor {
  subject: string;
  roles: string[];
  /** Area codes the actor is responsible for; a code covers every area that starts with it. */
  areas: string[];
}

export function coversArea(actor: PartyActor, areaId: string): boolean {
  return actor.areas.some((area) => area !== "" && areaId.startsWith(area));
}

/** Platform administrators everywhere; party organisers in their own areas. */
export function requireOrganiserOf(actor: PartyActor, ...areaIds: string[]): void {
  if (actor.roles.includes(partyRoles.platformAdmin)) return;
  if (!actor.roles.includes(partyRoles.partyOrganiser)) {
    throw new PermissionDeniedError(
      `this needs the role ${partyRoles.partyOrganiser} or ${partyRoles.platformAdmin}`,
    );
  }
  const outside = areaIds.find((areaId) => !coversArea(actor, areaId));
  if (outside !== undefined)
    throw new PermissionDeniedError(`area ${outside} is not among the caller's areas`);
}
