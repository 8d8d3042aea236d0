import {
  AlreadyExistsError,
  AreaCode,
  chinaDate,
  FailedPreconditionError,
  FieldChecks,
  InvalidArgumentError,
  isCalendarDate,
  isIdentifier,
} from "@civic/domain-kit";
import type { FoundedOrganisation } from "./organisation.js";

/**
 * A residential compound (小区) and its owners' committee (业委会). A compound is "red"
 * (红色业委会) when its serving owners' committee has a party branch covering the compound.
 * The committee lives in the compound's stream (`compound-<compoundId>`): forming one is
 * the compound's next version, so of concurrent formations exactly one commits (the unique
 * (stream, version) key) and the others, decided again, find a committee serving.
 */
export const committeePosts = ["director", "deputy_director", "member"] as const;
export type CommitteePost = (typeof committeePosts)[number];

/** Other bodies an owners' committee member may also sit on (双向进入、交叉任职). */
export const otherBodies = ["community_party_committee", "residents_committee"] as const;
export type OtherBody = (typeof otherBodies)[number];

export const maxCommitteeMembers = 50;

/** How a member leaves a serving committee: resigns (辞职) or is removed (罢免). */
export const departureKinds = ["resigned", "removed"] as const;
export type DepartureKind = (typeof departureKinds)[number];

export interface RegisterCompound {
  compoundId: string;
  name: string;
  communityAreaId: string;
  households: number;
  propertyCompany: string;
}

export interface CommitteeMemberInput {
  personId: string;
  name: string;
  post: string;
  /** The person's id in the member roll when they are a party member; "" otherwise. */
  partyMemberId: string;
  alsoServesOn: string[];
}

export interface FormCommittee {
  termStart: string;
  termEnd: string;
  members: CommitteeMemberInput[];
}

export interface CommitteeMember {
  personId: string;
  name: string;
  post: CommitteePost;
  partyMemberId: string;
  /** The party member's organisation when they joined the committee; "" for non-members. */
  partyOrganisationId: string;
  alsoServesOn: OtherBody[];
  /** Derived: sits on another body, or is a member of the compound's party branch. */
  crossAppointed: boolean;
}

export interface PartyBranchCover {
  organisationId: string;
  name: string;
  /** The branch secretary's member id, "" when not named. */
  secretaryMemberId: string;
}

export interface CommitteeDeparture {
  kind: string;
  leftOn: string;
  reason: string;
}

/** A member who left the serving committee before it ended. */
export interface FormerCommitteeMember extends Omit<CommitteeMember, "crossAppointed">, CommitteeDeparture {
  kind: DepartureKind;
}

export interface OwnersCommittee {
  committeeId: string;
  termStart: string;
  termEnd: string;
  members: CommitteeMember[];
  formerMembers: FormerCommitteeMember[];
  /** Derived: the director is also the party branch's secretary (一肩挑). */
  oneShoulder: boolean;
  formedBy: string;
  formedAt: string;
}

export interface FormerCommittee {
  committeeId: string;
  termStart: string;
  termEnd: string;
  endedOn: string;
  reason: string;
}

export interface ResidentialCompound extends RegisterCompound {
  status: "registered";
  partyBranch: PartyBranchCover | null;
  ownersCommittee: OwnersCommittee | null;
  formerCommittees: FormerCommittee[];
  /** Derived: the serving committee has a party branch (红色业委会). */
  redCommittee: boolean;
  registeredBy: string;
  registeredAt: string;
}

export type CompoundState = { status: "none" } | ResidentialCompound;

type StoredMember = Omit<CommitteeMember, "crossAppointed">;

/** What the scorecard counts of a compound: a serving committee, a covering branch, a red committee. */
export interface CompoundCoverage {
  ownersCommittee: boolean;
  partyBranch: boolean;
  redCommittee: boolean;
}

/**
 * Named on every change of a compound after its registration: its community, and its
 * coverage before and after the change, so a follower counts compounds by area from the
 * events alone. Events stored before these were added lack them.
 */
export interface CoverageChange {
  areaId?: string;
  coverage?: { before: CompoundCoverage; after: CompoundCoverage };
}

