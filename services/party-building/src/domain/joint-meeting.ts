import { AlreadyExistsError, type FieldViolation, InvalidArgumentError } from "@civic/service-kit";

/**
 * A community's party-building joint meeting (党建联席会议): the units of the community that
 * sit on it (police station, schools, hospitals, property companies, ...). One stream per
 * community (`joint_meeting-<communityAreaId>`), so a unit joins once: two concurrent joins
 * of the same unit contend for the same next version and the second, decided again, finds it.
 */
export const memberUnitKinds = [
  "police_station",
  "school",
  "hospital",
  "property_company",
  "enterprise",
  "association",
  "government_department",
  "other",
] as const;
export type MemberUnitKind = (typeof memberUnitKinds)[number];

export interface JoinUnit {
  unitId: string;
  name: string;
  kind: string;
}

export interface MemberUnit {
  unitId: string;
  name: string;
  kind: MemberUnitKind;
  joinedBy: string;
  joinedAt: string;
}

export interface JointMeeting {
  status: "convened";
  communityAreaId: string;
  units: MemberUnit[];
}

export type JointMeetingState = { status: "none" } | JointMeeting;

export type JointMeetingEvent = {
  type: "joint_meeting.unit_joined";
  data: {
    areaId: string;
    unitId: string;
    name: string;
    kind: MemberUnitKind;
    by: string;
    at: string;
  };
};

export const initialJointMeetingState = (): JointMeetingState => ({ status: "none" });

export function evolveJointMeeting(state: JointMeetingState, event: JointMeetingEvent): JointMeetingState {
  const { areaId, unitId, name, kind, by, at } = event.data;
  const units = state.status === "none" ? [] : state.units;
  return {
    status: "convened",
    communityAreaId: areaId,
    units: [...units, { unitId, name, kind, joinedBy: by, joinedAt: at }],
  };
}

const identifier = /^[\w-]{1,64}$/;

export function validateUnit(command: JoinUnit): void {
  const violations: FieldViolation[] = [];
  if (!identifier.test(command.unitId))
    violations.push({ field: "unitId", description: "must be 1 to 64 letters, digits, - or _" });
  const name = command.name.trim();
  if (name === "" || [...name].length > 100)
    violations.push({ field: "name", description: "must be 1 to 100 characters" });
  if (!(memberUnitKinds as readonly string[]).includes(command.kind))
    violations.push({ field: "kind", description: `must be one of ${memberUnitKinds.join(", ")}` });
  if (violations.length > 0) throw new InvalidArgumentError(violations);
}

export function decideJoinUnit(
  command: JoinUnit,
  communityAreaId: string,
  state: JointMeetingState,
  by: string,
  now: Date,
): JointMeetingEvent {
  if (state.status === "convened" && state.units.some((unit) => unit.unitId === command.unitId))
    throw new AlreadyExistsError(
      `unit ${command.unitId} already sits on the joint meeting of ${communityAreaId}`,
      "UNIT_ALREADY_JOINED",
    );
  return {
    type: "joint_meeting.unit_joined",
    data: {
      areaId: communityAreaId,
      unitId: command.unitId,
      name: command.name.trim(),
      kind: command.kind as MemberUnitKind,
      by,
      at: now.toISOString(),
    },
  };
}

export const memberUnit = (state: JointMeetingState, unitId: string): MemberUnit | undefined =>
  state.status === "convened" ? state.units.find((unit) => unit.unitId === unitId) : undefined;
