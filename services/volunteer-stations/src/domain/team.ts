import { AlreadyExistsError, type Caller, NotFoundError } from "@civic/domain-kit";
import { requireManagesArea } from "./authority.js";
import { StationFieldChecks } from "./field-checks.js";

export const teamKinds = [
  "property_company",
  "community",
  "enterprise",
  "school",
  "social_organisation",
  "other",
] as const;
export type TeamKind = (typeof teamKinds)[number];

export interface FormedTeam {
  status: "formed";
  teamId: string;
  kind: TeamKind;
  name: string;
  areaId: string;
  stationId: string;
  leaderId: string;
  memberIds: string[];
  formedAt: string;
}

export type TeamState = { status: "none" } | FormedTeam;

export type TeamEvent =
  | {
      type: "team.formed";
      data: Omit<FormedTeam, "status" | "memberIds" | "formedAt"> & { by: string; at: string };
    }
  | { type: "team.member_added"; data: { memberId: string; by: string; at: string } };

export interface FormTeam {
  teamId: string;
  kind: string;
  name: string;
  areaId: string;
  stationId: string;
  leaderId: string;
}

export const initialTeamState = (): TeamState => ({ status: "none" });

export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case "team.formed": {
      const { by: _by, at, ...team } = event.data;
      return { status: "formed", ...team, memberIds: team.leaderId ? [team.leaderId] : [], formedAt: at };
    }
    case "team.member_added":
      if (state.status === "none") return state;
      return { ...state, memberIds: [...state.memberIds, event.data.memberId] };
  }
}

/**
 * `station` is the station the team joins (when it names one): it must exist and lie in
 * the team's area.
 */
export function decideFormTeam(
  command: FormTeam,
  state: TeamState,
  station: { areaId: string } | undefined,
  caller: Caller,
  now: Date,
): TeamEvent {
  new StationFieldChecks()
    .code("teamId", command.teamId)
    .oneOf("kind", command.kind, teamKinds)
    .text("name", command.name, { max: 100 })
    .areaCode("areaId", command.areaId)
    .personId("leaderId", command.leaderId, { optional: true })
    .check(
      "stationId",
      command.stationId === "" || station !== undefined,
      `${command.stationId} is not a registered station`,
    )
    .check(
      "stationId",
      station === undefined ||
        station.areaId.startsWith(command.areaId) ||
        command.areaId.startsWith(station.areaId),
      "the station must serve the team's area",
    )
    .throwIfAny();
  requireManagesArea(caller, command.areaId, "forming a team");
  if (state.status !== "none") throw new AlreadyExistsError(`team ${command.teamId} already exists`);
  return {
    type: "team.formed",
    data: {
      teamId: command.teamId,
      kind: command.kind as TeamKind,
      name: command.name.trim(),
      areaId: command.areaId,
      stationId: command.stationId,
      leaderId: command.leaderId,
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

export function decideAddTeamMember(
  memberId: string,
  state: TeamState,
  teamId: string,
  caller: Caller,
  now: Date,
): TeamEvent | undefined {
  new StationFieldChecks().personId("memberId", memberId).throwIfAny();
  if (state.status === "none") throw new NotFoundError("team", teamId);
  const isLeader = state.leaderId !== "" && state.leaderId === caller.subject;
  if (!isLeader) requireManagesArea(caller, state.areaId, "adding a team member");
  if (state.memberIds.includes(memberId)) return undefined;
  return { type: "team.member_added", data: { memberId, by: caller.subject, at: now.toISOString() } };
}