export type CompoundEvent =
  | {
      type: "compound.registered";
      /** areaId: the community (the field by which dashboards filter events). */
      data: Omit<RegisterCompound, "communityAreaId"> & { areaId: string; by: string; at: string };
    }
  | (ChangeOfCompound & { data: CoverageChange });

type ChangeOfCompound =
  | {
      type: "compound.party_branch_assigned";
      data: PartyBranchCover & { compoundId: string; by: string; at: string };
    }
  | {
      type: "owners_committee.formed";
      data: {
        compoundId: string;
        committeeId: string;
        termStart: string;
        termEnd: string;
        members: StoredMember[];
        by: string;
        at: string;
      };
    }
  | {
      type: "owners_committee.member_joined";
      data: { compoundId: string; committeeId: string; member: StoredMember; by: string; at: string };
    }
  | {
      type: "owners_committee.member_left";
      data: {
        compoundId: string;
        committeeId: string;
        personId: string;
        kind: DepartureKind;
        leftOn: string;
        reason: string;
        by: string;
        at: string;
      };
    }
  | {
      type: "owners_committee.dissolved";
      data: {
        compoundId: string;
        committeeId: string;
        endedOn: string;
        reason: string;
        by: string;
        at: string;
      };
    };

export const initialCompoundState = (): CompoundState => ({ status: "none" });

export const coverageOf = (compound: ResidentialCompound): CompoundCoverage => ({
  ownersCommittee: compound.ownersCommittee !== null,
  partyBranch: compound.partyBranch !== null,
  redCommittee: compound.redCommittee,
});

/** A change of `compound` with its community and its coverage before and after it (see CoverageChange). */
export function withCoverageChange(compound: ResidentialCompound, event: CompoundEvent): CompoundEvent {
  if (event.type === "compound.registered") return event;
  const after = evolveCompound(compound, event);
  if (after.status === "none") return event;
  const coverage = { before: coverageOf(compound), after: coverageOf(after) };
  return { ...event, data: { ...event.data, areaId: compound.communityAreaId, coverage } } as CompoundEvent;
}

export function evolveCompound(state: CompoundState, event: CompoundEvent): CompoundState {
  if (event.type === "compound.registered") {
    const { by, at, areaId, ...compound } = event.data;
    return withAppointments({
      status: "registered",
      ...compound,
      communityAreaId: areaId,
      partyBranch: null,
      ownersCommittee: null,
      formerCommittees: [],
      redCommittee: false,
      registeredBy: by,
      registeredAt: at,
    });
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "compound.party_branch_assigned": {
      const { organisationId, name, secretaryMemberId } = event.data;
      return withAppointments({ ...state, partyBranch: { organisationId, name, secretaryMemberId } });
    }
    case "owners_committee.formed": {
      const { committeeId, termStart, termEnd, members, by, at } = event.data;
      const committee: OwnersCommittee = {
        committeeId,
        termStart,
        termEnd,
        members: members.map((member) => ({ ...member, crossAppointed: false })),
        formerMembers: [],
        oneShoulder: false,
        formedBy: by,
        formedAt: at,
      };
      return withAppointments({ ...state, ownersCommittee: committee });
    }
    case "owners_committee.member_joined": {
      const committee = state.ownersCommittee;
      if (!committee) return state;
      const members = [...committee.members, { ...event.data.member, crossAppointed: false }];
      return withAppointments({ ...state, ownersCommittee: { ...committee, members } });
    }
    case "owners_committee.member_left": {
      const committee = state.ownersCommittee;
      const leaving = committee?.members.find((member) => member.personId === event.data.personId);
      if (!committee || !leaving) return state;
      const { crossAppointed: _, ...member } = leaving;
      const { kind, leftOn, reason } = event.data;
      const members = committee.members.filter((stays) => stays !== leaving);
      // Snapshots written before departures existed have no formerMembers.
      const formerMembers = [...(committee.formerMembers ?? []), { ...member, kind, leftOn, reason }];
      return withAppointments({ ...state, ownersCommittee: { ...committee, members, formerMembers } });
    }
    case "owners_committee.dissolved": {
      const committee = state.ownersCommittee;
      if (!committee) return state;
      const { endedOn, reason } = event.data;
      const former = {
        committeeId: committee.committeeId,
        termStart: committee.termStart,
        termEnd: committee.termEnd,
        endedOn,
        reason,
      };
      return withAppointments({
        ...state,
        ownersCommittee: null,
        formerCommittees: [...state.formerCommittees, former],
      });
    }
  }
}

