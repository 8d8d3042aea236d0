import {
  AlreadyExistsError,
  chinaDate,
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
  isCalendarDate,
} from "@civic/domain-kit";

/**
 * A community's party-building joint meeting (党建联席会议): the units of the community that
 * sit on it (police station, schools, hospitals, property companies, ...). One stream per
 * community (`joint_meeting-<communityAreaId>`), so a unit joins once: two concurrent joins
 * of the same unit contend for the same next version and the second, decided again, finds it.
 * A unit may leave (on a date, once its pairings have ended) and join again later.
 *
 * A pairing of a member unit is registered on this stream before it is formed on its own
 * stream, and released here when it ends: a leave is decided on the same stream, so a
 * registration and a leave compete for the same next version, and a leave that wins has seen
 * every registration of the unit (see `PairingDesk`).
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

/** A pairing registered for a member unit and not yet released: formed, or about to be. */
export interface PairingRegistration {
  registrationId: string;
  pairingId: string;
  unitId: string;
}

export interface JointMeeting {
  status: "convened";
  communityAreaId: string;
  units: MemberUnit[];
  formerUnits: FormerMemberUnit[];
  /** Absent from snapshots written before pairings were registered here. */
  pairingRegistrations?: PairingRegistration[];
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
    }
  | {
      type: "joint_meeting.pairing_registered";
      data: PairingRegistration & { areaId: string; by: string; at: string };
    }
  | {
      type: "joint_meeting.pairing_released";
      data: PairingRegistration & { areaId: string; by: string; at: string };
    };

export const initialJointMeetingState = (): JointMeetingState => ({ status: "none" });

export function evolveJointMeeting(state: JointMeetingState, event: JointMeetingEvent): JointMeetingState {
  // Snapshots written before units could leave have no formerUnits.
  const formerUnits = state.status === "none" ? [] : (state.formerUnits ?? []);
  const registrations = state.status === "none" ? [] : (state.pairingRegistrations ?? []);
  if (event.type === "joint_meeting.unit_joined") {
    const { areaId, unitId, name, kind, by, at } = event.data;
    const units = state.status === "none" ? [] : state.units;
    return {
      status: "convened",
      communityAreaId: areaId,
      units: [...units, { unitId, name, kind, joinedBy: by, joinedAt: at }],
      formerUnits,
      pairingRegistrations: registrations,
    };
  }
  if (state.status === "none") return state;
  if (event.type === "joint_meeting.pairing_registered") {
    const { registrationId, pairingId, unitId } = event.data;
    return { ...state, pairingRegistrations: [...registrations, { registrationId, pairingId, unitId }] };
  }
  if (event.type === "joint_meeting.pairing_released") {
    const released = event.data.registrationId;
    return {
      ...state,
      pairingRegistrations: registrations.filter((registration) => registration.registrationId !== released),
    };
  }
  const leaving = memberUnit(state, event.data.unitId);
  if (!leaving) return state;
  const { leftOn, by, at } = event.data;
  return {
    ...state,
    units: state.units.filter((unit) => unit !== leaving),
    formerUnits: [...formerUnits, { ...leaving, leftOn, leftBy: by, leftAt: at }],
    // The leave settled every registration of the unit: each was formed and ended, or voided.
    pairingRegistrations: registrations.filter((registration) => registration.unitId !== leaving.unitId),
  };
}

export function validateUnit(command: JoinUnit): void {
  new FieldChecks()
    .identifier("unitId", command.unitId)
    .text("name", command.name, { max: 100 })
    .oneOf("kind", command.kind, memberUnitKinds)
    .throwIfAny();
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

/** The unit's registered pairings not yet released. */
export const pairingRegistrationsOf = (meeting: JointMeeting, unitId: string): PairingRegistration[] =>
  (meeting.pairingRegistrations ?? []).filter((registration) => registration.unitId === unitId);

/** Registers a pairing about to be formed with a member unit (NOT_A_MEMBER_UNIT otherwise). */
export function decideRegisterPairing(
  state: JointMeetingState,
  communityAreaId: string,
  registration: PairingRegistration,
  by: string,
  now: Date,
): JointMeetingEvent {
  if (!memberUnit(state, registration.unitId))
    throw new FailedPreconditionError(
      `unit ${registration.unitId} does not sit on the joint meeting of ${communityAreaId}`,
      "NOT_A_MEMBER_UNIT",
    );
  return {
    type: "joint_meeting.pairing_registered",
    data: { areaId: communityAreaId, ...registration, by, at: now.toISOString() },
  };
}

/** Releases a registration (its pairing ended, or was never formed); nothing to do if it is gone. */
export function decideReleasePairing(
  state: JointMeetingState,
  registrationId: string,
  by: string,
  now: Date,
): JointMeetingEvent | undefined {
  if (state.status === "none") return undefined;
  const registration = (state.pairingRegistrations ?? []).find(
    (registered) => registered.registrationId === registrationId,
  );
  if (!registration) return undefined;
  return {
    type: "joint_meeting.pairing_released",
    data: { areaId: state.communityAreaId, ...registration, by, at: now.toISOString() },
  };
}

/** Refuses a leave on a bad date or of a unit not on the joint meeting; nothing about pairings. */
export function validateLeaveUnit(meeting: JointMeeting, unitId: string, leftOn: string): void {
  if (!isCalendarDate(leftOn))
    throw new InvalidArgumentError([{ field: "leftOn", description: "must be a date, YYYY-MM-DD" }]);
  const unit = memberUnit(meeting, unitId);
  if (!unit)
    throw new FailedPreconditionError(
      `unit ${unitId} does not sit on the joint meeting of ${meeting.communityAreaId}`,
      "NOT_A_MEMBER_UNIT",
    );
  if (leftOn < chinaDate(new Date(unit.joinedAt)))
    throw new InvalidArgumentError([{ field: "leftOn", description: "must not be before the unit joined" }]);
}

/**
 * A member unit leaves on a date (not before the China date it joined). Its active pairings
 * must be ended first: they are named in the refusal (UNIT_HAS_ACTIVE_PAIRINGS).
 * `settledRegistrationIds` are the unit's registrations the caller found ended or voided;
 * a registration of the unit not among them was made after the caller looked, and the leave
 * must be decided again (PairingsUnsettledError).
 */
export function decideLeaveUnit(
  meeting: JointMeeting,
  unitId: string,
  leftOn: string,
  activePairingIds: readonly string[],
  settledRegistrationIds: readonly string[],
  by: string,
  now: Date,
): JointMeetingEvent {
  validateLeaveUnit(meeting, unitId, leftOn);
  if (activePairingIds.length > 0)
    throw new FailedPreconditionError(
      `unit ${unitId} has active pairings; end them first: ${activePairingIds.join(", ")}`,
      "UNIT_HAS_ACTIVE_PAIRINGS",
    );
  const unsettled = pairingRegistrationsOf(meeting, unitId).filter(
    (registration) => !settledRegistrationIds.includes(registration.registrationId),
  );
  if (unsettled.length > 0) throw new PairingsUnsettledError(unsettled);
  return {
    type: "joint_meeting.unit_left",
    data: { areaId: meeting.communityAreaId, unitId, leftOn, by, at: now.toISOString() },
  };
}

/** A pairing was registered for the leaving unit after its pairings were looked at. */
export class PairingsUnsettledError extends Error {
  constructor(readonly registrations: PairingRegistration[]) {
    super(`pairings registered meanwhile: ${registrations.map((r) => r.pairingId).join(", ")}`);
    this.name = "PairingsUnsettledError";
  }
}
