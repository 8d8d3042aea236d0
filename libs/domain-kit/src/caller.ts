/** Who is calling, as the gateway verified it; services authorise by role and area. */
export interface Caller {
  subject: string;
  roles: string[];
  areas: string[];
  department?: string;
}

/** The platform's roles, as the gateway's tokens name them. */
export const roles = {
  platformAdmin: "platform_admin",
  commandCentre: "command_centre",
  communityStaff: "community_staff",
  streetStaff: "street_staff",
  gridWorker: "grid_worker",
  departmentStaff: "department_staff",
  partyOrganiser: "party_organiser",
  civilAffairs: "civil_affairs",
  charityHub: "charity_hub",
  evaluator: "evaluator",
  enterprise: "enterprise",
  /** An anonymous member of the public. */
  public: "public",
} as const;

/** Whether the caller holds at least one of `wanted`. */
export function hasAnyRole(caller: Pick<Caller, "roles">, wanted: readonly string[]): boolean {
  return caller.roles.some((role) => wanted.includes(role));
}
