import {
  AlreadyExistsError,
  AreaCode,
  FailedPreconditionError,
  FieldChecks,
  isCalendarDate,
} from "@civic/domain-kit";
import { type JointMeetingState, memberUnit } from "./joint-meeting.js";
import type { FoundedOrganisation } from "./organisation.js";

/**
 * A pairing (结对共建) of a community party organisation with a member unit of the
 * community's joint meeting. The pair is one stream (`pairing-<organisationId>.<unitId>`;
 * ids never contain "."), whose terms follow each other: forming a pairing is the stream's
 * next version, so of concurrent requests for the same pair exactly one commits and the
 * rest, decided again, find it active. After it ends, the pair may form again.
 *
 * Before it is formed, a pairing is registered on the community's joint meeting stream (the
 * unit's leave is decided there). The formation on this stream is the commit point; a leave
 * that finds a registration not (yet) formed voids it here, at this stream's next version,
 * so either the formation or the void commits, never both: a voided registration is never
 * formed, and a formation that won is seen by the leave, which is then refused.
 */
export interface FormPairing {
  organisationId: string;
  unitId: string;
  startedOn: string;
  purpose: string;
}

export interface PairingTerm {
  startedOn: string;
  endedOn: string;
  purpose: string;
  endNote: string;
}

export interface Pairing {
  status: "active" | "ended";
  pairingId: string;
  organisationId: string;
  organisationName: string;
  unitId: string;
  unitName: string;
  communityAreaId: string;
  startedOn: string;
  purpose: string;
  endedOn: string;
  endNote: string;
  /** Earlier terms of the same pair. */
  formerTerms: PairingTerm[];
  formedBy: string;
  formedAt: string;
  /** The joint meeting registration of the current term; absent for terms formed before. */
  registrationId?: string;
  /** Registrations a leave voided: they are never formed. */
  voidedRegistrationIds?: string[];
}

export type PairingState = { status: "none"; voidedRegistrationIds?: string[] } | Pairing;

export type PairingEvent =
  | {
      type: "pairing.formed";
      data: {
        pairingId: string;
        organisationId: string;
        organisationName: string;
        unitId: string;
        unitName: string;
        areaId: string;
        startedOn: string;
        purpose: string;
        registrationId: string;
        by: string;
        at: string;
      };
    }
  | {
      type: "pairing.registration_voided";
      data: { pairingId: string; registrationId: string; areaId: string; by: string; at: string };
    }
  | {
      type: "pairing.ended";
      data: { pairingId: string; endedOn: string; note: string; by: string; at: string };
    };

export const pairingIdOf = (organisationId: string, unitId: string) => `${organisationId}.${unitId}`;

/** Pairs a community party organisation: its committee, or a general branch or branch in it. */
const pairingLevels = ["community_committee", "general_branch", "branch"];

export const initialPairingState = (): PairingState => ({ status: "none" });

export function evolvePairing(state: PairingState, event: PairingEvent): PairingState {
  const voidedRegistrationIds = state.voidedRegistrationIds ?? [];
  if (event.type === "pairing.registration_voided")
    return { ...state, voidedRegistrationIds: [...voidedRegistrationIds, event.data.registrationId] };
  if (event.type === "pairing.formed") {
    const { by, at, areaId, ...pairing } = event.data;
    const formerTerms =
      state.status === "ended"
        ? [
            ...state.formerTerms,
            {
              startedOn: state.startedOn,
              endedOn: state.endedOn,
              purpose: state.purpose,
              endNote: state.endNote,
            },
          ]
        : [];
    return {
      status: "active",
      ...pairing,
      communityAreaId: areaId,
      endedOn: "",
      endNote: "",
      formerTerms,
      formedBy: by,
      formedAt: at,
      voidedRegistrationIds,
    };
  }
  if (state.status === "none") return state;
  return { ...state, status: "ended", endedOn: event.data.endedOn, endNote: event.data.note };
}

export function validatePairing(command: FormPairing): void {
  new FieldChecks()
    .identifier("organisationId", command.organisationId)
    .identifier("unitId", command.unitId)
    .check("startedOn", isCalendarDate(command.startedOn), "must be a date, YYYY-MM-DD")
    .check("purpose", [...command.purpose].length <= 500, "must be at most 500 characters")
    .throwIfAny();
}

export function decideFormPairing(
  command: FormPairing,
  organisation: FoundedOrganisation,
  jointMeeting: JointMeetingState,
  registrationId: string,
  state: PairingState,
  by: string,
  now: Date,
): PairingEvent {
  if (!pairingLevels.includes(organisation.level))
    throw new FailedPreconditionError(
      `a ${organisation.level} is not a community party organisation`,
      "NOT_A_COMMUNITY_ORGANISATION",
    );
  const communityAreaId = AreaCode.communityOf(organisation.areaId);
  const unit = memberUnit(jointMeeting, command.unitId);
  if (!unit)
    throw new FailedPreconditionError(
      `unit ${command.unitId} does not sit on the joint meeting of ${communityAreaId}`,
      "NOT_A_MEMBER_UNIT",
    );
  if (state.voidedRegistrationIds?.includes(registrationId))
    throw new FailedPreconditionError(
      `a leave of unit ${command.unitId} was decided at the same moment; try again`,
      "PAIRING_INTERRUPTED",
    );
  if (state.status === "active")
    throw new AlreadyExistsError(
      `${organisation.organisationId} and ${command.unitId} are paired since ${state.startedOn}`,
      "ALREADY_PAIRED",
    );
  return {
    type: "pairing.formed",
    data: {
      pairingId: pairingIdOf(organisation.organisationId, unit.unitId),
      organisationId: organisation.organisationId,
      organisationName: organisation.name,
      unitId: unit.unitId,
      unitName: unit.name,
      areaId: communityAreaId,
      startedOn: command.startedOn,
      purpose: command.purpose.trim(),
      registrationId,
      by,
      at: now.toISOString(),
    },
  };
}

export function decideEndPairing(
  pairing: Pairing,
  endedOn: string,
  note: string,
  by: string,
  now: Date,
): PairingEvent {
  const checks = new FieldChecks();
  if (!isCalendarDate(endedOn)) checks.add("endedOn", "must be a date, YYYY-MM-DD");
  else if (endedOn < pairing.startedOn) checks.add("endedOn", "must not be before the pairing started");
  checks.check("note", [...note].length <= 500, "must be at most 500 characters").throwIfAny();
  if (pairing.status !== "active")
    throw new FailedPreconditionError(
      `pairing ${pairing.pairingId} ended on ${pairing.endedOn}`,
      "PAIRING_ENDED",
    );
  return {
    type: "pairing.ended",
    data: { pairingId: pairing.pairingId, endedOn, note: note.trim(), by, at: now.toISOString() },
  };
}

/**
 * A leave voids a registration it found not formed; nothing to do when the pairing is active
 * (the leave is then refused) or the registration already void.
 */
export function decideVoidRegistration(
  state: PairingState,
  communityAreaId: string,
  { pairingId, registrationId }: { pairingId: string; registrationId: string },
  by: string,
  now: Date,
): PairingEvent | undefined {
  if (state.status === "active" || state.voidedRegistrationIds?.includes(registrationId)) return undefined;
  return {
    type: "pairing.registration_voided",
    data: { pairingId, registrationId, areaId: communityAreaId, by, at: now.toISOString() },
  };
}