/**
 * Derives who is cross-appointed, whether the director holds both posts and whether the
 * committee is red, from the committee and the branch as they stand now (a branch named
 * after the members joined counts too).
 */
function withAppointments(compound: ResidentialCompound): ResidentialCompound {
  const committee = compound.ownersCommittee;
  const branch = compound.partyBranch;
  if (!committee) return { ...compound, redCommittee: false };
  const members = committee.members.map((member) => ({
    ...member,
    crossAppointed:
      member.alsoServesOn.length > 0 ||
      (branch !== null &&
        member.partyOrganisationId !== "" &&
        member.partyOrganisationId === branch.organisationId),
  }));
  const director = members.find((member) => member.post === "director");
  const oneShoulder =
    director !== undefined &&
    branch !== null &&
    branch.secretaryMemberId !== "" &&
    director.partyMemberId === branch.secretaryMemberId;
  return {
    ...compound,
    ownersCommittee: { ...committee, members, oneShoulder },
    redCommittee: branch !== null,
  };
}

const aDate = "must be a date, YYYY-MM-DD";
/** At most `max` characters, counted as given (untrimmed). */
const atMost = (value: string, max: number) => [...value].length <= max;

export function validateCompound(command: RegisterCompound): void {
  new FieldChecks()
    .identifier("compoundId", command.compoundId)
    .text("name", command.name, { max: 100 })
    .check(
      "communityAreaId",
      AreaCode.is(command.communityAreaId, "community"),
      "must be a community code (12 digits)",
    )
    .check(
      "households",
      Number.isInteger(command.households) && command.households >= 1 && command.households <= 100_000,
      "must be 1 to 100,000",
    )
    .check("propertyCompany", atMost(command.propertyCompany, 100), "must be at most 100 characters")
    .throwIfAny();
}

function memberChecks(member: CommitteeMemberInput, field: string): FieldChecks {
  const checks = new FieldChecks()
    .identifier(`${field}.personId`, member.personId)
    .text(`${field}.name`, member.name, { max: 50 })
    .oneOf(`${field}.post`, member.post, committeePosts)
    .check(
      `${field}.partyMemberId`,
      member.partyMemberId === "" || isIdentifier(member.partyMemberId),
      "must be empty or a member id",
    );
  member.alsoServesOn.forEach((body, index) => {
    if (!(otherBodies as readonly string[]).includes(body))
      checks.add(`${field}.alsoServesOn[${index}]`, `must be one of ${otherBodies.join(", ")}`);
    else if (member.alsoServesOn.indexOf(body) !== index)
      checks.add(`${field}.alsoServesOn[${index}]`, "is named twice");
  });
  return checks;
}

export function validateMember(member: CommitteeMemberInput): void {
  memberChecks(member, "member").throwIfAny();
}

export function validateCommittee(command: FormCommittee): void {
  const checks = new FieldChecks().check("termStart", isCalendarDate(command.termStart), aDate);
  if (!isCalendarDate(command.termEnd)) checks.add("termEnd", aDate);
  else if (isCalendarDate(command.termStart) && command.termEnd <= command.termStart)
    checks.add("termEnd", "must be after termStart");
  checks.check(
    "members",
    command.members.length > 0 && command.members.length <= maxCommitteeMembers,
    `must name 1 to ${maxCommitteeMembers} members`,
  );
  const people = new Set<string>();
  command.members.forEach((member, index) => {
    const field = `members[${index}]`;
    checks.addAll(memberChecks(member, field).violations);
    if (people.has(member.personId)) checks.add(`${field}.personId`, "is on the committee twice");
    people.add(member.personId);
  });
  checks
    .check(
      "members",
      command.members.filter((member) => member.post === "director").length <= 1,
      "may have one director",
    )
    .throwIfAny();
}

