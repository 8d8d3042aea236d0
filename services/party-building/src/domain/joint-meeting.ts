import {
  AlreadyExistsError,
  chinaDate,
  FailedPreconditionError,
  type FieldViolation,
  InvalidArgumentError,
} from "@civic/service-kit";
import { isLocalDate } from "./centre-duty.js";

/**
 * A community's party-building joint meeting (党建联席会议): the units of the community that
 * sit on it (police station, schools, hospitals, property companies, ...). One stream per
 * community (`joint_meeting-<communityAreaId>`), so a unit joins once: two concurrent joins
 * of the same unit contend for the same next version and the second, decided again, finds it.
 * A unit may leave (on a date, once its pairings have ended) and join again later.
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

/** A unit's past membership: it joined, then left on `leftOn`. */
export interface FormerMemberUnit extends MemberUnit {
  leftOn: string;
  leftBy: string;
  leftAt: string;
}

export interface JointMeeting {
  status: "convened";
  communityAreaId: string;
  units: MemberUnit[];
  formerUnits: FormerMemberUnit[];
}

export type JointMeetingState = { status: "none" } | JointMeeting;

export type JointMeetingEvent =
  | {
      type: "joint_meeting.unit_joined";
      data: {
        areaId: string;
        unitId: string;
        name: string;
        kind: MemberUnitKind;
        by: string;
        at: string;
      };
    }
  | {
      type: "joint_meeting.unit_left";
      data: { areaId: string; unitId: string; leftOn: string; by: string; at: string };
    };

export const initialJointMeetingState = (): JointMeetingState => ({ status: "none" });

export function evolveJointMeeting(state: JointMeetingState, event: JointMeetingEvent): JointMeetingState {
  // Snapshots written before units could leave have no formerUnits.
  const formerUnits = state.status === "none" ? [] : (state.formerUnits ?? []);
  if (event.type === "joint_meeting.unit_joined") {
    const { areaId, unitId, name, kind, by, at } = event.data;
    const units = state.status === "none" ? [] : state.units;
    return {
      status: "convened",
      communityAreaId: areaId,
      units: [...units, { unitId, name, kind, joinedBy: by, joinedAt: at }],
      formerUnits,
    };
  }
  const leaving = memberUnit(state, event.data.unitId);
  if (state.status === "none" || !leaving) return state;
  const { leftOn, by, at } = event.data;
  return {
    ...state,
    units: state.units.filter((unit) => unit !== leaving),
    formerUnits: [...formerUnits, { ...leaving, leftOn, leftBy: by, leftAt: at }],
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

/**
 * A member unit leaves on a date (not before the China date it joined). Its active pairings
 * must be ended first: they are named in the refusal (UNIT_HAS_ACTIVE_PAIRINGS).
 */
export function decideLeaveUnit(
  meeting: JointMeeting,
  unitId: string,
  leftOn: string,
  activePairingIds: readonly string[],
  by: string,
  now: Date,
): JointMeetingEvent {
  if (!isLocalDate(leftOn))
    throw new InvalidArgumentError([{ field: "leftOn", description: "must be a date, YYYY-MM-DD" }]);
  const unit = memberUnit(meeting, unitId);
  if (!unit)
    throw new FailedPreconditionError(
      `unit ${unitId} does not sit on the joint meeting of ${meeting.communityAreaId}`,
      "NOT_A_MEMBER_UNIT",
    );
  if (leftOn < chinaDate(new Date(unit.joinedAt)))
    throw new InvalidArgumentError([{ field: "leftOn", description: "must not be before the unit joined" }]);
  if (activePairingIds.length > 0)
    throw new FailedPreconditionError(
      `unit ${unitId} has active pairings; end them first: ${activePairingIds.join(", ")}`,
      "UNIT_HAS_ACTIVE_PAIRINGS",
    );
  return {
    type: "joint_meeting.unit_left",
    data: { areaId: meeting.communityAreaId, unitId, leftOn, by, at: now.toISOString() },
  };
}
