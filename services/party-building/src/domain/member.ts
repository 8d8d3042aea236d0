import { AreaCode, FailedPreconditionError, FieldChecks, InvalidArgumentError } from "@civic/domain-kit";
import type { FoundedOrganisation } from "./organisation.js";

/**
 * A party member. Membership is the member's own stream: admission is its first event
 * (one stream per member id, so a second admission of the same person loses on the unique
 * (stream, version) key), and a transfer replaces the organisation in one event. A member
 * is therefore in exactly one organisation at a time, however many requests race.
 */
export const memberStandings = ["formal", "probationary"] as const;
export type MemberStanding = (typeof memberStandings)[number];

/** Members belong to general branches and branches (party groups are parts of a branch). */
const memberOrganisationLevels = ["general_branch", "branch"] as const;

export interface MemberTransfer {
  fromOrganisationId: string;
  toOrganisationId: string;
  by: string;
  at: string;
}

export interface AdmittedMember {
  status: "admitted";
  memberId: string;
  name: string;
  standing: MemberStanding;
  organisationId: string;
  areaId: string;
  inService: boolean;
  communityRegistration: { communityAreaId: string; registeredAt: string } | null;
  communityServices: number;
  communityPoints: number;
  transfers: MemberTransfer[];
}

export type MemberState = { status: "none" } | AdmittedMember;

export type MemberEvent =
  | {
      type: "member.admitted";
      data: Pick<
        AdmittedMember,
        "memberId" | "name" | "standing" | "organisationId" | "areaId" | "inService"
      > & {
        by: string;
        at: string;
      };
    }
  | { type: "member.confirmed"; data: { memberId: string; by: string; at: string } }
  | {
      type: "member.transferred";
      data: {
        memberId: string;
        fromOrganisationId: string;
        toOrganisationId: string;
        fromAreaId: string;
        toAreaId: string;
        by: string;
        at: string;
      };
    }
  | {
      type: "member.community_registered";
      data: { memberId: string; communityAreaId: string; by: string; at: string };
    }
  | {
      type: "member.community_service_recorded";
      data: {
        memberId: string;
        serviceId: string;
        communityAreaId: string;
        kind: string;
        points: number;
        note: string;
        by: string;
        at: string;
      };
    };

export const initialMemberState = (): MemberState => ({ status: "none" });

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  if (event.type === "member.admitted") {
    const { by: _by, at: _at, ...member } = event.data;
    return {
      status: "admitted",
      ...member,
      communityRegistration: null,
      communityServices: 0,
      communityPoints: 0,
      transfers: [],
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "member.confirmed":
      return { ...state, standing: "formal" };
    case "member.transferred": {
      const { fromOrganisationId, toOrganisationId, toAreaId, by, at } = event.data;
      return {
        ...state,
        organisationId: toOrganisationId,
        areaId: toAreaId,
        transfers: [...state.transfers, { fromOrganisationId, toOrganisationId, by, at }],
      };
    }
    case "member.community_registered":
      return {
        ...state,
        communityRegistration: { communityAreaId: event.data.communityAreaId, registeredAt: event.data.at },
      };
    case "member.community_service_recorded":
      return {
        ...state,
        communityServices: state.communityServices + 1,
        communityPoints: state.communityPoints + event.data.points,
      };
  }
}

export interface AdmitMember {
  memberId: string;
  name: string;
  standing: string;
  organisationId: string;
  inService: boolean;
}

export function validateAdmission(command: AdmitMember): void {
  new FieldChecks()
    .identifier("memberId", command.memberId)
    .text("name", command.name, { max: 50 })
    .oneOf("standing", command.standing, memberStandings)
    .check("organisationId", command.organisationId !== "", "is required")
    .throwIfAny();
}

function requireMemberOrganisation(organisation: FoundedOrganisation): void {
  if (!(memberOrganisationLevels as readonly string[]).includes(organisation.level)) {
    throw new FailedPreconditionError(
      `members belong to a general branch or branch, not a ${organisation.level}`,
      "NOT_A_BRANCH",
    );
  }
}

export function decideAdmit(
  command: AdmitMember,
  organisation: FoundedOrganisation,
  actor: { subject: string },
  now: Date,
): MemberEvent {
  validateAdmission(command);
  requireMemberOrganisation(organisation);
  return {
    type: "member.admitted",
    data: {
      memberId: command.memberId,
      name: command.name.trim(),
      standing: command.standing as MemberStanding,
      organisationId: organisation.organisationId,
      areaId: organisation.areaId,
      inService: command.inService,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

export function decideConfirm(state: AdmittedMember, actor: { subject: string }, now: Date): MemberEvent {
  if (state.standing === "formal")
    throw new FailedPreconditionError(`member ${state.memberId} is already formal`, "ALREADY_FORMAL");
  return {
    type: "member.confirmed",
    data: { memberId: state.memberId, by: actor.subject, at: now.toISOString() },
  };
}

export function decideTransfer(
  state: AdmittedMember,
  target: FoundedOrganisation,
  actor: { subject: string },
  now: Date,
): MemberEvent {
  requireMemberOrganisation(target);
  if (target.organisationId === state.organisationId) {
    throw new FailedPreconditionError(
      `member ${state.memberId} is already in ${target.organisationId}`,
      "ALREADY_IN_ORGANISATION",
    );
  }
  return {
    type: "member.transferred",
    data: {
      memberId: state.memberId,
      fromOrganisationId: state.organisationId,
      toOrganisationId: target.organisationId,
      fromAreaId: state.areaId,
      toAreaId: target.areaId,
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}

/** In-service members register with the community (a 12-digit area code) where they live. */
export function decideRegisterWithCommunity(
  communityAreaId: string,
  state: AdmittedMember,
  actor: { subject: string },
  now: Date,
): MemberEvent | undefined {
  if (!AreaCode.is(communityAreaId, "community"))
    throw new InvalidArgumentError([
      { field: "communityAreaId", description: "must be a community's 12-digit code" },
    ]);
  if (!state.inService)
    throw new FailedPreconditionError(
      `member ${state.memberId} is not an in-service member; their branch is already in their community`,
      "NOT_IN_SERVICE",
    );
  if (state.communityRegistration?.communityAreaId === communityAreaId) return undefined;
  return {
    type: "member.community_registered",
    data: { memberId: state.memberId, communityAreaId, by: actor.subject, at: now.toISOString() },
  };
}

export function decideRecordCommunityService(
  command: { serviceId: string; kind: string; note: string },
  state: AdmittedMember,
  pointsByKind: ReadonlyMap<string, number>,
  actor: { subject: string },
  now: Date,
): MemberEvent {
  new FieldChecks()
    .oneOf("kind", command.kind, [...pointsByKind.keys()])
    .check("note", [...command.note].length <= 500, "must be at most 500 characters")
    .throwIfAny();
  // The kind was checked above: it has points.
  const points = pointsByKind.get(command.kind) as number;
  if (!state.communityRegistration)
    throw new FailedPreconditionError(
      `member ${state.memberId} has not registered with a community`,
      "NOT_REGISTERED_WITH_COMMUNITY",
    );
  return {
    type: "member.community_service_recorded",
    data: {
      memberId: state.memberId,
      serviceId: command.serviceId,
      communityAreaId: state.communityRegistration.communityAreaId,
      kind: command.kind,
      points,
      note: command.note.trim(),
      by: actor.subject,
      at: now.toISOString(),
    },
  };
}