export function decideRegisterCompound(
  command: RegisterCompound,
  state: CompoundState,
  knownCommunity: boolean,
  by: string,
  now: Date,
): CompoundEvent {
  if (!knownCommunity)
    throw new InvalidArgumentError([
      { field: "communityAreaId", description: "is not a community of grid-cases' area tree" },
    ]);
  if (state.status !== "none")
    throw new AlreadyExistsError(`compound ${command.compoundId} is already registered`);
  return {
    type: "compound.registered",
    data: {
      compoundId: command.compoundId,
      name: command.name.trim(),
      areaId: command.communityAreaId,
      households: command.households,
      propertyCompany: command.propertyCompany.trim(),
      by,
      at: now.toISOString(),
    },
  };
}

/** Branch kinds that can cover a residential compound (an enterprise branch sits at a workplace). */
const residentialBranchKinds: readonly string[] = ["grid", "building", "owners_committee"];

/**
 * Names the party branch covering the compound: a general branch or branch of the tree, of a
 * residential kind, working in the compound's community. The secretary, when named, is one
 * of its members.
 */
export function decideAssignPartyBranch(
  compound: ResidentialCompound,
  branch: FoundedOrganisation,
  secretary: { memberId: string; organisationId: string } | null,
  by: string,
  now: Date,
): CompoundEvent | undefined {
  if (branch.level !== "branch" && branch.level !== "general_branch")
    throw new FailedPreconditionError(
      `organisation ${branch.organisationId} is a ${branch.level}, not a branch`,
      "NOT_A_BRANCH",
    );
  if (!residentialBranchKinds.includes(branch.branchKind))
    throw new FailedPreconditionError(
      `branch ${branch.organisationId} is a ${branch.branchKind} branch; a compound needs a grid, building or owners' committee branch`,
      "NOT_A_RESIDENTIAL_BRANCH",
    );
  if (AreaCode.communityOf(branch.areaId) !== compound.communityAreaId)
    throw new FailedPreconditionError(
      `branch ${branch.organisationId} works outside community ${compound.communityAreaId}`,
      "BRANCH_OUTSIDE_COMMUNITY",
    );
  if (secretary && secretary.organisationId !== branch.organisationId)
    throw new FailedPreconditionError(
      `member ${secretary.memberId} is not a member of branch ${branch.organisationId}`,
      "SECRETARY_NOT_IN_BRANCH",
    );
  const secretaryMemberId = secretary?.memberId ?? "";
  const current = compound.partyBranch;
  if (current?.organisationId === branch.organisationId && current.secretaryMemberId === secretaryMemberId)
    return undefined;
  return {
    type: "compound.party_branch_assigned",
    data: {
      compoundId: compound.compoundId,
      organisationId: branch.organisationId,
      name: branch.name,
      secretaryMemberId,
      by,
      at: now.toISOString(),
    },
  };
}

/** The party organisations of the members who named a party member id, by that id. */
export type PartyOrganisations = ReadonlyMap<string, string>;

function storedMember(member: CommitteeMemberInput, partyOrganisations: PartyOrganisations): StoredMember {
  return {
    personId: member.personId,
    name: member.name.trim(),
    post: member.post as CommitteePost,
    partyMemberId: member.partyMemberId,
    partyOrganisationId: partyOrganisations.get(member.partyMemberId) ?? "",
    alsoServesOn: member.alsoServesOn as OtherBody[],
  };
}

export function decideFormCommittee(
  command: FormCommittee,
  compound: ResidentialCompound,
  partyOrganisations: PartyOrganisations,
  by: string,
  now: Date,
): CompoundEvent {
  if (compound.ownersCommittee)
    throw new AlreadyExistsError(
      `compound ${compound.compoundId} already has an owners' committee serving (${compound.ownersCommittee.committeeId})`,
      "OWNERS_COMMITTEE_SERVING",
    );
  return {
    type: "owners_committee.formed",
    data: {
      compoundId: compound.compoundId,
      committeeId: `${compound.compoundId}-${compound.formerCommittees.length + 1}`,
      termStart: command.termStart,
      termEnd: command.termEnd,
      members: command.members.map((member) => storedMember(member, partyOrganisations)),
      by,
      at: now.toISOString(),
    },
  };
}

export function decideAddCommitteeMember(
  member: CommitteeMemberInput,
  compound: ResidentialCompound,
  partyOrganisations: PartyOrganisations,
  by: string,
  now: Date,
): CompoundEvent {
  const committee = servingCommittee(compound);
  if (committee.members.some((existing) => existing.personId === member.personId))
    throw new AlreadyExistsError(
      `${member.personId} is already on the owners' committee ${committee.committeeId}`,
      "ALREADY_ON_COMMITTEE",
    );
  if (member.post === "director" && committee.members.some((existing) => existing.post === "director"))
    throw new FailedPreconditionError(
      `the owners' committee ${committee.committeeId} already has a director`,
      "DIRECTOR_SEATED",
    );
  if (committee.members.length >= maxCommitteeMembers)
    throw new FailedPreconditionError(`the committee has ${maxCommitteeMembers} members`, "COMMITTEE_FULL");
  return {
    type: "owners_committee.member_joined",
    data: {
      compoundId: compound.compoundId,
      committeeId: committee.committeeId,
      member: storedMember(member, partyOrganisations),
      by,
      at: now.toISOString(),
    },
  };
}

export function validateDeparture(personId: string, departure: CommitteeDeparture): void {
  new FieldChecks()
    .identifier("personId", personId)
    .oneOf("kind", departure.kind, departureKinds)
    .check("leftOn", isCalendarDate(departure.leftOn), aDate)
    .check("reason", atMost(departure.reason, 200), "must be at most 200 characters")
    .throwIfAny();
}

/**
 * A member leaves the serving committee (resigns or is removed). The committee keeps
 * serving, without a director when the director left, until another is added or it ends.
 */
export function decideCommitteeDeparture(
  compound: ResidentialCompound,
  personId: string,
  departure: CommitteeDeparture,
  by: string,
  now: Date,
): CompoundEvent {
  const committee = servingCommittee(compound);
  if (!committee.members.some((member) => member.personId === personId))
    throw new FailedPreconditionError(
      `${personId} is not on the owners' committee ${committee.committeeId}`,
      "NOT_ON_COMMITTEE",
    );
  if (departure.leftOn < committee.termStart)
    throw new InvalidArgumentError([{ field: "leftOn", description: "must not be before the term starts" }]);
  return {
    type: "owners_committee.member_left",
    data: {
      compoundId: compound.compoundId,
      committeeId: committee.committeeId,
      personId,
      kind: departure.kind as DepartureKind,
      leftOn: departure.leftOn,
      reason: departure.reason.trim(),
      by,
      at: now.toISOString(),
    },
  };
}

export function decideDissolveCommittee(
  compound: ResidentialCompound,
  endedOn: string,
  reason: string,
  by: string,
  now: Date,
): CompoundEvent {
  new FieldChecks()
    .check("endedOn", isCalendarDate(endedOn), aDate)
    .check("reason", atMost(reason, 200), "must be at most 200 characters")
    .throwIfAny();
  const committee = servingCommittee(compound);
  if (endedOn < committee.termStart)
    throw new InvalidArgumentError([{ field: "endedOn", description: "must not be before the term starts" }]);
  return {
    type: "owners_committee.dissolved",
    data: {
      compoundId: compound.compoundId,
      committeeId: committee.committeeId,
      endedOn,
      reason: reason.trim(),
      by,
      at: now.toISOString(),
    },
  };
}

/**
 * A committee serves through its term's last day; it has expired once that day has passed in
 * China (the day changes at 16:00 UTC).
 */
export const isTermExpired = (committee: Pick<OwnersCommittee, "termEnd">, now: Date): boolean =>
  committee.termEnd < chinaDate(now);

function servingCommittee(compound: ResidentialCompound): OwnersCommittee {
  if (!compound.ownersCommittee)
    throw new FailedPreconditionError(
      `compound ${compound.compoundId} has no owners' committee serving`,
      "NO_OWNERS_COMMITTEE",
    );
  return compound.ownersCommittee;
}
